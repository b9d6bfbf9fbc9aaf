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
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20 + 4096)
        func flushIfFull() {
            if buffer.count >= 1 << 20 { buffer.withUnsafeBufferPointer(sink); buffer.removeAll(keepingCapacity: true) }
        }
        func text(_ s: String) { buffer.append(contentsOf: quoted(s, delimiter: d).utf8) }

        if let columnNames {
            var cells = columnNames
            if labels != nil { if labelPosition == .first { cells.insert(labelName, at: 0) } else { cells.append(labelName) } }
            for (k, c) in cells.enumerated() {
                if k > 0 { buffer.append(d) }
                text(c)
            }
            buffer.append(CSVTokenizer.lf)
        }
        m.storage.withUnsafeBufferPointer { values in
            for i in 0..<m.rows {
                if let labels, labelPosition == .first {
                    text(labels[i])
                    if m.columns > 0 { buffer.append(d) }
                }
                for j in 0..<m.columns {
                    if j > 0 { buffer.append(d) }
                    appendNumber(values[i * m.columns + j], to: &buffer)
                }
                if let labels, labelPosition == .last {
                    if m.columns > 0 { buffer.append(d) }
                    text(labels[i])
                }
                buffer.append(CSVTokenizer.lf)
                flushIfFull()
            }
        }
        if !buffer.isEmpty { buffer.withUnsafeBufferPointer(sink) }
    }

    /// Appends the text of `v` that reads back to exactly `v`.
    @inline(__always)
    static func appendNumber<S: BLASScalar>(_ v: S, to buffer: inout [UInt8]) {
        if v.isFinite, v == v.rounded(), abs(v) < 0x1p53, !(v == 0 && v.sign == .minus) {
            var n = Int64(v)
            if n < 0 { buffer.append(0x2D); n = -n }
            if n == 0 { buffer.append(0x30); return }
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // up to 16 digits, written backwards
            var k = 0
            withUnsafeMutableBytes(of: &digits) { raw in
                while n > 0 { raw[k] = UInt8(0x30 + n % 10); n /= 10; k += 1 }
                for q in stride(from: k - 1, through: 0, by: -1) { buffer.append(raw[q]) }
            }
            return
        }
        buffer.append(contentsOf: v.description.utf8)   // shortest round-trip form; "nan", "inf", "-inf", "-0.0"
    }

    /// `s`, in quotes with inner quotes doubled when it needs them.
    static func quoted(_ s: String, delimiter: UInt8) -> String {
        let u = s.utf8
        let needs = u.isEmpty || u.contains { $0 == delimiter || $0 == CSVTokenizer.quote || $0 == CSVTokenizer.lf || $0 == CSVTokenizer.cr }
            || u.first == 0x20 || u.last == 0x20 || u.first == 0x09 || u.last == 0x09
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
