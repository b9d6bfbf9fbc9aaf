/// GPT-2's reversible map between bytes and printable Unicode characters (Radford et al. 2019,
/// `bytes_to_unicode` in openai/gpt-2 `encoder.py`).
///
/// The 188 printable bytes `!`…`~`, `¡`…`¬`, `®`…`ÿ` map to the character with the same code
/// point; the other 68 (controls, space, DEL, NBSP, soft hyphen) map to U+0100, U+0101, … in byte
/// order. So `" "` becomes `"Ġ"` and `"\n"` becomes `"Ċ"`. Token strings in `vocab.json` and
/// `merges.txt` are written in this alphabet, which makes every byte sequence a printable string.
public enum ByteLevelAlphabet {
    /// `characters[b]`: the character standing for byte `b`.
    public static let characters: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `characters`: the byte a character stands for, or nil outside the alphabet.
    public static let bytes: [Unicode.Scalar: UInt8] = {
        var inverse: [Unicode.Scalar: UInt8] = [:]
        for (byte, character) in characters.enumerated() { inverse[character] = UInt8(byte) }
        return inverse
    }()

    /// The byte-level string of `bytes` (one character per byte).
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characters[Int(byte)]) }
        return String(text)
    }

    /// The bytes a byte-level string stands for, or nil if a character is outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let byte = bytes[scalar] else { return nil }
            result.append(byte)
        }
        return result
    }
}
