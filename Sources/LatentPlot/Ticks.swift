import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10ᵏ (Heckbert, "Nice numbers for graph labels",
/// Graphics Gems 1990), and powers of two for log₂ axes.
public enum Ticks {
    /// The nice step (1, 2 or 5 × 10ᵏ) nearest to `(high − low) / target` (Heckbert's rounding:
    /// mantissas below 1.5 → 1, below 3 → 2, below 7 → 5, else 10), so the range is cut into
    /// roughly `target` intervals (between about 0.7 and 1.5 times as many).
    public static func niceStep(low: Double, high: Double, target: Int = 5) -> Double {
        precondition(low.isFinite && high.isFinite, "Ticks: range must be finite, got \(low)…\(high)")
        precondition(target >= 1, "Ticks: target must be at least 1, got \(target)")
        let span = high > low ? high - low : max(abs(low), 1)
        let raw = span / Double(target)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let mantissa = raw / magnitude
        let m: Double = mantissa < 1.5 ? 1 : mantissa < 3 ? 2 : mantissa < 7 ? 5 : 10
        return m * magnitude
    }

    /// Nice tick values covering `low…high`: multiples of `niceStep` from the one at or below
    /// `low` to the one at or above `high` (so the axis can be widened to the outer ticks).
    /// Values are rounded to the step's decimals, so `0.1 + 0.2` prints as `0.3`.
    /// - Complexity: O(target).
    public static func linear(low: Double, high: Double, target: Int = 5) -> [Double] {
        let (low, high) = high > low ? (low, high) : (low - max(abs(low), 1) / 2, low + max(abs(low), 1) / 2)
        let step = niceStep(low: low, high: high, target: target)
        let first = (low / step + 1e-9).rounded(.down), last = (high / step - 1e-9).rounded(.up)
        let scale = pow(10, Double(decimals(step: step)))
        return stride(from: first, through: last, by: 1).map { ($0 * step * scale).rounded() / scale }
    }

    /// Powers of two from the one at or below `low` to the one at or above `high` (both > 0).
    public static func log2(low: Double, high: Double) -> [Double] {
        precondition(low > 0 && high >= low, "Ticks.log2: need 0 < low ≤ high, got \(low)…\(high)")
        let a = Int(Foundation.log2(low).rounded(.down)), b = Int(Foundation.log2(high).rounded(.up))
        return (a...b).map { pow(2, Double($0)) }
    }

    /// Decimals needed to print multiples of `step` exactly (0 for steps ≥ 1).
    public static func decimals(step: Double) -> Int {
        precondition(step > 0 && step.isFinite, "Ticks.decimals: step must be positive, got \(step)")
        for d in 0..<15 {
            let scaled = step * pow(10, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-9 * max(scaled, 1) { return d }
        }
        return 15
    }

    /// `value` printed with the decimals its axis step needs (`-0` printed as `0`).
    public static func label(_ value: Double, step: Double) -> String {
        let d = decimals(step: step)
        let s = String(format: "%.\(d)f", value)
        return Double(s) == 0 ? String(format: "%.\(d)f", 0.0) : s
    }
}
