import Foundation
import LatentCore

/// Comma-separated values (RFC 4180) to and from matrices.
///
/// Reading turns each record into a row of `features`; one column may be set aside as the
/// class label and others dropped. Quoted fields may hold delimiters, line breaks and `""`
/// (a quote); records end with LF, CRLF or CR. Every cell of a feature column must be a number
/// (`DecimalParser` syntax: `1`, `-2.5`, `.5e-3`; NaN and ±infinity only with
/// `allowNonFinite`). Anything else — a missing value, text, a record with too few or too many
/// fields, an empty line, an empty file — throws `IOError.malformed` naming the file, the
/// 1-based physical line and the 1-based column (field number in the file, counting label and
/// dropped columns).
///
/// Gzip-compressed input (`.csv.gz`) is inflated first.
///
/// Parsing works on bytes, and large quote-free inputs are split at line breaks and parsed on
/// `Parallel.threadCount` threads: Fashion-MNIST as a 60 000 × 785 CSV file (133 MB) takes about
/// 1.5 s of CPU time in a release build, shared among the threads.
public enum CSV {
    /// Whether the first record names the columns.
    public enum Header: Sendable, Equatable {
        /// Decide from the data: the first record is a header when some column holds a
        /// non-number there and a number in the second record (with one record only: when none
        /// of its cells is a number). Choosing a column by name implies a header.
        case auto
        /// The first record is a header.
        case present
        /// There is no header; columns are named `column1`, `column2`, ….
        case absent
    }

    /// A column chosen by header name or by position.
    public enum Column: Sendable, Equatable, Hashable {
        /// The column whose header cell (spaces trimmed) is this name.
        case name(String)
        /// The column at this 0-based position; negative counts from the end (`-1`: the last).
        /// Errors count columns from 1.
        case index(Int)
        /// The first column.
        case first
        /// The last column.
        case last

        /// How people write column positions (the command line's `--label-column` and a batch
        /// file's `label-column`), for help texts and messages.
        public static let positionConvention = "positions count from 1; -1 is the last"
    }

    /// Where the writer puts the label column.
    public enum LabelPosition: Sendable {
        /// Before the features.
        case first
        /// After the features.
        case last
    }

    // MARK: - Reading

    /// Reads a CSV file; see `decode` for the options.
    /// - Throws: `IOError.cannotRead` if the file cannot be read, `IOError.malformed` as `decode`.
    /// - Complexity: O(bytes).
    public static func read<S: BLASScalar>(_ url: URL, as type: S.Type = S.self, delimiter: Character = ",",
                                           header: Header = .auto, label: Column? = nil, drop: [Column] = [],
                                           allowNonFinite: Bool = false) throws -> CSVTable<S> {
        try decode(FileData.read(url), as: S.self, delimiter: delimiter, header: header, label: label, drop: drop,
                   allowNonFinite: allowNonFinite, path: url.path)
    }

    /// Decodes CSV bytes (UTF-8; a leading byte-order mark is skipped; gzip data is inflated first).
    /// - Parameters:
    ///   - delimiter: the field separator, one ASCII character other than `"`, CR or LF (`;`, `\t`, …).
    ///   - header: whether the first record names the columns (see `Header`).
    ///   - label: the column that holds class labels, returned as strings in `labels` (and as
    ///     integer ids through `CSVTable.classes`), not as a feature.
    ///   - drop: columns to ignore entirely (their cells may hold anything).
    ///   - allowNonFinite: accept `nan`, `inf`, `-inf` in feature columns.
    ///   - path: the name used in error messages.
    /// - Throws: `IOError.malformed(path:line:column:reason:)` for the problems listed on `CSV`, a
    ///   column name not in the header, or a column index outside the record.
    /// - Complexity: O(bytes).
    public static func decode<S: BLASScalar>(_ data: Data, as type: S.Type = S.self, delimiter: Character = ",",
                                             header: Header = .auto, label: Column? = nil, drop: [Column] = [],
                                             allowNonFinite: Bool = false, path: String = "<memory>") throws -> CSVTable<S> {
        let d = delimiterByte(delimiter)
        let data = Gzip.isCompressed(data) ? try Gzip.decompress(data, path: path) : data
        return try data.withBytes { bytes in
            var reader = CSVReader<S>(tokenizer: CSVTokenizer(bytes, delimiter: d, path: path), allowNonFinite: allowNonFinite)
            return try reader.read(header: header, label: label, drop: drop)
        }
    }

    /// The delimiter as a byte. A non-ASCII delimiter, or `"`, CR or LF, is a programmer error.
    static func delimiterByte(_ c: Character) -> UInt8 {
        guard let a = c.asciiValue, a != CSVTokenizer.quote, a != CSVTokenizer.lf, a != CSVTokenizer.cr else {
            preconditionFailure("CSV: delimiter \(c.debugDescription) must be one ASCII character other than a quote or a line break")
        }
        return a
    }
}

/// A table read from CSV: the numeric features, their names and the optional label column.
public struct CSVTable<Scalar: BLASScalar>: Sendable, Equatable {
    /// `rows × features` values, one row per record.
    public var features: Matrix<Scalar>
    /// The names of the feature columns in order (from the header, else `column1`, … by position
    /// in the file).
    public var columnNames: [String]
    /// Whether the file had a header record.
    public var hasHeader: Bool
    /// The name of the label column, when one was chosen.
    public var labelName: String?
    /// The label cell of each row, as text (quotes removed), when a label column was chosen.
    public var labels: [String]?

    /// Creates a table; `columnNames.count` must equal `features.columns` and `labels`, when
    /// present, must have one entry per row (preconditions).
    public init(features: Matrix<Scalar>, columnNames: [String], hasHeader: Bool, labelName: String? = nil, labels: [String]? = nil) {
        precondition(columnNames.count == features.columns, "CSVTable: \(columnNames.count) names for \(features.columns) columns")
        precondition(labels == nil || labels!.count == features.rows, "CSVTable: \(labels!.count) labels for \(features.rows) rows")
        self.features = features
        self.columnNames = columnNames
        self.hasHeader = hasHeader
        self.labelName = labelName
        self.labels = labels
    }

    /// The labels as integer class ids (`nil` without a label column); see `LabelEncoding`.
    /// - Complexity: O(n log n).
    public var classes: LabelEncoding? { labels.map(LabelEncoding.init) }
}

/// Reads records after the header decision; one instance per decode.
struct CSVReader<S: BLASScalar> {
    enum Role { case feature, label, drop }

    var tokenizer: CSVTokenizer
    let allowNonFinite: Bool

    var path: String { tokenizer.path }

    func malformed(_ line: Int, _ column: Int, _ reason: String) -> IOError {
        IOError.malformed(path: path, line: line, column: column, reason: reason)
    }

    mutating func read(header: CSV.Header, label: CSV.Column?, drop: [CSV.Column]) throws -> CSVTable<S> {
        if try tokenizer.atEnd() { throw malformed(1, 1, "empty file") }
        // Look at the first two records to settle the header, then rewind to the first data record.
        let firstPosition = tokenizer.position
        let first = try tokenizer.record()
        let secondPosition = tokenizer.position, secondLine = tokenizer.line
        let second = try tokenizer.atEnd() ? nil : try tokenizer.record()
        let usesNames = ([label].compactMap { $0 } + drop).contains { if case .name = $0 { return true } else { return false } }
        let hasHeader: Bool
        switch header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto: hasHeader = usesNames || looksLikeHeader(first, second)
        }
        let width = first.count
        let names = hasHeader
            ? first.map { tokenizer.string($0).trimmingCharacters(in: .whitespaces) }
            : (1...width).map { "column\($0)" }

        // Resolve the label and dropped columns.
        var roles = [Role](repeating: .feature, count: width)
        func resolve(_ c: CSV.Column) throws -> Int {
            switch c {
            case .first: return 0
            case .last: return width - 1
            case .index(let i):
                let j = i < 0 ? width + i : i
                guard j >= 0 && j < width else {
                    throw malformed(1, 1, "column \(i >= 0 ? i + 1 : i) is outside the \(width) columns (\(CSV.Column.positionConvention))")
                }
                return j
            case .name(let name):
                guard hasHeader else { throw malformed(1, 1, "column '\(name)' chosen by name, but the file has no header") }
                let matches = names.indices.filter { names[$0] == name }
                guard let j = matches.first else {
                    let list = names.prefix(10).map { "'\(MessageText.quoted($0))'" }.joined(separator: ", ") + (names.count > 10 ? ", …" : "")
                    throw malformed(1, 1, "no column named '\(name)'; the header has \(list)")
                }
                guard matches.count == 1 else { throw malformed(1, matches[1] + 1, "column name '\(name)' appears more than once") }
                return j
            }
        }
        var labelIndex: Int?
        if let label { labelIndex = try resolve(label); roles[labelIndex!] = .label }
        for c in drop {
            let j = try resolve(c)
            if j == labelIndex { throw malformed(1, j + 1, "column \(j + 1) is both the label and dropped") }
            roles[j] = .drop
        }
        let featureNames = names.indices.filter { roles[$0] == .feature }.map { names[$0] }

        if hasHeader {
            tokenizer.position = secondPosition
            tokenizer.line = secondLine
            if second == nil { throw malformed(secondLine, 1, "no data rows after the header") }
        } else {
            tokenizer.position = firstPosition
            tokenizer.line = 1
        }
        let (values, labels, rows) = try recordsInParallel(roles: roles, featureCount: featureNames.count)
        return CSVTable(features: Matrix(rows: rows, columns: featureNames.count, storage: values),
                        columnNames: featureNames, hasHeader: hasHeader,
                        labelName: labelIndex.map { names[$0] }, labels: labelIndex == nil ? nil : labels)
    }

    /// The header rule of `CSV.Header.auto`.
    func looksLikeHeader(_ first: [CSVTokenizer.Field], _ second: [CSVTokenizer.Field]?) -> Bool {
        func isNumber(_ f: CSVTokenizer.Field) -> Bool {
            if f.escaped { return false }
            if case .value = DecimalParser.parse(tokenizer.p, from: f.start, to: f.end, as: Double.self) { return true }
            return false
        }
        guard let second else { return !first.contains(where: isNumber) }
        for j in 0..<min(first.count, second.count) where !isNumber(first[j]) && isNumber(second[j]) { return true }
        return false
    }

    /// Reads every remaining record, on several threads when the rest of the input is large and
    /// holds no quote (then every line break ends a record, so the input splits at line breaks).
    /// Each chunk starts with its true line number, and the first failing chunk's error is the
    /// one a sequential read would meet first.
    mutating func recordsInParallel(roles: [Role], featureCount: Int) throws -> (values: [S], labels: [String], rows: Int) {
        let p = tokenizer.p, start = tokenizer.position, n = tokenizer.count
        let threads = Parallel.threadCount
        guard threads > 1, n - start >= 1 << 20, memchr(p + start, Int32(CSVTokenizer.quote), n - start) == nil else {
            return try records(roles: roles, featureCount: featureCount)
        }
        // Chunks end just after a line feed and before the trailing run of line breaks.
        var dataEnd = n
        while dataEnd > start, p[dataEnd - 1] == CSVTokenizer.lf || p[dataEnd - 1] == CSVTokenizer.cr { dataEnd -= 1 }
        var bounds = [start]
        let size = (dataEnd - start) / threads + 1
        for k in 1..<threads {
            let from = max(start + k * size, bounds.last!)
            guard from < dataEnd, let hit = memchr(p + from, Int32(CSVTokenizer.lf), dataEnd - from) else { break }
            let next = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - p + 1
            if next < dataEnd && next > bounds.last! { bounds.append(next) }
        }
        bounds.append(n)
        let chunks = bounds.count - 1
        // Physical line breaks per chunk (LF, or CR not followed by LF), for each chunk's first line.
        var breaks = [Int](repeating: 0, count: chunks)
        breaks.withUnsafeMutableBufferPointer { out in
            Parallel.forEachChunk(count: chunks, minimumPerThread: 1) { range in
                for c in range {
                    let lo = bounds[c], hi = bounds[c + 1]
                    var count = 0
                    if memchr(p + lo, Int32(CSVTokenizer.cr), hi - lo) == nil {
                        var q = lo
                        while q < hi, let hit = memchr(p + q, Int32(CSVTokenizer.lf), hi - q) {
                            count += 1
                            q = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - p + 1
                        }
                    } else {
                        for i in lo..<hi {
                            let b = p[i]
                            if b == CSVTokenizer.lf || (b == CSVTokenizer.cr && !(i + 1 < n && p[i + 1] == CSVTokenizer.lf)) { count += 1 }
                        }
                    }
                    out[c] = count
                }
            }
        }
        var outputs = [Result<(values: [S], labels: [String], rows: Int), Error>?](repeating: nil, count: chunks)
        let template = self
        outputs.withUnsafeMutableBufferPointer { out in
            Parallel.forEachChunk(count: chunks, minimumPerThread: 1) { range in
                for c in range {
                    var reader = template
                    reader.tokenizer.position = bounds[c]
                    reader.tokenizer.count = bounds[c + 1]
                    reader.tokenizer.isFinal = c == chunks - 1
                    reader.tokenizer.line = template.tokenizer.line + breaks[..<c].reduce(0, +)
                    out[c] = Result { try reader.records(roles: roles, featureCount: featureCount) }
                }
            }
        }
        var values = [S](), labels = [String](), rows = 0
        values.reserveCapacity(outputs.reduce(0) { $0 + ((try? $1?.get())?.values.count ?? 0) })
        for output in outputs {
            let part = try output!.get()
            values.append(contentsOf: part.values)
            labels.append(contentsOf: part.labels)
            rows += part.rows
        }
        tokenizer.position = n
        return (values, labels, rows)
    }

    /// Reads every remaining record on this thread.
    mutating func records(roles: [Role], featureCount: Int) throws -> (values: [S], labels: [String], rows: Int) {
        let width = roles.count
        var values = [S]()
        var labels = [String]()
        var rows = 0
        let p = tokenizer.p
        // Reserve from the first record's length; bounded by the input size.
        var reserved = false
        // The fast path would read a delimiter such as '.' or '-' as part of a number.
        let plainNumbersAllowed = !Array("0123456789.-".utf8).contains(tokenizer.delimiter)
        while try !tokenizer.atEnd() {
            let recordStart = tokenizer.position
            var column = 0, problemLine = tokenizer.line
            while true {
                // Fast path: a plain unquoted number ends at a delimiter or line break.
                if plainNumbersAllowed, column < width, roles[column] == .feature,
                   let (v, end) = DecimalParser.parsePlain(p, from: tokenizer.position, to: tokenizer.count, as: S.self) {
                    let terminator: UInt8 = end < tokenizer.count ? p[end] : CSVTokenizer.lf
                    if terminator == tokenizer.delimiter || terminator == CSVTokenizer.lf || terminator == CSVTokenizer.cr {
                        values.append(v)
                        problemLine = tokenizer.line
                        column += 1
                        tokenizer.position = end + 1
                        if terminator == tokenizer.delimiter { continue }
                        if end >= tokenizer.count { tokenizer.position = tokenizer.count; break }
                        if terminator == CSVTokenizer.cr, tokenizer.position < tokenizer.count, p[tokenizer.position] == CSVTokenizer.lf {
                            tokenizer.position += 1
                        }
                        tokenizer.line += 1
                        break
                    }
                }
                let (f, ended) = try tokenizer.next(column: column + 1)
                if column <= width { problemLine = f.line }   // the last field, or the first extra one
                if column < width {
                    switch roles[column] {
                    case .feature:
                        let result: DecimalParser.Result<S> = f.escaped ? .invalid : DecimalParser.parse(p, from: f.start, to: f.end)
                        switch result {
                        case .value(let v):
                            if !allowNonFinite && !v.isFinite {
                                throw malformed(f.line, column + 1, "\"\(preview(tokenizer.string(f).trimmingCharacters(in: .whitespaces)))\" is not a finite number (NaN and infinity are refused)")
                            }
                            values.append(v)
                        case .empty:
                            throw malformed(f.line, column + 1, "missing value")
                        case .invalid:
                            throw malformed(f.line, column + 1, "not a number: \"\(preview(tokenizer.string(f)))\"")
                        }
                    case .label:
                        if f.start == f.end && !f.quoted { throw malformed(f.line, column + 1, "missing label") }
                        labels.append(tokenizer.string(f))
                    case .drop:
                        break
                    }
                }
                column += 1
                if ended { break }
            }
            if column != width {
                throw malformed(problemLine, min(column, width) + 1, "expected \(width) fields, found \(column)")
            }
            rows += 1
            if !reserved {
                reserved = true
                let recordBytes = max(1, tokenizer.position - recordStart)
                let estimate = (tokenizer.count - recordStart) / recordBytes + 1
                values.reserveCapacity(min(estimate * featureCount + featureCount, tokenizer.count))
            }
        }
        return (values, labels, rows)
    }

    /// The first 40 characters of a cell, for messages.
    func preview(_ s: String) -> String { MessageText.quoted(s) }
}
