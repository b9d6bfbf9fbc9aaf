import Foundation

/// Splits CSV bytes into fields (RFC 4180): fields separated by a one-byte delimiter, records
/// ended by LF, CRLF or a lone CR; a field in double quotes may hold delimiters, line breaks
/// and `""` for a quote. Tracks 1-based physical line numbers for error messages.
struct CSVTokenizer {
    /// One field: its bytes are `start..<end` (inside the quotes when `quoted`).
    struct Field {
        var start: Int
        var end: Int
        /// The field was in quotes.
        var quoted: Bool
        /// The field holds `""` pairs that stand for one quote each.
        var escaped: Bool
        /// The physical line where the field starts.
        var line: Int
    }

    static let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

    let p: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    let path: String
    /// Read position.
    var position: Int
    /// The current 1-based physical line.
    var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, path: String) {
        p = bytes.baseAddress!
        count = bytes.count
        self.delimiter = delimiter
        self.path = path
        // A UTF-8 byte-order mark is not part of the first field.
        position = count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    /// At the start of a record: true when only line breaks remain (the end of the input).
    /// - Throws: `IOError.malformed` for an empty line before more data.
    func atEnd() throws -> Bool {
        var k = position
        while k < count, p[k] == Self.lf || p[k] == Self.cr { k += 1 }
        if k == count { return true }
        if k != position { throw IOError.malformed(path: path, line: line, column: 1, reason: "empty line") }
        return false
    }

    /// Reads the field at the current position, 1-based `column` for messages; `ended` is true when
    /// a line break or the end of input follows it.
    /// - Throws: `IOError.malformed` for an unterminated quoted field, text after a closing quote,
    ///   or a quote inside an unquoted field.
    @inline(__always)
    mutating func next(column: Int) throws -> (field: Field, ended: Bool) {
        let fieldLine = line
        var field: Field
        if position < count, p[position] == Self.quote {
            position += 1
            let start = position
            var escaped = false
            while true {
                guard position < count else {
                    throw IOError.malformed(path: path, line: fieldLine, column: column, reason: "quoted field is not closed")
                }
                let c = p[position]
                if c == Self.quote {
                    if position + 1 < count, p[position + 1] == Self.quote { escaped = true; position += 2; continue }
                    break
                }
                if c == Self.lf || (c == Self.cr && !(position + 1 < count && p[position + 1] == Self.lf)) { line += 1 }
                position += 1
            }
            field = Field(start: start, end: position, quoted: true, escaped: escaped, line: fieldLine)
            position += 1
            if position < count, p[position] != delimiter, p[position] != Self.lf, p[position] != Self.cr {
                throw IOError.malformed(path: path, line: line, column: column, reason: "text after the closing quote of a quoted field")
            }
        } else {
            let start = position
            while position < count {
                let c = p[position]
                if c == delimiter || c == Self.lf || c == Self.cr { break }
                if c == Self.quote {
                    throw IOError.malformed(path: path, line: line, column: column, reason: "quote inside an unquoted field (quote the whole field and double the quote)")
                }
                position += 1
            }
            field = Field(start: start, end: position, quoted: false, escaped: false, line: fieldLine)
        }
        if position >= count { return (field, true) }
        let c = p[position]
        position += 1
        if c == delimiter { return (field, false) }
        if c == Self.cr, position < count, p[position] == Self.lf { position += 1 }
        line += 1
        return (field, true)
    }

    /// Reads a whole record's fields.
    mutating func record() throws -> [Field] {
        var fields = [Field]()
        while true {
            let (f, ended) = try next(column: fields.count + 1)
            fields.append(f)
            if ended { return fields }
        }
    }

    /// The text of a field, with `""` turned into `"`.
    func string(_ f: Field) -> String {
        let text = String(decoding: UnsafeBufferPointer(start: p + f.start, count: f.end - f.start), as: UTF8.self)
        return f.escaped ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }
}
