import Foundation
import LatentCore

/// NumPy's `.npy` format (version 1.0–3.0): a magic string, a Python-dict header with `descr`,
/// `fortran_order` and `shape`, then the raw little-endian elements.
///
/// Reads `<f4`, `<f8`, `<i4`, `<i8` and `|u1` arrays of one or two dimensions in C order into a
/// `Matrix` (a 1-D array becomes one column; integers are converted exactly where they fit).
/// Writes `<f4`/`<f8` matrices, or 1-D arrays, in C order — the files load unchanged with `numpy.load`.
public enum NPY {
    /// The element types Latent reads.
    public enum DType: String, Sendable, CaseIterable {
        case float32 = "<f4", float64 = "<f8", int32 = "<i4", int64 = "<i8", uint8 = "|u1"
        var size: Int {
            switch self {
            case .float32, .int32: return 4
            case .float64, .int64: return 8
            case .uint8: return 1
            }
        }
    }

    /// The header of an `.npy` file.
    public struct Header: Equatable, Sendable {
        public var dtype: DType
        public var shape: [Int]
        /// Byte offset of the first element.
        public var dataOffset: Int
    }

    /// Reads a matrix from an `.npy` file.
    /// - Throws: `IOError` naming the file and what is wrong (bad magic, Fortran order, an unsupported
    ///   dtype, a shape the data does not fill, …).
    public static func read<S: BLASScalar>(_ url: URL, as: S.Type = S.self) throws -> Matrix<S> {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw IOError.cannotRead(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, path: url.path)
    }

    /// Decodes the bytes of an `.npy` file; `path` is used in error messages only.
    public static func decode<S: BLASScalar>(_ data: Data, path: String = "<memory>") throws -> Matrix<S> {
        let header = try parseHeader(data, path: path)
        let (rows, columns): (Int, Int)
        switch header.shape.count {
        case 0: (rows, columns) = (1, 1)
        case 1: (rows, columns) = (header.shape[0], 1)
        case 2: (rows, columns) = (header.shape[0], header.shape[1])
        default:
            throw IOError.unsupported(path: path, reason: "\(header.shape.count)-dimensional array \(header.shape); Latent reads 1-D and 2-D arrays")
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        let (bytes, overflow2) = count.multipliedReportingOverflow(by: header.dtype.size)
        guard !overflow, !overflow2, data.count - header.dataOffset >= bytes else {
            throw IOError.corrupt(path: path, offset: data.count,
                                  reason: "shape \(header.shape) of \(header.dtype.rawValue) needs \(overflow || overflow2 ? Int.max : bytes) bytes of data, file has \(data.count - header.dataOffset)")
        }
        var out = [S](repeating: 0, count: count)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + header.dataOffset
            switch header.dtype {
            case .float32: for i in 0..<count { out[i] = S(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
            case .float64: for i in 0..<count { out[i] = S(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
            case .int32: for i in 0..<count { out[i] = S(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
            case .int64: for i in 0..<count { out[i] = S(Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
            case .uint8: for i in 0..<count { out[i] = S(base.load(fromByteOffset: i, as: UInt8.self)) }
            }
        }
        return Matrix(rows: rows, columns: columns, storage: out)
    }

    /// Parses and validates the header. - Throws: `IOError` for anything but a C-order array of a supported dtype.
    public static func parseHeader(_ data: Data, path: String = "<memory>") throws -> Header {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw IOError.corrupt(path: path, offset: 0, reason: "not an .npy file (missing the \\x93NUMPY magic string)")
        }
        let major = bytes[6]
        let headerLength: Int, start: Int
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw IOError.corrupt(path: path, offset: bytes.count, reason: "truncated header length") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24; start = 12
        default: throw IOError.unsupported(path: path, reason: "format version \(major).\(bytes[7])")
        }
        guard data.count >= start + headerLength else {
            throw IOError.corrupt(path: path, offset: data.count, reason: "header of \(headerLength) bytes is truncated")
        }
        guard let text = String(data: data.subdata(in: data.startIndex + start..<data.startIndex + start + headerLength), encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw IOError.corrupt(path: path, offset: start, reason: "header is not text")
        }
        guard let descr = value(of: "descr", in: text) else {
            throw IOError.corrupt(path: path, offset: start, reason: "header has no 'descr': \(text.prefix(80))")
        }
        let quoted = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        let normalised = quoted == "<u1" || quoted == ">u1" ? "|u1" : quoted
        guard let dtype = DType(rawValue: normalised) else {
            throw IOError.unsupported(path: path, reason: "dtype \(quoted); Latent reads \(DType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let order = value(of: "fortran_order", in: text) else {
            throw IOError.corrupt(path: path, offset: start, reason: "header has no 'fortran_order'")
        }
        if order.trimmingCharacters(in: .whitespaces) == "True" {
            throw IOError.unsupported(path: path, reason: "Fortran (column-major) order; save with np.ascontiguousarray first")
        }
        guard let shapeText = value(of: "shape", in: text) else {
            throw IOError.corrupt(path: path, offset: start, reason: "header has no 'shape'")
        }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var shape = [Int]()
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let v = Int(t), v >= 0 else { throw IOError.corrupt(path: path, offset: start, reason: "bad shape \(shapeText)") }
            shape.append(v)
        }
        return Header(dtype: dtype, shape: shape, dataOffset: start + headerLength)
    }

    /// The text after `'key':` up to the next top-level comma or closing brace.
    private static func value(of key: String, in header: String) -> String? {
        guard let r = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[r.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        var depth = 0, out = ""
        for ch in rest {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if depth == 0 && (ch == "," || ch == "}") { break }
            out.append(ch)
        }
        return out
    }

    /// Encodes a matrix as `.npy` bytes (`<f4` for Float, `<f8` for Double), 2-D, or 1-D when
    /// `asVector` and the matrix has one column.
    public static func encode<S: BLASScalar>(_ m: Matrix<S>, asVector: Bool = false) -> Data {
        let descr = S.self == Float.self ? "<f4" : "<f8"
        let shape = asVector && m.columns == 1 ? "(\(m.rows),)" : "(\(m.rows), \(m.columns))"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        // Pad with spaces so that magic + length + header + newline is a multiple of 64 bytes.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        m.storage.withUnsafeBufferPointer { p in
            if S.self == Float.self {
                for v in p { var bits = Float(v).bitPattern.littleEndian; withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) } }
            } else {
                for v in p { var bits = Double(v).bitPattern.littleEndian; withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) } }
            }
        }
        return data
    }

    /// Writes a matrix to an `.npy` file atomically (temporary file + rename).
    public static func write<S: BLASScalar>(_ m: Matrix<S>, to url: URL, asVector: Bool = false) throws {
        try AtomicFile.write(encode(m, asVector: asVector), to: url)
    }
}
