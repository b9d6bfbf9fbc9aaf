import Foundation

/// What a command reports: titled key–value lines and tables for people, the same content as one
/// JSON object for programs (`--json`).
struct Summary {
    private(set) var lines: [String] = []
    private(set) var fields: [String: JSONValue] = [:]

    /// A `label: value` line, stored under `key` in JSON.
    mutating func field(_ key: String, _ label: String, _ value: JSONValue, text: String? = nil) {
        fields[key] = value
        lines.append("\(label): \(text ?? value.text)")
    }

    /// Stores a JSON field without a text line.
    mutating func hidden(_ key: String, _ value: JSONValue) { fields[key] = value }

    /// A table with a header row; in JSON, an array of objects keyed by `keys`.
    mutating func table(_ key: String, title: String, headers: [String], keys: [String], rows: [[JSONValue]], maxRows: Int = 50) {
        fields[key] = .array(rows.map { row in .object(Dictionary(uniqueKeysWithValues: zip(keys, row))) })
        lines.append("\(title):")
        let shown = rows.count > maxRows ? Array(rows.prefix(maxRows)) : rows
        let cells = [headers] + shown.map { $0.map(\.text) }
        let widths = headers.indices.map { j in cells.map { $0[j].count }.max() ?? 0 }
        for row in cells {
            lines.append("  " + row.enumerated().map { j, c in String(repeating: " ", count: widths[j] - c.count) + c }.joined(separator: "  "))
        }
        if rows.count > maxRows { lines.append("  … \(rows.count - maxRows) more (see --json)") }
    }

    /// A blank-line-free plain note.
    mutating func note(_ text: String) { lines.append(text) }

    var text: String { lines.joined(separator: "\n") }

    var json: JSONValue { .object(fields) }

    /// Prints the text or, with `json`, the JSON object.
    func print(json asJSON: Bool) throws {
        Swift.print(asJSON ? try json.serialized() : text)
    }

    /// A number with 6 significant digits (`0.123457`, `1.5e-07`).
    static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }
}
