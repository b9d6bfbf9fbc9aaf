import Foundation
import LatentCore

extension CSV {
    // MARK: - Writing

    /// Encodes a matrix as CSV text: an optional header, one record per row, an optional label
    /// column, `\n` line ends. Numbers are written so that they read back to the same value:
    /// whole numbers below 2^53 as integers (`3`), others in the shortest form that round-trips
    /// (`0.1`, `1e-05`), non-finite values as `nan`, `inf`, `-inf`. Names and labels are quoted
    /// when they hold the delimiter, a quote, a line break, or leading or trailing spaces.
    /// - Parameters:
    ///   - columnNames: one name per column; `nil` writes no header.
    ///   - labels: one label per row, or `nil`.
    ///   - labelName: the header cell of the label column.
    /// - Precondition: `columnNames.count == features.columns`, `labels.count == features.rows`.
    /// - Complexity: O(elements).
    public static func encode<S: BLASScalar>(_ features: Matrix<S>, columnNames: [String]? = nil, labels: [String]? = nil,
                                             labelName: String = "label", labelPosition: LabelPosition = .last,
                                             delimiter: Character = ",") -> Data {
        var out = Data()
        emit(features, columnNames: columnNames, labels: labels, labelName: labelName, labelPosition: labelPosition,
             delimiter: delimiter) { out.append($0.baseAddress!, count: $0.count) }
        return out
    }

    /// Writes a matrix as a CSV file atomically (temporary file + rename), streaming in blocks of
    /// 1 MiB; see `encode` for the format.
    /// - Throws: `IOError.cannotWrite`.
    public static func write<S: BLASScalar>(_ features: Matrix<S>, to url: URL, columnNames: [String]? = nil, labels: [String]? = nil,
                                            labelName: String = "label", labelPosition: LabelPosition = .last,
                                            delimiter: Character = ",") throws {
        try AtomicFile.write(to: url) { handle in
            var failure: Error?
            emit(features, columnNames: columnNames, labels: labels, labelName: labelName, labelPosition: labelPosition,
                 delimiter: delimiter) { block in
                guard failure == nil else { return }
                do { try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: block.baseAddress!), count: block.count, deallocator: .none)) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// Produces the CSV bytes in blocks of about 1 MiB.
    private static func emit<S: BLASScalar>(_ m: Matrix<S>, columnNames: [String]?, labels: [String]?, labelName: String,
                                            labelPosition: LabelPosition, delimiter: Character,
                                            _ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        if let columnNames {
            precondition(columnNames.count == m.columns, "CSV.encode: \(columnNames.count) column names for \(m.columns) columns")
        }
        if let labels {
            precondition(labels.count == m.rows, "CSV.encode: \(labels.count) labels for \(m.rows) rows")
        }
        let d = delimiterByte(delimiter)
        var out = OutputBuffer(capacity: 1 << 20)
        defer { out.deallocate() }
        if let columnNames {
            var cells = columnNames
            if labels != nil { if labelPosition == .first { cells.insert(labelName, at: 0) } else { cells.append(labelName) } }
            for (k, c) in cells.enumerated() {
                if k > 0 { out.append(d) }
                out.append(quoted(c, delimiter: d))
            }
            out.append(CSVTokenizer.lf)
        }
        m.storage.withUnsafeBufferPointer { values in
            for i in 0..<m.rows {
                if let labels, labelPosition == .first {
                    out.append(quoted(labels[i], delimiter: d))
                    if m.columns > 0 { out.append(d) }
                }
                for j in 0..<m.columns {
                    if j > 0 { out.append(d) }
                    let v = values[i * m.columns + j]
                    if !out.appendWholeNumber(Double(v)) { out.append(v.description) }   // shortest round-trip form
                }
                if let labels, labelPosition == .last {
                    if m.columns > 0 { out.append(d) }
                    out.append(quoted(labels[i], delimiter: d))
                }
                out.append(CSVTokenizer.lf)
                if out.count >= 1 << 20 { sink(out.bytes); out.count = 0 }
            }
        }
        if out.count > 0 { sink(out.bytes) }
    }

    /// `s`, in quotes with inner quotes doubled when it needs them.
    static func quoted(_ s: String, delimiter: UInt8) -> String {
        let u = s.utf8
        let needs = u.isEmpty || u.contains { $0 == delimiter || $0 == CSVTokenizer.quote || $0 == CSVTokenizer.lf || $0 == CSVTokenizer.cr }
            || u.first == 0x20 || u.last == 0x20 || u.first == 0x09 || u.last == 0x09
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// A growable byte buffer on raw memory: the CSV writer's output between flushes (no
/// reference counting or exclusivity checks per byte).
struct OutputBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written since the last reset.
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    /// The bytes written so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    func deallocate() { base.deallocate() }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n <= capacity { return }
        let grown = max(capacity * 2, count + n)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = grown
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { u in
            guard let from = u.baseAddress else { return }
            reserve(u.count)
            (base + count).update(from: from, count: u.count)
            count += u.count
        }
    }

    /// Appends `v` as integer digits when it is a whole number below 2^53 in magnitude (and not
    /// −0); returns false, appending nothing, otherwise.
    @inline(__always)
    mutating func appendWholeNumber(_ v: Double) -> Bool {
        guard abs(v) < 0x1p53, v.rounded(.towardZero) == v, !(v == 0 && v.sign == .minus) else { return false }
        var n = Int64(v)
        reserve(17)
        if n < 0 { base[count] = 0x2D; count += 1; n = -n }
        var digits = 1, t = n
        while t >= 10 { t /= 10; digits += 1 }
        var k = count + digits - 1
        repeat { base[k] = UInt8(truncatingIfNeeded: 0x30 + n % 10); n /= 10; k -= 1 } while n > 0
        count += digits
        return true
    }
}
