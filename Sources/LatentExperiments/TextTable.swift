import Foundation

/// A table of text cells rendered as aligned columns for the terminal or as CSV.
public struct TextTable: Sendable, Equatable {
    /// Column titles.
    public let headers: [String]
    /// Rows, each with one cell per header.
    public private(set) var rows: [[String]]

    /// An empty table with these column titles.
    public init(headers: [String], rows: [[String]] = []) {
        self.headers = headers
        self.rows = []
        for row in rows { append(row) }
    }

    /// Adds a row (one cell per header).
    public mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "TextTable: row of \(row.count) cells for \(headers.count) columns")
        rows.append(row)
    }

    /// Columns padded to equal width and separated by two spaces, a dashed rule under the
    /// headers; cells that look numeric are right-aligned. Trailing spaces are trimmed.
    public func renderText() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { j in all.map { $0[j].count }.max() ?? 0 }
        let numeric = headers.indices.map { j in !rows.isEmpty && rows.allSatisfy { Self.looksNumeric($0[j]) } }
        func line(_ cells: [String]) -> String {
            cells.indices.map { j -> String in
                let pad = String(repeating: " ", count: widths[j] - cells[j].count)
                return numeric[j] ? pad + cells[j] : cells[j] + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV: a header line, then one line per row; cells with commas, quotes or line
    /// breaks are quoted, quotes doubled.
    public func renderCSV() -> String {
        func cell(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([headers] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private static func looksNumeric(_ s: String) -> Bool {
        if s.isEmpty || s == "-" { return true }
        let head = s.split(separator: " ").first.map(String.init) ?? s
        return Double(head) != nil
    }
}

/// Number formatting shared by the run tables.
public enum MetricFormat {
    /// `value` with 6 significant digits (`0.123457`, `1.5e-08`).
    public static func number(_ value: Double) -> String { String(format: "%.6g", value) }

    /// `mean ± std` with 4 significant digits each; the mean alone when there is no spread.
    public static func summary(_ s: MetricSummary) -> String {
        let mean = String(format: "%.4g", s.mean)
        guard let sd = s.standardDeviation else { return mean }
        return "\(mean) ± \(String(format: "%.2g", sd))"
    }
}
