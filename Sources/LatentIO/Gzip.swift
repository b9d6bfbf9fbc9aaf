import CZlib
import Foundation

/// gzip compression and decompression in memory through zlib (RFC 1952).
///
/// Used for Fashion-MNIST's `.gz` IDX files; any decoder in LatentIO that sees the gzip magic
/// bytes `1f 8b` inflates first.
public enum Gzip {
    /// Whether `data` starts with the gzip magic bytes `1f 8b`.
    public static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
    }

    /// Inflates gzip data (several concatenated members are joined, as `gunzip` does). Output
    /// grows only as zlib produces it, so a lying size field cannot cause a large allocation;
    /// `maximumBytes` bounds the output of highly compressed input.
    /// - Throws: `IOError.corrupt` naming `path` and the compressed byte offset of the problem
    ///   (bad header, bad data, CRC mismatch, truncated stream, or output over `maximumBytes`).
    /// - Complexity: O(input + output).
    public static func decompress(_ data: Data, path: String = "<memory>", maximumBytes: Int = 1 << 34) throws -> Data {
        guard isCompressed(data) else {
            throw IOError.corrupt(path: path, offset: 0, reason: "not gzip data (no 1f 8b magic bytes)")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IOError.corrupt(path: path, offset: 0, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var out = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try data.withBytes { input in
            var handed = 0   // bytes given to zlib so far; the read position is handed - avail_in
            while true {
                if stream.avail_in == 0 {
                    guard handed < input.count else {
                        throw IOError.corrupt(path: path, offset: input.count, reason: "gzip stream is truncated")
                    }
                    let available = min(input.count - handed, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + handed)
                    stream.avail_in = UInt32(available)
                    handed += available
                }
                let status = chunk.withUnsafeMutableBufferPointer { c -> Int32 in
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    let s = inflate(&stream, Z_NO_FLUSH)
                    out.append(c.baseAddress!, count: c.count - Int(stream.avail_out))
                    return s
                }
                let position = handed - Int(stream.avail_in)
                if out.count > maximumBytes {
                    throw IOError.corrupt(path: path, offset: position, reason: "inflates to more than \(maximumBytes) bytes")
                }
                switch status {
                case Z_OK, Z_BUF_ERROR:
                    continue   // Z_BUF_ERROR with fresh output space means the input ran out: refill
                case Z_STREAM_END:
                    // Another member may follow (as `cat a.gz b.gz` makes); trailing zeros are padding.
                    if position == input.count || input[position...].allSatisfy({ $0 == 0 }) { return }
                    guard input.count - position >= 2, input[position] == 0x1F, input[position + 1] == 0x8B else {
                        throw IOError.corrupt(path: path, offset: position, reason: "\(input.count - position) bytes of garbage after the gzip stream")
                    }
                    inflateReset(&stream)
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw IOError.corrupt(path: path, offset: position, reason: "gzip: \(message)")
                }
            }
        }
        return out
    }

    /// Deflates `data` into a single gzip member at zlib `level` (0 = store, 9 = smallest;
    /// default 6, as `gzip` uses). - Complexity: O(bytes).
    public static func compress(_ data: Data, level: Int = 6) -> Data {
        precondition((0...9).contains(level), "Gzip.compress: level \(level) is outside 0...9")
        var stream = z_stream()
        let started = deflateInit2_(&stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "Gzip.compress: deflateInit2 failed (\(started))")
        defer { deflateEnd(&stream) }
        var out = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        data.withBytes { input in
            var consumed = 0
            var status: Int32 = Z_OK
            while status != Z_STREAM_END {
                let available = min(input.count - consumed, Int(UInt32.max))
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                stream.avail_in = UInt32(available)
                let flush = consumed + available == input.count ? Z_FINISH : Z_NO_FLUSH
                repeat {
                    status = chunk.withUnsafeMutableBufferPointer { c -> Int32 in
                        stream.next_out = c.baseAddress
                        stream.avail_out = UInt32(c.count)
                        let s = deflate(&stream, flush)
                        out.append(c.baseAddress!, count: c.count - Int(stream.avail_out))
                        return s
                    }
                    precondition(status != Z_STREAM_ERROR, "Gzip.compress: zlib stream error")
                } while stream.avail_out == 0
                consumed += available - Int(stream.avail_in)
            }
        }
        return out
    }
}
