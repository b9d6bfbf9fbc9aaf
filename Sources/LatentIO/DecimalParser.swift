import LatentCore

/// Parses decimal numbers straight from bytes, as CSV cells hold them.
///
/// Accepts `[+-]digits[.digits][(e|E)[+-]digits]` (either side of the point may be empty, not
/// both), `nan`, `inf` and `infinity` in any case with an optional sign, and surrounding spaces
/// or tabs. Results are correctly rounded: short inputs take Clinger's exact fast path (an
/// integer mantissa below 2^53 (Double) or 2^24 (Float) scaled by an exactly representable power
/// of ten, one rounding; Clinger 1990, "How to read floating point numbers accurately"), longer
/// ones go to the standard library's correctly rounded parser.
enum DecimalParser {
    /// The outcome of parsing one cell.
    enum Result<S> {
        /// A number (possibly NaN or ±infinity).
        case value(S)
        /// Nothing but spaces.
        case empty
        /// Not a number.
        case invalid
    }

    /// 10^0 … 10^22, each exact in a Double.
    static let doublePowers: [Double] = {
        var p = [Double](repeating: 1, count: 23)
        for k in 1..<23 { p[k] = p[k - 1] * 10 }
        return p
    }()

    /// 10^0 … 10^10, each exact in a Float.
    static let floatPowers: [Float] = {
        var p = [Float](repeating: 1, count: 11)
        for k in 1..<11 { p[k] = p[k - 1] * 10 }
        return p
    }()

    /// Parses `p[from..<to]`.
    @inline(__always)
    static func parse<S: BLASScalar>(_ p: UnsafePointer<UInt8>, from: Int, to: Int, as: S.Type = S.self) -> Result<S> {
        var i = from, e = to
        while i < e, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        while e > i, p[e - 1] == 0x20 || p[e - 1] == 0x09 { e -= 1 }
        if i == e { return .empty }
        let start = i
        var negative = false
        if p[i] == 0x2D { negative = true; i += 1 } else if p[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0
        var sawDigit = false, inexact = false
        while i < e, p[i] &- 0x30 < 10 {
            let d = UInt64(p[i] &- 0x30)
            sawDigit = true
            if mantissa != 0 || d != 0 {
                if digits < 19 { mantissa = mantissa &* 10 &+ d; digits += 1 } else { exponent += 1; inexact = true }
            }
            i += 1
        }
        if i < e, p[i] == 0x2E {
            i += 1
            while i < e, p[i] &- 0x30 < 10 {
                let d = UInt64(p[i] &- 0x30)
                sawDigit = true
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ d; digits += 1; exponent -= 1
                } else {
                    inexact = true
                }
                i += 1
            }
        }
        guard sawDigit else { return special(p, from: start, to: e) }
        if i < e, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            var negativeExponent = false
            if i < e, p[i] == 0x2D { negativeExponent = true; i += 1 } else if i < e, p[i] == 0x2B { i += 1 }
            var value = 0, exponentDigits = 0
            while i < e, p[i] &- 0x30 < 10 {
                if value < 1_000_000 { value = value * 10 + Int(p[i] &- 0x30) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return .invalid }
            exponent += negativeExponent ? -value : value
        }
        guard i == e else { return .invalid }
        if mantissa == 0 { return .value(negative ? -0.0 : 0) }
        if !inexact {
            if S.self == Double.self {
                if exponent == 0 || (mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22) {
                    var v = Double(mantissa)
                    if exponent < 0 { v /= doublePowers[-exponent] } else if exponent > 0 { v *= doublePowers[exponent] }
                    return .value(S(negative ? -v : v))
                }
            } else if S.self == Float.self {
                if exponent == 0 || (mantissa <= 1 << 24 && exponent >= -10 && exponent <= 10) {
                    var v = Float(mantissa)
                    if exponent < 0 { v /= floatPowers[-exponent] } else if exponent > 0 { v *= floatPowers[exponent] }
                    return .value(S(negative ? -v : v))
                }
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: e - start), as: UTF8.self)
        if S.self == Float.self, let v = Float(text) { return .value(S(v)) }
        if let v = Double(text) { return .value(S(v)) }
        return .invalid
    }

    /// `nan`, `inf`, `infinity` (any case, optional sign) or `.invalid`.
    private static func special<S: BLASScalar>(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Result<S> {
        var i = from
        var negative = false
        if p[i] == 0x2D { negative = true; i += 1 } else if p[i] == 0x2B { i += 1 }
        let n = to - i
        guard n == 3 || n == 8 else { return .invalid }
        var word = [UInt8](repeating: 0, count: n)
        for k in 0..<n { word[k] = p[i + k] | 0x20 }   // ASCII lower case
        switch word {
        case Array("nan".utf8): return .value(S.nan)
        case Array("inf".utf8), Array("infinity".utf8): return .value(negative ? -S.infinity : S.infinity)
        default: return .invalid
        }
    }
}
