import ArgumentParser

/// Parse-time range checks for numeric options: one message shape (`--threads must lie in
/// 1…1024, got 2147483648`), thrown as `ValidationError` so the parser exits 2 with the usage
/// lines. Numeric options are declared with `parsing: .unconditional` so that `--threads -3` is
/// read as the number −3 and refused here, not taken for an unknown option.
enum OptionRange {
    /// The most threads any command accepts (OpenBLAS takes an Int32; more than this is a typo).
    static let threads = 1...1024
    /// Counts of things a command allocates per item (components, hidden units, clusters,
    /// iterations, episodes): at least 1, at most 2³¹ − 1, so nothing downstream overflows an Int32.
    static let count = 1...Int(Int32.max)
    /// The same, where 0 means "none".
    static let countOrZero = 0...Int(Int32.max)

    /// Refuses `value` outside `range`.
    static func check(_ option: String, _ value: Int?, _ range: ClosedRange<Int>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(option) must lie in \(describe(range)), got \(value)")
    }

    /// Refuses a non-finite `value`, or one outside `lower…upper` (either end open when asked).
    static func check(_ option: String, _ value: Double?, above lower: Double? = nil, atLeast floor: Double? = nil,
                      below upper: Double? = nil, atMost ceiling: Double? = nil) throws {
        guard let value else { return }
        var ok = value.isFinite
        if let lower { ok = ok && value > lower }
        if let floor { ok = ok && value >= floor }
        if let upper { ok = ok && value < upper }
        if let ceiling { ok = ok && value <= ceiling }
        guard !ok else { return }
        var parts: [String] = []
        if let lower { parts.append("> \(short(lower))") }
        if let floor { parts.append("≥ \(short(floor))") }
        if let upper { parts.append("< \(short(upper))") }
        if let ceiling { parts.append("≤ \(short(ceiling))") }
        let bound = parts.isEmpty ? "be a finite number" : "be a finite number \(parts.joined(separator: " and "))"
        throw ValidationError("\(option) must \(bound), got \(value)")
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int(Int32.max) ? "\(range.lowerBound)…2147483647" : "\(range.lowerBound)…\(range.upperBound)"
    }

    private static func short(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
