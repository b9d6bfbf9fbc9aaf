/// JSON text helpers shared by the formats that write JSON by hand (safetensors headers, GPT-2
/// `vocab.json`).
public enum JSONText {
    /// `text` as a JSON string literal, escaped as `serde_json` (and Python's `json`) do: `\"`,
    /// `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00XX`, the rest as is.
    /// - Complexity: O(text's Unicode scalars).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
