import LatentCore

/// Input an evaluation cannot use. Messages name the method and the numbers involved.
///
/// Shape mismatches (features and labels of different lengths, train and test of different
/// widths) are programmer errors and stop with a `precondition`; this type covers data and
/// hyperparameter problems that a caller may want to report.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter is out of range.
    case invalidParameter(method: String, name: String, reason: String)
    /// The data cannot be evaluated this way (too few samples in a class, unknown test labels, …).
    case invalidData(method: String, reason: String)
    /// An element is NaN or infinite.
    case nonFinite(method: String, row: Int, column: Int)

    /// One line naming the method and the problem.
    public var description: String {
        switch self {
        case let .invalidParameter(method, name, reason): return "\(method): parameter \(name) \(reason)"
        case let .invalidData(method, reason): return "\(method): \(reason)"
        case let .nonFinite(method, row, column): return "\(method): element (row \(row), column \(column)) is NaN or infinite"
        }
    }
}

extension Matrix {
    /// Throws `EvaluationError.nonFinite` at the first NaN or infinite element. - Complexity: O(count).
    @usableFromInline
    func requireFinite(for method: String) throws {
        if let i = storage.firstIndex(where: { !$0.isFinite }) {
            throw EvaluationError.nonFinite(method: method, row: i / Swift.max(1, columns), column: i % Swift.max(1, columns))
        }
    }
}
