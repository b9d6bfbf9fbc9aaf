import LatentIO

/// Reads and writes the JSON object `{"token": id, …}` of a `vocab.json`, with line and column for
/// every error (a small parser of exactly this shape: one object, string keys, integer values).
enum VocabularyJSON {
    /// One entry and where its key starts (1-based line and column).
    struct Entry { var token: String; var id: Int; var line: Int; var column: Int }

    /// Parses `text`; throws `IOError.malformed` naming `path`, line and column.
    static func parse(_ text: String, path: String) throws -> [Entry] {
        var parser = Parser(scalars: Array(text.unicodeScalars), path: path)
        return try parser.object()
    }

    /// Compact JSON with the entries in id order, as Hugging Face `tokenizers` writes it.
    static func render(_ tokens: [String]) -> String {
        var out = "{"
        for (id, token) in tokens.enumerated() {
            if id > 0 { out += "," }
            out += JSONText.quoted(token) + ":" + String(id)
        }
        return out + "}"
    }


    private struct Parser {
        let scalars: [Unicode.Scalar]
        let path: String
        var index = 0, line = 1, column = 1

        func fail(_ reason: String) -> IOError {
            .malformed(path: path, line: line, column: column, reason: reason)
        }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func advance() {
            if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }

        mutating func skipSpace() {
            while let c = current, c == " " || c == "\n" || c == "\t" || c == "\r" { advance() }
        }

        mutating func expect(_ c: Unicode.Scalar, _ what: String) throws {
            skipSpace()
            guard current == c else { throw fail("expected \(what), found \(describe(current))") }
            advance()
        }

        func describe(_ c: Unicode.Scalar?) -> String { c.map { "'\($0.escaped(asASCII: true))'" } ?? "end of file" }

        mutating func object() throws -> [Entry] {
            try expect("{", "'{' opening the vocabulary object")
            var entries: [Entry] = []
            skipSpace()
            if current == "}" { advance() } else {
                while true {
                    skipSpace()
                    let (keyLine, keyColumn) = (line, column)
                    guard current == "\"" else { throw fail("expected a token string, found \(describe(current))") }
                    let token = try string()
                    try expect(":", "':' after the token \(JSONText.quoted(token))")
                    skipSpace()
                    let id = try integer(field: token)
                    entries.append(Entry(token: token, id: id, line: keyLine, column: keyColumn))
                    skipSpace()
                    guard let c = current, c == "," || c == "}" else { throw fail("expected ',' or '}', found \(describe(current))") }
                    advance()
                    if c == "}" { break }
                }
            }
            skipSpace()
            guard current == nil else { throw fail("unexpected \(describe(current)) after the vocabulary object") }
            return entries
        }

        mutating func string() throws -> String {
            advance()   // opening quote
            var out = String.UnicodeScalarView()
            while true {
                guard let c = current else { throw fail("unterminated string") }
                if c == "\"" { advance(); return String(out) }
                if c.value < 0x20 { throw fail("control character U+\(String(c.value, radix: 16)) in a string") }
                if c != "\\" { out.append(c); advance(); continue }
                advance()
                guard let e = current else { throw fail("unterminated escape") }
                switch e {
                case "\"", "\\", "/": out.append(e)
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    advance()
                    var value = try hex4()
                    if (0xD800...0xDBFF).contains(value) {
                        guard current == "\\" else { throw fail("unpaired surrogate \\u\(String(value, radix: 16))") }
                        advance()
                        guard current == "u" else { throw fail("unpaired surrogate \\u\(String(value, radix: 16))") }
                        advance()
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate \\u\(String(low, radix: 16))") }
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(value) else { throw fail("invalid escape \\u\(String(value, radix: 16))") }
                    out.append(scalar)
                    continue
                default: throw fail("invalid escape \\\(e.escaped(asASCII: true))")
                }
                advance()
            }
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let c = current, let digit = Int(String(c), radix: 16) else { throw fail("expected 4 hex digits after \\u") }
                value = value * 16 + UInt32(digit)
                advance()
            }
            return value
        }

        mutating func integer(field: String) throws -> Int {
            var digits = ""
            while let c = current, ("0"..."9").contains(c) || c == "-" || c == "." || c == "e" || c == "E" || c == "+" {
                digits.unicodeScalars.append(c)
                advance()
            }
            guard let value = Int(digits), value >= 0, digits.first != "-" else {
                throw fail("the id of \(JSONText.quoted(field)) must be a non-negative integer, found \(digits.isEmpty ? describe(current) : digits)")
            }
            return value
        }
    }
}
