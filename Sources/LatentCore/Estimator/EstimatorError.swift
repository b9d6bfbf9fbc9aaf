/// Input a learner or an evaluation cannot use — the one error type for these checks in every
/// module (decompositions, t-SNE, few-shot and probes, batch evaluations). Messages name the
/// method and the numbers involved.
///
/// Shape mismatches in the API (features and labels of different lengths, train and test of
/// different widths) are programmer errors and stop with a `precondition`; this type covers data
/// and hyperparameter problems that a caller may want to report.
public enum EstimatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer samples (or features) than the method needs.
    case tooFewSamples(method: String, samples: Int, needed: Int)
    /// An element is NaN or infinite.
    case nonFinite(method: String, row: Int, column: Int)
    /// `transform` got a different number of features than `fit` saw.
    case featureMismatch(method: String, expected: Int, got: Int)
    /// A hyperparameter is out of range.
    case invalidParameter(method: String, name: String, reason: String)
    /// The data violates a requirement of the method (negative values for NMF, constant columns,
    /// too few samples in a class, a metric undefined on this data, …).
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
