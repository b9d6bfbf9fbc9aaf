import Foundation

/// Class labels given as text, encoded as integer class ids for classifiers.
///
/// The classes are the distinct labels in sorted order, so the ids do not depend on the order
/// of the rows: numerically when every label is a number (`"2" < "10"`), otherwise by Unicode
/// code points — the order `numpy.unique` and scikit-learn's `LabelEncoder` use for numeric and
/// for string labels.
public struct LabelEncoding: Sendable, Equatable, Codable {
    /// The distinct labels in sorted order; class id `k` is `classNames[k]`.
    public let classNames: [String]
    /// The class id of each label, in `0..<classNames.count`.
    public let indices: [Int]

    /// Encodes `labels`. - Complexity: O(n log n).
    public init(_ labels: [String]) {
        let distinct = Array(Set(labels))
        let numbers = distinct.map { Double($0.trimmingCharacters(in: .whitespaces)) }
        let sorted: [String]
        if numbers.allSatisfy({ $0 != nil && !$0!.isNaN }) {
            sorted = zip(distinct, numbers.map { $0! }).sorted { a, b in
                a.1 != b.1 ? a.1 < b.1 : a.0.unicodeScalars.lexicographicallyPrecedes(b.0.unicodeScalars)
            }.map(\.0)
        } else {
            sorted = distinct.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        }
        var id = [String: Int]()
        for (k, name) in sorted.enumerated() { id[name] = k }
        classNames = sorted
        indices = labels.map { id[$0]! }
    }

    /// The number of classes.
    public var classCount: Int { classNames.count }

    /// The class id of `label`, or `nil` when it is not one of the classes.
    public func index(of label: String) -> Int? { classNames.firstIndex(of: label) }

    /// How many labels fall in each class, indexed by class id.
    public var counts: [Int] {
        var c = [Int](repeating: 0, count: classNames.count)
        for i in indices { c[i] += 1 }
        return c
    }
}
