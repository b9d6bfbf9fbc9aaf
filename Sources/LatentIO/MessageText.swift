/// Text taken from a user's file, made safe to print inside a one-line message.
public enum MessageText {
    /// `text` with control characters, line breaks, quotes and backslashes escaped (`\n`, `\t`,
    /// `\"`, `\u{1B}`) and cut to `limit` characters (then `…`), so a hostile cell cannot break a
    /// message over lines, move the cursor or recolour the terminal.
    public static func quoted(_ text: some StringProtocol, limit: Int = 40) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { out += "…"; break }
            count += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                let v = scalar.value
                // C0 and C1 controls, DEL, and the bidirectional overrides that reorder what is shown.
                if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                    out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
