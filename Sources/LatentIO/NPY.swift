import Foundation
import LatentCore

/// NumPy's `.npy` format, versions 1.0, 2.0 and 3.0: the magic string `\x93NUMPY`, a version, a
/// header length, a Python-dict header with `descr`, `fortran_order` and `shape`, then the raw
/// little-endian elements.
///
/// Reads `<f4`, `<f8`, `<i4`, `<i8` and `|u1` arrays of zero, one or two dimensions in C order:
/// into a `Matrix` (a 1-D array of length n becomes an n × 1 column, a 0-D scalar a 1 × 1
/// matrix; integers convert to the nearest `Float`/`Double`), or into `[Int]` for class labels.
/// Writes matrices as `<f4`/`<f8` and integer vectors as `<i8`, `<i4` or `|u1`, byte for byte as
/// `numpy.save` does (same header, same padding), so files move to and from NumPy unchanged.
///
/// Decoders work on in-memory `Data` and check every size against the bytes actually present
/// before allocating, so arbitrary input only ever throws `IOError`.
public enum NPY {
    /// The element types Latent reads and writes, by their NumPy `descr` string.
    public enum DType: String, Sendable, CaseIterable, Codable {
        /// 32-bit IEEE float, little-endian.
        case float32 = "<f4"
        /// 64-bit IEEE float, little-endian.
        case float64 = "<f8"
        /// 32-bit signed integer, little-endian.
        case int32 = "<i4"
        /// 64-bit signed integer, little-endian.
        case int64 = "<i8"
        /// Unsigned byte.
        case uint8 = "|u1"

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .float32, .int32: return 4
            case .float64, .int64: return 8
            case .uint8: return 1
            }
        }

        /// Whether the elements are integers.
        public var isInteger: Bool { self == .int32 || self == .int64 || self == .uint8 }
    }

    /// The parsed header of an `.npy` file.
    public struct Header: Equatable, Sendable {
        /// The element type.
        public var dtype: DType
        /// The array's shape (empty for a 0-D scalar).
        public var shape: [Int]
        /// Byte offset of the first element (a multiple of 64 in files NumPy writes).
        public var dataOffset: Int
        /// The format's major version: 1, 2 or 3.
        public var version: Int
        /// Number of elements, the product of `shape` (1 for a scalar).
        public var count: Int { shape.reduce(1, *) }
    }

    // MARK: - Reading

    /// Reads an `.npy` file into a matrix (see the type's documentation for shapes and dtypes).
    /// - Throws: `IOError` naming the file and what is wrong: bad magic, Fortran order, an
    ///   unsupported or big-endian dtype, more than two dimensions, a shape the data does not fill.
    /// - Complexity: O(elements).
    public static func read<S: BLASScalar>(_ url: URL, as type: S.Type = S.self) throws -> Matrix<S> {
        try decode(FileData.read(url), as: S.self, path: url.path)
    }

    /// Decodes the bytes of an `.npy` file into a matrix; `path` is used in error messages only.
    /// - Throws: as `read(_:as:)`. - Complexity: O(elements).
    public static func decode<S: BLASScalar>(_ data: Data, as type: S.Type = S.self, path: String = "<memory>") throws -> Matrix<S> {
        let header = try parseHeader(data, path: path)
        let (rows, columns): (Int, Int)
        switch header.shape.count {
        case 0: (rows, columns) = (1, 1)
        case 1: (rows, columns) = (header.shape[0], 1)
        case 2: (rows, columns) = (header.shape[0], header.shape[1])
        default:
            throw IOError.unsupported(path: path, reason: "\(header.shape.count)-dimensional array of shape \(shapeText(header.shape)); Latent reads 1-D and 2-D arrays")
        }
        let count = rows * columns   // checked against the byte count in parseHeader
        var out = [S](repeating: 0, count: count)
        data.withBytes { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!) + header.dataOffset
            out.withUnsafeMutableBufferPointer { o in convert(base, header.dtype, count, into: o.baseAddress!) }
        }
        return Matrix(rows: rows, columns: columns, storage: out)
    }

    /// Reads an `.npy` file of class labels or other integers: a 1-D array, or a 2-D array with
    /// one column, of an integer dtype (`<i4`, `<i8`, `|u1`), or of a float dtype whose values are
    /// all whole numbers.
    /// - Throws: `IOError` for the problems `read` reports, a wrong shape, or a float that is not a
    ///   whole number (naming its byte offset). - Complexity: O(elements).
    public static func readIntegers(_ url: URL) throws -> [Int] {
        try decodeIntegers(FileData.read(url), path: url.path)
    }

    /// Decodes `.npy` bytes holding integers; see `readIntegers(_:)`.
    public static func decodeIntegers(_ data: Data, path: String = "<memory>") throws -> [Int] {
        let header = try parseHeader(data, path: path)
        guard header.shape.count == 1 || (header.shape.count == 2 && header.shape[1] == 1) else {
            throw IOError.unsupported(path: path, reason: "integers need a 1-D array (or one column); the shape is \(shapeText(header.shape))")
        }
        let count = header.shape[0]
        return try data.withBytes { bytes -> [Int] in
            let base = UnsafeRawPointer(bytes.baseAddress!) + header.dataOffset
            var out = [Int](repeating: 0, count: count)
            for i in 0..<count {
                switch header.dtype {
                case .uint8: out[i] = Int(base.load(fromByteOffset: i, as: UInt8.self))
                case .int32: out[i] = Int(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                case .int64: out[i] = Int(Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
                case .float32, .float64:
                    let v = header.dtype == .float32
                        ? Double(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))
                        : Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                    guard v.isFinite, v.rounded() == v, abs(v) <= 0x1p53 else {
                        throw IOError.corrupt(path: path, offset: header.dataOffset + i * header.dtype.byteCount,
                                              reason: "element \(i) is \(v), not a whole number")
                    }
                    out[i] = Int(v)
                }
            }
            return out
        }
    }

    /// Parses and validates the header, and checks that the data that follows has exactly the
    /// size the shape and dtype need.
    /// - Throws: `IOError` for anything but a C-order array of a supported dtype.
    public static func parseHeader(_ data: Data, path: String = "<memory>") throws -> Header {
        try data.withBytes { try parseHeader($0, path: path) }
    }

    private static func parseHeader(_ b: UnsafeBufferPointer<UInt8>, path: String) throws -> Header {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard b.count >= 8, Array(b[0..<6]) == magic else {
            throw IOError.corrupt(path: path, offset: 0, reason: "not an .npy file (no \\x93NUMPY magic string)")
        }
        let major = Int(b[6])
        let headerLength: Int, start: Int
        switch major {
        case 1:
            guard b.count >= 10 else { throw IOError.corrupt(path: path, offset: b.count, reason: "file ends inside the header length") }
            headerLength = Int(b[8]) | Int(b[9]) << 8
            start = 10
        case 2, 3:
            guard b.count >= 12 else { throw IOError.corrupt(path: path, offset: b.count, reason: "file ends inside the header length") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            start = 12
        default:
            throw IOError.unsupported(path: path, reason: "format version \(major).\(b[7]); Latent reads versions 1.0, 2.0 and 3.0")
        }
        guard b.count - start >= headerLength else {
            throw IOError.corrupt(path: path, offset: b.count, reason: "header of \(headerLength) bytes is truncated (file has \(b.count) bytes)")
        }
        var parser = HeaderParser(bytes: UnsafeBufferPointer(rebasing: b[start..<start + headerLength]), offset: start, path: path)
        let fields = try parser.parse()
        guard let descr = fields.descr else { throw IOError.corrupt(path: path, offset: start, reason: "header has no 'descr'") }
        guard let fortran = fields.fortranOrder else { throw IOError.corrupt(path: path, offset: start, reason: "header has no 'fortran_order'") }
        guard let shape = fields.shape else { throw IOError.corrupt(path: path, offset: start, reason: "header has no 'shape'") }
        let dtype = try dtype(descr, path: path)
        if fortran && shape.count > 1 {
            throw IOError.unsupported(path: path, reason: "Fortran (column-major) order; save with np.ascontiguousarray first")
        }
        // Guard sizes against the bytes present before anyone allocates.
        var count = 1
        for d in shape {
            let (c, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw IOError.corrupt(path: path, offset: start, reason: "shape \(shapeText(shape)) overflows") }
            count = c
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
        let dataOffset = start + headerLength
        let present = b.count - dataOffset
        guard !overflow, needed <= present else {
            throw IOError.corrupt(path: path, offset: b.count,
                                  reason: "shape \(shapeText(shape)) of \(dtype.rawValue) needs \(overflow ? "more than \(Int.max)" : "\(needed)") bytes of data, the file has \(present)")
        }
        guard needed == present else {
            throw IOError.corrupt(path: path, offset: dataOffset + needed, reason: "\(present - needed) bytes follow the array's data")
        }
        return Header(dtype: dtype, shape: shape, dataOffset: dataOffset, version: major)
    }

    /// Maps a `descr` string to a supported dtype, or explains why not.
    private static func dtype(_ descr: String, path: String) throws -> DType {
        let supported = DType.allCases.map(\.rawValue).joined(separator: ", ")
        var normal = descr
        if let first = descr.first, first == "=" { normal = "<" + descr.dropFirst() }   // native order: Latent's hosts are little-endian
        if normal == "<u1" || normal == ">u1" || normal == "=u1" { normal = "|u1" }
        if let t = DType(rawValue: normal) { return t }
        if descr.first == ">" {
            throw IOError.unsupported(path: path, reason: "big-endian dtype \(descr); convert with a.astype('<\(descr.dropFirst())') first")
        }
        throw IOError.unsupported(path: path, reason: "dtype \(descr); Latent reads \(supported)")
    }

    /// NumPy's `repr` of a shape tuple: `()`, `(5,)`, `(5, 3)`.
    static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Converts `count` little-endian elements of `dtype` at `base` into `out`.
    private static func convert<S: BLASScalar>(_ base: UnsafeRawPointer, _ dtype: DType, _ count: Int, into out: UnsafeMutablePointer<S>) {
        if (dtype == .float32 && S.self == Float.self) || (dtype == .float64 && S.self == Double.self) {
            memcpy(out, base, count * dtype.byteCount)   // same layout on little-endian hosts
            return
        }
        switch dtype {
        case .float32: for i in 0..<count { out[i] = S(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
        case .float64: for i in 0..<count { out[i] = S(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
        case .int32: for i in 0..<count { out[i] = S(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
        case .int64: for i in 0..<count { out[i] = S(Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
        case .uint8: for i in 0..<count { out[i] = S(base.load(fromByteOffset: i, as: UInt8.self)) }
        }
    }

    // MARK: - Writing

    /// Encodes a matrix as `.npy` bytes: `<f4` for `Float`, `<f8` for `Double`, shape
    /// `(rows, columns)`, or `(rows,)` when `asVector` is set and the matrix has one column.
    /// The bytes equal what `numpy.save` writes for the same array. - Complexity: O(elements).
    public static func encode<S: BLASScalar>(_ m: Matrix<S>, asVector: Bool = false) -> Data {
        let dtype: DType = S.self == Float.self ? .float32 : .float64
        let shape = asVector && m.columns == 1 ? [m.rows] : [m.rows, m.columns]
        var data = headerBytes(dtype: dtype, shape: shape)
        m.storage.withUnsafeBytes { data.append(contentsOf: $0) }   // little-endian host: the bytes are the file's
        return data
    }

    /// Encodes integers as a 1-D `.npy` array of `dtype` (`.int64`, `.int32` or `.uint8`), byte for
    /// byte as `numpy.save` writes it. A value that does not fit `dtype`, or a float dtype, is a
    /// programmer error (precondition). - Complexity: O(count).
    public static func encode(integers values: [Int], dtype: DType = .int64) -> Data {
        precondition(dtype.isInteger, "NPY.encode(integers:): \(dtype.rawValue) is not an integer dtype")
        var data = headerBytes(dtype: dtype, shape: [values.count])
        data.reserveCapacity(data.count + values.count * dtype.byteCount)
        for (i, v) in values.enumerated() {
            switch dtype {
            case .uint8:
                precondition(v >= 0 && v <= 255, "NPY.encode(integers:): value \(v) at index \(i) does not fit |u1")
                data.append(UInt8(v))
            case .int32:
                precondition(v >= Int(Int32.min) && v <= Int(Int32.max), "NPY.encode(integers:): value \(v) at index \(i) does not fit <i4")
                withUnsafeBytes(of: Int32(v).littleEndian) { data.append(contentsOf: $0) }
            default:
                withUnsafeBytes(of: Int64(v).littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Writes a matrix to an `.npy` file atomically (temporary file + rename); see `encode(_:asVector:)`.
    /// - Throws: `IOError.cannotWrite`.
    public static func write<S: BLASScalar>(_ m: Matrix<S>, to url: URL, asVector: Bool = false) throws {
        try AtomicFile.write(encode(m, asVector: asVector), to: url)
    }

    /// Writes integers to an `.npy` file atomically; see `encode(integers:dtype:)`.
    /// - Throws: `IOError.cannotWrite`.
    public static func write(integers values: [Int], dtype: DType = .int64, to url: URL) throws {
        try AtomicFile.write(encode(integers: values, dtype: dtype), to: url)
    }

    /// Magic, version 1.0, length and header exactly as NumPy ≥ 1.25 writes them: keys sorted,
    /// 21 − len(repr(shape[0])) spare spaces for in-place growth, then spaces and a newline up to
    /// a multiple of 64 bytes (a full 64 when already aligned, as NumPy does).
    static func headerBytes(dtype: DType, shape: [Int]) -> Data {
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText(shape)), }"
        if let first = shape.first { header += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        let length = header.utf8.count + 1
        let padding = 64 - (10 + length) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let total = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(total & 0xFF), UInt8(total >> 8)])
        data.append(contentsOf: Array(header.utf8))
        return data
    }
}

/// A parser for the Python dict literal in an `.npy` header: string keys; values that are
/// strings, `True`/`False`, or tuples of non-negative integers. Offsets in errors are file offsets.
private struct HeaderParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let offset: Int
    let path: String
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>, offset: Int, path: String) {
        self.bytes = bytes
        self.offset = offset
        self.path = path
    }

    struct Fields { var descr: String?; var fortranOrder: Bool?; var shape: [Int]? }

    func fail(_ reason: String) -> IOError { IOError.corrupt(path: path, offset: offset + i, reason: "header: " + reason) }

    mutating func skipSpace() { while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 } }

    mutating func expect(_ c: UInt8) throws {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
        i += 1
    }

    mutating func string() throws -> String {
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x27 || bytes[i] == 0x22 else { throw fail("expected a quoted string") }
        let quote = bytes[i]
        i += 1
        let s = i
        while i < bytes.count, bytes[i] != quote { i += 1 }
        guard i < bytes.count else { throw fail("unterminated string") }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<i]), as: UTF8.self)
        i += 1
        return text
    }

    mutating func word(_ w: String) -> Bool {
        let u = Array(w.utf8)
        guard bytes.count - i >= u.count, Array(bytes[i..<i + u.count]) == u else { return false }
        i += u.count
        return true
    }

    mutating func tuple() throws -> [Int] {
        try expect(0x28)
        var out = [Int]()
        while true {
            skipSpace()
            if i < bytes.count, bytes[i] == 0x29 { i += 1; return out }
            var v = 0, digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(bytes[i] - 0x30))
                guard !o1, !o2 else { throw fail("shape dimension too large") }
                v = a; digits += 1; i += 1
            }
            guard digits > 0 else { throw fail("expected a non-negative integer in the shape") }
            if i < bytes.count, bytes[i] == 0x4C { i += 1 }   // Python 2 long suffix
            out.append(v)
            skipSpace()
            if i < bytes.count, bytes[i] == 0x2C { i += 1; continue }
            if i < bytes.count, bytes[i] == 0x29 { i += 1; return out }
            throw fail("expected ',' or ')' in the shape")
        }
    }

    mutating func parse() throws -> Fields {
        var f = Fields()
        try expect(0x7B)
        while true {
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; break }
            skipSpace()
            let keyStart = i
            let key = try string()
            try expect(0x3A)
            skipSpace()
            switch key {
            case "descr":
                guard i < bytes.count else { throw fail("missing value") }
                if bytes[i] == 0x5B || bytes[i] == 0x7B {
                    throw IOError.unsupported(path: path, reason: "structured dtype; Latent reads plain arrays of \(NPY.DType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                f.descr = try string()
            case "fortran_order":
                if word("True") { f.fortranOrder = true } else if word("False") { f.fortranOrder = false } else { throw fail("fortran_order must be True or False") }
            case "shape":
                f.shape = try tuple()
            default:
                i = keyStart
                throw fail("unexpected key '\(key)'")
            }
            skipSpace()
            if i < bytes.count, bytes[i] == 0x2C { i += 1; continue }
            if i < bytes.count, bytes[i] == 0x7D { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        skipSpace()
        guard i == bytes.count else { throw fail("unexpected text after the dict") }
        return f
    }
}
