import LatentCore

/// A learner's hyperparameters. `fit` learns from data (rows = samples, columns = features) and
/// returns a separate, immutable fitted model, so "not fitted yet" cannot happen.
///
/// ```swift
/// let pca = try PCA(components: 50, whiten: true).fit(x)   // x: Matrix<Float>
/// let z = try pca.transform(x)
/// ```
public protocol Estimator: Sendable {
    associatedtype Scalar: BLASScalar
    associatedtype Fitted: FittedTransformer where Fitted.Scalar == Scalar
    /// Learns from `x` (n samples × d features).
    /// - Throws: `EstimatorError` for unusable input (too few samples, NaN, …) and
    ///   `LinearAlgebraError` when a LAPACK routine fails.
    func fit(_ x: Matrix<Scalar>) throws -> Fitted
}

/// A fitted representation: maps samples to feature vectors.
public protocol FittedTransformer: Codable, Sendable {
    associatedtype Scalar: BLASScalar
    /// Number of input features `d` the model was fitted on.
    var inputFeatures: Int { get }
    /// Number of output features (components, atoms, hidden units).
    var outputFeatures: Int { get }
    /// The representation of each row of `x` (n × inputFeatures → n × outputFeatures).
    /// - Throws: `EstimatorError.featureMismatch` when `x` has the wrong number of columns.
    func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar>
}

/// A fitted model that can map representations back to the input space.
public protocol InvertibleTransformer: FittedTransformer {
    /// Approximate inputs from representations (n × outputFeatures → n × inputFeatures).
    func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar>
}

/// What an iterative fit did: how many iterations, how far it moved last, whether it met its
/// tolerance, and its objective after each iteration (empty where the method has none cheap to compute).
public struct FitReport: Codable, Sendable, Equatable, CustomStringConvertible {
    public var iterations: Int
    public var finalChange: Double
    public var converged: Bool
    public var objective: [Double]

    public init(iterations: Int, finalChange: Double, converged: Bool, objective: [Double] = []) {
        self.iterations = iterations
        self.finalChange = finalChange
        self.converged = converged
        self.objective = objective
    }

    public var description: String {
        let last = objective.last.map { ", objective \($0)" } ?? ""
        return "\(converged ? "converged" : "did not converge") after \(iterations) iterations (last change \(finalChange)\(last))"
    }
}

/// Input a learner cannot use. Messages name the learner and the numbers involved.
public enum EstimatorError: Error, Equatable, CustomStringConvertible {
    /// Fewer samples (or features) than the method needs.
    case tooFewSamples(method: String, samples: Int, needed: Int)
    /// An element is NaN or infinite.
    case nonFinite(method: String, row: Int, column: Int)
    /// `transform` got a different number of features than `fit` saw.
    case featureMismatch(method: String, expected: Int, got: Int)
    /// A hyperparameter is out of range.
    case invalidParameter(method: String, name: String, reason: String)
    /// The data violates a requirement of the method (negative values for NMF, constant columns, …).
    case invalidData(method: String, reason: String)

    public var description: String {
        switch self {
        case let .tooFewSamples(method, samples, needed):
            return "\(method): \(samples) samples, need at least \(needed)"
        case let .nonFinite(method, row, column):
            return "\(method): input element (row \(row), column \(column)) is NaN or infinite"
        case let .featureMismatch(method, expected, got):
            return "\(method): fitted on \(expected) features, got \(got)"
        case let .invalidParameter(method, name, reason):
            return "\(method): parameter \(name) \(reason)"
        case let .invalidData(method, reason):
            return "\(method): \(reason)"
        }
    }
}

extension Matrix {
    /// Throws `EstimatorError.nonFinite` at the first NaN or infinite element.
    public func requireFiniteInput(for method: String) throws {
        if let i = storage.firstIndex(where: { !$0.isFinite }) {
            throw EstimatorError.nonFinite(method: method, row: i / Swift.max(1, columns), column: i % Swift.max(1, columns))
        }
    }

    /// Throws `EstimatorError.featureMismatch` unless the matrix has `features` columns.
    public func requireFeatures(_ features: Int, for method: String) throws {
        if columns != features { throw EstimatorError.featureMismatch(method: method, expected: features, got: columns) }
    }
}
