import Foundation
import LatentCore
import LatentIO

/// Reading and writing the safetensors format (Hugging Face), which PyTorch, JAX and friends load.
///
/// Layout: an 8-byte little-endian unsigned header length `n`, then `n` bytes of UTF-8 JSON,
/// padded with spaces to a multiple of 8, then the tensors' raw little-endian bytes:
///
///     {"__metadata__": {"key": "value", …},
///      "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …}
///
/// Offsets count from the start of the data section. The writer follows the reference library
/// exactly — tensors sorted by descending dtype alignment then by name, packed back to back,
/// compact JSON with `__metadata__` first (its keys sorted) — so the same tensors give the same bytes
/// as `safetensors.torch.save_file` (with at most one metadata entry, whose order the reference
/// library leaves to a hash map).
///
/// The reader trusts nothing: the header length, JSON, dtypes, shapes and offsets are validated
/// (offsets in range, sizes equal to shape × dtype size, no overlaps or gaps, the data section
/// covered exactly), and problems are thrown as `IOError.corrupt` naming the file, the byte offset
/// and the tensor; it never traps on bad bytes.
public struct SafeTensors: Sendable {
    /// The element types of the format. Latent computes in `F32` and `F64` and converts `F16` and
    /// `BF16` to and from them (half-precision checkpoints); the others are recognised (so a
    /// PyTorch file with, say, `I64` buffers still opens) but not converted.
    public enum DType: String, Sendable, CaseIterable {
        case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
        case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
        case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
            case .i16, .u16, .f16, .bf16: return 2
            case .i32, .u32, .f32: return 4
            case .f64, .i64, .u64: return 8
            }
        }

        /// The position in the reference library's `Dtype` enum, whose order the writer sorts by
        /// (descending), so that wider types come first and stay aligned.
        var order: Int { DType.allCases.firstIndex(of: self)! }

        /// The dtype of `Float` (`F32`) or `Double` (`F64`).
        public static func of<S: BLASScalar>(_ type: S.Type) -> DType {
            MemoryLayout<S>.size == 4 ? .f32 : .f64
        }
    }

    /// One tensor's header entry.
    public struct TensorInfo: Sendable, Equatable {
        /// The element type.
        public let dtype: DType
        /// The dimensions (`[]` for a scalar).
        public let shape: [Int]
        /// Byte range in the data section.
        public let dataOffsets: Range<Int>
    }

    /// One tensor to write: its name, type, shape and little-endian bytes.
    public struct Entry: Sendable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        public let bytes: [UInt8]

        /// An entry holding `values` (`F32` for `Float`, `F64` for `Double`) of the given shape.
        public init<S: BLASScalar>(name: String, shape: [Int], values: [S]) {
            precondition(shape.reduce(1, *) == values.count, "SafeTensors.Entry \(name): \(values.count) values for shape \(shape)")
            self.name = name
            self.dtype = DType.of(S.self)
            self.shape = shape
            self.bytes = values.withUnsafeBytes { Array($0) }      // little-endian hosts only (x86-64, arm64)
        }

        /// An entry holding `values` stored as `dtype`: `F32`/`F64` (the value's own type, or
        /// converted), or half precision `F16`/`BF16`, rounded to nearest-even as PyTorch's
        /// `.half()`/`.bfloat16()` do (overflow becomes ±∞, NaN stays NaN).
        public init<S: BLASScalar>(name: String, shape: [Int], values: [S], dtype: DType) {
            precondition(shape.reduce(1, *) == values.count, "SafeTensors.Entry \(name): \(values.count) values for shape \(shape)")
            self.name = name
            self.dtype = dtype
            self.shape = shape
            switch dtype {
            case .f32: self.bytes = values.map { Float($0) }.withUnsafeBytes { Array($0) }
            case .f64: self.bytes = values.map { Double($0) }.withUnsafeBytes { Array($0) }
            case .f16: self.bytes = values.map { HalfPrecision.f16(Float($0)) }.withUnsafeBytes { Array($0) }
            case .bf16: self.bytes = values.map { HalfPrecision.bf16(Float($0)) }.withUnsafeBytes { Array($0) }
            default: preconditionFailure("SafeTensors.Entry \(name): Latent writes F16, BF16, F32 or F64, not \(dtype.rawValue)")
            }
        }

        /// An entry for a tensor's current elements, in its own precision or converted to `dtype`
        /// (`F16`/`BF16` halve the file; `load` converts back).
        public init<S: BLASScalar>(name: String, tensor: Tensor<S>, dtype: DType? = nil) {
            if let dtype {
                self.init(name: name, shape: tensor.shape, values: tensor.storage, dtype: dtype)
            } else {
                self.init(name: name, shape: tensor.shape, values: tensor.storage)
            }
        }
    }

    /// The file (or `"<memory>"`) the bytes came from, for error messages.
    public let path: String
    /// The `__metadata__` strings (empty when absent).
    public let metadata: [String: String]
    /// Every tensor's header entry by name.
    public let tensors: [String: TensorInfo]
    /// The data section.
    private let data: [UInt8]

    /// The tensor names in data order.
    public var names: [String] {
        tensors.sorted { a, b in
            (a.value.dataOffsets.lowerBound, a.value.dataOffsets.upperBound, a.key) < (b.value.dataOffsets.lowerBound, b.value.dataOffsets.upperBound, b.key)
        }.map(\.key)
    }

    /// The largest header accepted (as the reference library: 100 MB).
    public static let maximumHeaderSize = 100_000_000

    // MARK: - Reading

    /// Reads and validates the file at `url`.
    /// - Throws: `IOError.cannotRead` when it cannot be read, `IOError.corrupt` (naming the file,
    ///   byte offset and tensor) when it is not a valid safetensors file.
    /// - Complexity: O(file size).
    public static func read(_ url: URL) throws -> SafeTensors {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw IOError.cannotRead(path: url.path, reason: FileManager.default.fileExists(atPath: url.path) ? "\(error.localizedDescription)" : "no such file")
        }
        return try SafeTensors(bytes: bytes, path: url.path)
    }

    /// Parses and validates safetensors bytes; `path` names them in errors.
    public init(bytes: [UInt8], path: String = "<memory>") throws {
        func corrupt(_ offset: Int, _ reason: String) -> IOError { IOError.corrupt(path: path, offset: offset, reason: reason) }
        guard bytes.count >= 8 else { throw corrupt(0, "file has \(bytes.count) bytes, too short for the 8-byte header length") }
        var n64: UInt64 = 0
        for i in 0..<8 { n64 |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n64 <= UInt64(SafeTensors.maximumHeaderSize) else {
            throw corrupt(0, "header length \(n64) exceeds the limit of \(SafeTensors.maximumHeaderSize) bytes")
        }
        let n = Int(n64)
        guard 8 + n <= bytes.count else { throw corrupt(0, "header length \(n) runs past the end of the \(bytes.count)-byte file") }
        guard n > 0, bytes[8] == UInt8(ascii: "{") else { throw corrupt(8, "header does not start with '{'") }
        let root: JSONHeader.Value
        do {
            root = try JSONHeader.parse(Array(bytes[8..<8 + n]))
        } catch let e as JSONHeader.ParseError {
            throw corrupt(8 + e.offset, "header JSON: \(e.reason)")
        }
        guard case let .object(members) = root else { throw corrupt(8, "header is not a JSON object") }

        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else { throw corrupt(8, "__metadata__ is not an object of strings") }
                for (k, v) in pairs {
                    guard case let .string(s) = v else { throw corrupt(8, "__metadata__ entry \"\(k)\" is not a string") }
                    metadata[k] = s
                }
                continue
            }
            tensors[name] = try SafeTensors.tensorInfo(name: name, value, corrupt: { corrupt(8, $0) })
        }

        // The tensors must tile the data section exactly: sorted by offset, each starts where the
        // previous one ends, and the last ends at the end of the file.
        let dataStart = 8 + n, dataCount = bytes.count - dataStart
        var end = 0, previous: String?
        for (name, info) in tensors.sorted(by: { a, b in
            (a.value.dataOffsets.lowerBound, a.value.dataOffsets.upperBound, a.key) < (b.value.dataOffsets.lowerBound, b.value.dataOffsets.upperBound, b.key)
        }) {
            let r = info.dataOffsets
            guard r.upperBound <= dataCount else {
                throw corrupt(dataStart + r.lowerBound, "tensor \"\(name)\": data offsets [\(r.lowerBound), \(r.upperBound)] run past the \(dataCount)-byte data section")
            }
            if r.lowerBound < end {
                throw corrupt(dataStart + r.lowerBound, "tensor \"\(name)\": data offsets [\(r.lowerBound), \(r.upperBound)] overlap tensor \"\(previous ?? "")\"")
            }
            if r.lowerBound > end {
                throw corrupt(dataStart + end, "tensor \"\(name)\": \(r.lowerBound - end) unused bytes before its data at offset \(r.lowerBound)")
            }
            end = r.upperBound
            previous = name
        }
        guard end == dataCount else {
            throw corrupt(dataStart + end, "data section has \(dataCount) bytes but the tensors cover \(end)")
        }
        self.path = path
        self.metadata = metadata
        self.tensors = tensors
        self.data = Array(bytes[dataStart...])
    }

    /// Validates one header entry: `dtype`, `shape` and `data_offsets` whose length is the shape's
    /// element count times the dtype size (overflow-checked).
    private static func tensorInfo(name: String, _ value: JSONHeader.Value, corrupt: (String) -> IOError) throws -> TensorInfo {
        guard case let .object(fields) = value else { throw corrupt("tensor \"\(name)\": entry is not an object") }
        var dtype: DType?, shape: [Int]?, offsets: [Int]?
        for (key, v) in fields {
            switch key {
            case "dtype":
                guard case let .string(s) = v else { throw corrupt("tensor \"\(name)\": dtype is not a string") }
                guard let d = DType(rawValue: s) else { throw corrupt("tensor \"\(name)\": unknown dtype \"\(s)\"") }
                dtype = d
            case "shape", "data_offsets":
                guard case let .array(items) = v else { throw corrupt("tensor \"\(name)\": \(key) is not an array") }
                let ints = items.compactMap(\.nonNegativeInteger)
                guard ints.count == items.count else { throw corrupt("tensor \"\(name)\": \(key) holds something other than non-negative integers") }
                if key == "shape" { shape = ints } else { offsets = ints }
            default:
                continue    // unknown fields are ignored, as by the reference reader
            }
        }
        guard let dtype else { throw corrupt("tensor \"\(name)\": no dtype") }
        guard let shape else { throw corrupt("tensor \"\(name)\": no shape") }
        guard let offsets else { throw corrupt("tensor \"\(name)\": no data_offsets") }
        guard offsets.count == 2, offsets[0] <= offsets[1] else {
            throw corrupt("tensor \"\(name)\": data_offsets \(offsets) must be [begin, end] with begin ≤ end")
        }
        var size = dtype.byteCount
        for d in shape {
            let (p, overflow) = size.multipliedReportingOverflow(by: d)
            guard !overflow else { throw corrupt("tensor \"\(name)\": shape \(shape) is too large") }
            size = p
        }
        guard offsets[1] - offsets[0] == size else {
            throw corrupt("tensor \"\(name)\": data_offsets [\(offsets[0]), \(offsets[1])] hold \(offsets[1] - offsets[0]) bytes, but \(dtype.rawValue) \(shape) needs \(size)")
        }
        return TensorInfo(dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// The elements of tensor `name` as `S` (row-major). Half-precision `F16`/`BF16` tensors are
    /// converted exactly (every half value is a `Float`).
    /// - Throws: `CheckpointError.missingTensor` when there is no such tensor,
    ///   `CheckpointError.dtypeMismatch` unless it is stored as `S` (`F32` for `Float`, `F64` for
    ///   `Double`) or in half precision.
    public func values<S: BLASScalar>(_ name: String, as type: S.Type = S.self) throws -> [S] {
        guard let info = tensors[name] else { throw CheckpointError.missingTensor(path: path, name: name) }
        if info.dtype == .f16 || info.dtype == .bf16 {
            let halves = data.withUnsafeBytes { raw in
                UnsafeRawBufferPointer(rebasing: raw[info.dataOffsets]).withMemoryRebound(to: UInt8.self) { b in
                    stride(from: 0, to: b.count, by: 2).map { UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8 }
                }
            }
            return halves.map { S(info.dtype == .f16 ? HalfPrecision.float(f16: $0) : HalfPrecision.float(bf16: $0)) }
        }
        let want = DType.of(S.self)
        guard info.dtype == want else {
            throw CheckpointError.dtypeMismatch(path: path, name: name, expected: want.rawValue, found: info.dtype.rawValue)
        }
        let count = info.dataOffsets.count / MemoryLayout<S>.size
        return [S](unsafeUninitializedCapacity: count) { buffer, initialised in
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[info.dataOffsets]))
            }
            initialised = count
        }
    }

    /// Tensor `name` as a leaf `Tensor<S>` of its stored shape (see `values(_:as:)` for errors).
    public func tensor<S: BLASScalar>(_ name: String, as type: S.Type = S.self) throws -> Tensor<S> {
        let v: [S] = try values(name)
        return Tensor(shape: tensors[name]!.shape, storage: v)
    }

    // MARK: - Writing

    /// The file bytes for `entries` and `metadata` (see the type's description for the layout).
    /// - Precondition: names are distinct and not `__metadata__`.
    /// - Complexity: O(total bytes + k log k) for k tensors.
    public static func encode(_ entries: [Entry], metadata: [String: String] = [:]) -> [UInt8] {
        precondition(Set(entries.map(\.name)).count == entries.count, "SafeTensors.encode: duplicate tensor names")
        precondition(!entries.contains { $0.name == "__metadata__" }, "SafeTensors.encode: \"__metadata__\" is not a tensor name")
        let sorted = entries.sorted { a, b in
            a.dtype.order != b.dtype.order ? a.dtype.order > b.dtype.order : Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var parts: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { JSONText.quoted($0) + ":" + JSONText.quoted(metadata[$0]!) }
            parts.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for e in sorted {
            let shape = e.shape.map(String.init).joined(separator: ",")
            parts.append(JSONText.quoted(e.name) + ":{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}")
            offset += e.bytes.count
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * UInt64(i)))) }
        out += header
        for e in sorted { out += e.bytes }
        return out
    }

    /// Writes `entries` and `metadata` to `url` atomically (`AtomicFile`: a reader sees the old file
    /// or the whole new one, never a torn write).
    /// - Throws: `IOError.cannotWrite`.
    public static func write(_ entries: [Entry], metadata: [String: String] = [:], to url: URL) throws {
        try AtomicFile.write(Data(encode(entries, metadata: metadata)), to: url)
    }
}

/// Conversions between `Float` and the 16-bit formats, bit by bit (IEEE 754 binary16, and bfloat16:
/// the top half of a `Float`), with round-to-nearest-even.
enum HalfPrecision {
    /// `Float` → binary16 bits (through Swift's `Float16`, which rounds to nearest-even).
    static func f16(_ x: Float) -> UInt16 { Float16(x).bitPattern }

    /// binary16 bits → `Float` (exact).
    static func float(f16 bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// `Float` → bfloat16 bits: the top 16 bits, rounded to nearest-even; NaN stays a quiet NaN.
    static func bf16(_ x: Float) -> UInt16 {
        let b = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: b >> 16) | 0x0040 }
        let rounding = 0x7FFF + ((b >> 16) & 1)
        return UInt16(truncatingIfNeeded: (b &+ rounding) >> 16)
    }

    /// bfloat16 bits → `Float` (exact).
    static func float(bf16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
