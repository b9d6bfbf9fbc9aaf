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
