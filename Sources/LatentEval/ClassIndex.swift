import LatentCore

/// The distinct labels of a data set in ascending order, and each sample's position among them.
///
/// Evaluations accept any integer labels (e.g. 0…9, or 3, 7, 42); internally they work with the
/// dense class indices `0..<classes.count`.
public struct ClassIndex: Sendable, Equatable, Codable {
    /// The distinct labels, ascending. Class `c` is `classes[c]`.
    public let classes: [Int]
    private let lookup: [Int: Int]

    /// The classes present in `labels`. - Complexity: O(n log n).
    public init(_ labels: [Int]) {
        classes = Array(Set(labels)).sorted()
        lookup = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    }

    /// The dense index of `label`, or `nil` when it is not among `classes`.
    public func index(of label: Int) -> Int? { lookup[label] }

    /// Dense indices of `labels`; throws `EstimatorError.invalidData` naming the first unknown label.
    public func indices(of labels: [Int], method: String) throws -> [Int] {
        try labels.enumerated().map { i, label in
            guard let c = lookup[label] else {
                throw EstimatorError.invalidData(method: method, reason: "label \(label) of sample \(i) is not among the training classes \(classes)")
            }
            return c
        }
    }

    /// Sample indices of each class, in the order the samples appear: `members[c]` lists the rows
    /// with label `classes[c]`. - Complexity: O(n).
    public func members(of labels: [Int]) -> [[Int]] {
        var members = [[Int]](repeating: [], count: classes.count)
        for (i, label) in labels.enumerated() { if let c = lookup[label] { members[c].append(i) } }
        return members
    }

    private enum CodingKeys: String, CodingKey { case classes }
    /// Decodes the class list and rebuilds the lookup table.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode([Int].self, forKey: .classes))
    }
    /// Encodes the class list.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(classes, forKey: .classes)
    }
}
