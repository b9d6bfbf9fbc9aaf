/// What a fitted model is, for people and programs: labelled values and tables in the order they
/// are shown. `latent inspect` and a fit's summary print it as text, or as one JSON object keyed
/// by each item's `key` (`--json`); a method's descriptor builds it (`ModelFormat`).
public struct ModelDescription: Sendable, Equatable {
    /// One shown value.
    public enum Value: Sendable, Equatable {
        case int(Int)
        case number(Double)
        case bool(Bool)
        case text(String)
        /// Nothing (a table cell without a value, JSON `null`).
        case none
    }

    /// A labelled value or a table.
    public enum Item: Sendable, Equatable {
        /// `label: value`, stored under `key` in JSON.
        case field(key: String, label: String, value: Value)
        /// Rows under a header; in JSON an array of objects keyed by `keys` (one key per column).
        case table(key: String, title: String, headers: [String], keys: [String], rows: [[Value]])
    }

    /// The items, in order.
    public private(set) var items: [Item] = []

    /// An empty description.
    public init() {}

    /// Appends `label: value` under `key`.
    public mutating func field(_ key: String, _ label: String, _ value: Value) {
        items.append(.field(key: key, label: label, value: value))
    }

    /// Appends a table; every row has one value per header.
    public mutating func table(_ key: String, title: String, headers: [String], keys: [String], rows: [[Value]]) {
        precondition(headers.count == keys.count && rows.allSatisfy { $0.count == keys.count },
                     "ModelDescription.table \(key): \(headers.count) headers, \(keys.count) keys, rows of \(Set(rows.map(\.count)))")
        items.append(.table(key: key, title: title, headers: headers, keys: keys, rows: rows))
    }

    /// Appends an iterative fit's report: converged, iterations, last change and, when `objective`
    /// names it, the last objective value.
    public mutating func report(_ r: FitReport, objective: String? = nil) {
        field("converged", "converged", .bool(r.converged))
        field("iterations", "iterations", .int(r.iterations))
        field("finalChange", "last change", .number(r.finalChange))
        if let objective, let last = r.objective.last { field("objective", objective, .number(last)) }
    }

    /// The value stored under `key` by `field`, if any.
    public subscript(key: String) -> Value? {
        for case let .field(k, _, value) in items where k == key { return value }
        return nil
    }
}
