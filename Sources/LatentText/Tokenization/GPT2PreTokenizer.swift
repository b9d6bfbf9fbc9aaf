/// Splits bytes into GPT-2's pre-tokens: the words BPE merges never cross.
///
/// Implements, by hand, the pattern of GPT-2 and Hugging Face's `ByteLevel` pre-tokenizer
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// tried in that order at each position (leftmost alternative wins, quantifiers greedy). `\p{L}`
/// is a letter (general categories Lu Ll Lt Lm Lo), `\p{N}` a number (Nd Nl No), `\s` a scalar with
/// the Unicode White_Space property. The input is any byte string: valid UTF-8 is read scalar by
/// scalar; each byte of a malformed sequence is one unit of the "other" class (like punctuation), so
/// the pre-tokens always tile the input exactly. Cost: O(n) in the number of bytes.
public enum GPT2PreTokenizer {
    /// The byte ranges of the pre-tokens of `bytes`, in order; they tile `0..<bytes.count`.
    public static func split(_ bytes: [UInt8]) -> [Range<Int>] {
        let units = Unit.decode(bytes)
        var ranges: [Range<Int>] = []
        var i = 0
        while i < units.count {
            let end = matchEnd(units, at: i)
            ranges.append(units[i].start..<(end < units.count ? units[end].start : bytes.count))
            i = end
        }
        return ranges
    }

    /// The unit index where the match starting at unit `i` ends (exclusive); always > i.
    private static func matchEnd(_ units: [Unit], at i: Int) -> Int {
        let n = units.count
        // 's|'t|'re|'ve|'m|'ll|'d
        if units[i].scalar == "'" && i + 1 < n {
            let a = units[i + 1].scalar
            if a == "s" || a == "t" || a == "m" || a == "d" { return i + 2 }
            if i + 2 < n {
                let b = units[i + 2].scalar
                if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") { return i + 3 }
            }
        }
        // ` ?X+` for the classes letter, number, other: an optional U+0020 then a run of one class.
        let head = units[i].scalar == " " && i + 1 < n ? i + 1 : i
        for kind in [Kind.letter, .number, .other] where units[head].kind == kind {
            var end = head + 1
            while end < n && units[end].kind == kind { end += 1 }
            return end
        }
        // \s+(?!\S) then \s+: a whitespace run, less its last unit when a non-space follows it.
        var end = i + 1
        while end < n && units[end].kind == .space { end += 1 }
        if end < n && end - i >= 2 { return end - 1 }
        return end
    }

    enum Kind { case letter, number, space, other }

    /// One Unicode scalar (or one byte of malformed UTF-8) and where it starts.
    struct Unit {
        var start: Int
        var scalar: Unicode.Scalar?
        var kind: Kind

        static func decode(_ bytes: [UInt8]) -> [Unit] {
            var units: [Unit] = []
            units.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if let (scalar, length) = scalarAt(bytes, i) {
                    units.append(Unit(start: i, scalar: scalar, kind: kind(of: scalar)))
                    i += length
                } else {
                    units.append(Unit(start: i, scalar: nil, kind: .other))
                    i += 1
                }
            }
            return units
        }

        static func kind(of scalar: Unicode.Scalar) -> Kind {
            if scalar.isASCII {
                let v = scalar.value
                if (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v) { return .letter }
                if (0x30...0x39).contains(v) { return .number }
                if v == 0x20 || (0x09...0x0D).contains(v) { return .space }
                return .other
            }
            let properties = scalar.properties
            if properties.isWhitespace { return .space }
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
            case .decimalNumber, .letterNumber, .otherNumber: return .number
            default: return .other
            }
        }

        /// The well-formed UTF-8 scalar starting at `i` and its length, or nil (RFC 3629 rules:
        /// no overlongs, no surrogates, nothing above U+10FFFF).
        static func scalarAt(_ bytes: [UInt8], _ i: Int) -> (Unicode.Scalar, Int)? {
            let b0 = bytes[i]
            if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
            let length: Int, low: UInt8, high: UInt8
            switch b0 {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return nil
            }
            guard i + length <= bytes.count, (low...high).contains(bytes[i + 1]) else { return nil }
            var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            value = value << 6 | UInt32(bytes[i + 1] & 0x3F)
            for k in 2..<length {
                guard (0x80...0xBF).contains(bytes[i + k]) else { return nil }
                value = value << 6 | UInt32(bytes[i + k] & 0x3F)
            }
            return (Unicode.Scalar(value)!, length)
        }
    }
}
