import Foundation
import LatentCore

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic `00 00 tt nn`
/// (`tt` the element type, `nn` the number of dimensions), `nn` big-endian `UInt32` sizes, then
/// the big-endian elements in row-major order. Files may be gzip-compressed (`.gz`); the decoders
/// recognise gzip's magic bytes and inflate through zlib first.
///
/// A file of shape `(n, d₁, d₂, …)` reads as an `n × (d₁·d₂·…)` matrix (one flattened image
/// per row); a 1-D file of labels reads as `[Int]`. Every size is checked against the bytes
/// present before anything is allocated, so arbitrary input only ever throws `IOError`.
public enum IDX {
    /// IDX element types by their magic type code.
    public enum DType: UInt8, Sendable, CaseIterable {
        /// Unsigned byte (`0x08`), the type of MNIST's pixels and labels.
        case uint8 = 0x08
        /// Signed byte (`0x09`).
        case int8 = 0x09
        /// Big-endian 16-bit integer (`0x0B`).
        case int16 = 0x0B
        /// Big-endian 32-bit integer (`0x0C`).
        case int32 = 0x0C
        /// Big-endian 32-bit float (`0x0D`).
        case float32 = 0x0D
        /// Big-endian 64-bit float (`0x0E`).
        case float64 = 0x0E

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }
    }

    /// The parsed header of an (uncompressed) IDX file.
    public struct Header: Equatable, Sendable {
        /// The element type.
        public var dtype: DType
        /// The sizes of the dimensions, outermost first (MNIST images: `[n, 28, 28]`).
        public var dimensions: [Int]
        /// Byte offset of the first element: `4 + 4 · dimensions.count`.
        public var dataOffset: Int
        /// Number of elements, the product of `dimensions`.
        public var count: Int { dimensions.reduce(1, *) }
    }

    // MARK: - Files

    /// Reads an IDX file (plain or gzip) as a matrix with one row per item of the first dimension.
    /// `scaleToUnit` divides unsigned bytes by 255 so pixels lie in [0, 1].
    /// - Throws: `IOError` naming the file: bad magic, an unknown type code, a size the data does
    ///   not match, bad gzip data, or `scaleToUnit` on a type other than unsigned bytes.
    /// - Complexity: O(bytes).
    public static func readMatrix<S: BLASScalar>(_ url: URL, as type: S.Type = S.self, scaleToUnit: Bool = false) throws -> Matrix<S> {
        try decodeMatrix(FileData.read(url), as: S.self, scaleToUnit: scaleToUnit, path: url.path)
    }

    /// Reads a 1-D IDX file of integers (plain or gzip), such as class labels.
    /// - Throws: `IOError` as `readMatrix`, or for more than one dimension or a float type.
    public static func readLabels(_ url: URL) throws -> [Int] {
        try decodeLabels(FileData.read(url), path: url.path)
    }

    // MARK: - Bytes

    /// Decodes IDX bytes (inflating gzip first) into an `n × (d₁·d₂·…)` matrix; a 1-D file
    /// becomes an `n × 1` column. See `readMatrix`.
    public static func decodeMatrix<S: BLASScalar>(_ data: Data, as type: S.Type = S.self, scaleToUnit: Bool = false,
                                                   path: String = "<memory>") throws -> Matrix<S> {
        let raw = Gzip.isCompressed(data) ? try Gzip.decompress(data, path: path) : data
        let header = try parseHeader(raw, path: path)
        if scaleToUnit && header.dtype != .uint8 {
            throw IOError.unsupported(path: path, reason: "scaling to [0, 1] applies to unsigned bytes, the file holds \(header.dtype)")
        }
        let rows = header.dimensions[0]
        let columns = header.dimensions.dropFirst().reduce(1, *)
        let count = rows * columns   // checked against the byte count in parseHeader
        var out = [S](repeating: 0, count: count)
        raw.withBytes { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!) + header.dataOffset
            out.withUnsafeMutableBufferPointer { o in
                let p = o.baseAddress!
                switch header.dtype {
                case .uint8:
                    // A 256-entry table: one load per pixel, and the scaling is exact division.
                    let table = (0..<256).map { scaleToUnit ? S($0) / 255 : S($0) }
                    table.withUnsafeBufferPointer { t in
                        let bytes = base.assumingMemoryBound(to: UInt8.self)
                        Parallel.forEachChunk(count: count, minimumPerThread: 1 << 20) { range in
                            for i in range { p[i] = t[Int(bytes[i])] }
                        }
                    }
                case .int8: for i in 0..<count { p[i] = S(base.load(fromByteOffset: i, as: Int8.self)) }
                case .int16: for i in 0..<count { p[i] = S(Int16(bigEndian: base.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))) }
                case .int32: for i in 0..<count { p[i] = S(Int32(bigEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
                case .float32: for i in 0..<count { p[i] = S(Float(bitPattern: UInt32(bigEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
                case .float64: for i in 0..<count { p[i] = S(Double(bitPattern: UInt64(bigEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
                }
            }
        }
        return Matrix(rows: rows, columns: columns, storage: out)
    }

    /// Decodes a 1-D IDX array of integers (inflating gzip first). See `readLabels`.
    public static func decodeLabels(_ data: Data, path: String = "<memory>") throws -> [Int] {
        let raw = Gzip.isCompressed(data) ? try Gzip.decompress(data, path: path) : data
        let header = try parseHeader(raw, path: path)
        guard header.dimensions.count == 1 else {
            throw IOError.unsupported(path: path, reason: "labels need a 1-D file, this one has dimensions \(header.dimensions)")
        }
        let count = header.dimensions[0]
        return try raw.withBytes { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!) + header.dataOffset
            switch header.dtype {
            case .uint8: return (0..<count).map { Int(base.load(fromByteOffset: $0, as: UInt8.self)) }
            case .int8: return (0..<count).map { Int(base.load(fromByteOffset: $0, as: Int8.self)) }
            case .int16: return (0..<count).map { Int(Int16(bigEndian: base.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) }
            case .int32: return (0..<count).map { Int(Int32(bigEndian: base.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
            case .float32, .float64:
                throw IOError.unsupported(path: path, reason: "labels need an integer type, the file holds \(header.dtype)")
            }
        }
    }

    /// Parses the magic and sizes of uncompressed IDX bytes and checks that the data that
    /// follows has exactly the size they announce.
    /// - Throws: `IOError.corrupt` with the byte offset of the problem.
    public static func parseHeader(_ data: Data, path: String = "<memory>") throws -> Header {
        try data.withBytes { b in
            guard b.count >= 4 else { throw IOError.corrupt(path: path, offset: b.count, reason: "file ends inside the 4-byte magic number") }
            guard b[0] == 0, b[1] == 0 else {
                throw IOError.corrupt(path: path, offset: 0, reason: "not an IDX file (the magic number must start with two zero bytes)")
            }
            guard let dtype = DType(rawValue: b[2]) else {
                throw IOError.corrupt(path: path, offset: 2, reason: "unknown element type code 0x\(String(b[2], radix: 16, uppercase: true))")
            }
            let rank = Int(b[3])
            guard rank >= 1 else { throw IOError.corrupt(path: path, offset: 3, reason: "zero dimensions") }
            let dataOffset = 4 + 4 * rank
            guard b.count >= dataOffset else {
                throw IOError.corrupt(path: path, offset: b.count, reason: "file ends inside the sizes of \(rank) dimensions")
            }
            var dimensions = [Int]()
            var count = 1, overflow = false
            for k in 0..<rank {
                let o = 4 + 4 * k
                let d = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
                dimensions.append(d)
                let (c, o1) = count.multipliedReportingOverflow(by: d)
                count = c
                overflow = overflow || o1
            }
            let (needed, o2) = count.multipliedReportingOverflow(by: dtype.byteCount)
            let present = b.count - dataOffset
            guard !overflow, !o2, needed <= present else {
                throw IOError.corrupt(path: path, offset: b.count,
                                      reason: "dimensions \(dimensions) of \(dtype) need \(overflow || o2 ? "more than \(Int.max)" : "\(needed)") bytes of data, the file has \(present)")
            }
            guard needed == present else {
                throw IOError.corrupt(path: path, offset: dataOffset + needed, reason: "\(present - needed) bytes follow the data")
            }
            return Header(dtype: dtype, dimensions: dimensions, dataOffset: dataOffset)
        }
    }
}
