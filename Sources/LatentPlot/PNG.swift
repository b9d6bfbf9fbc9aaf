import CZlib
import Foundation
import LatentIO

/// Encodes `Image`s as PNG files (ISO/IEC 15948, W3C PNG 2nd edition): 8-bit grey (colour type
/// 0), RGB (2) or RGBA (6), non-interlaced, one zlib-compressed IDAT chunk.
///
/// Each row is filtered before compression with the filter the PNG specification recommends
/// choosing adaptively (§12.8): the one among None, Sub, Up, Average and Paeth whose output has
/// the smallest sum of absolute values (bytes read as signed). Pass `adaptiveFilters: false` for
/// filter type 0 (None) on every row.
public enum PNG {
    /// The eight bytes every PNG file starts with: `89 50 4E 47 0D 0A 1A 0A`.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The CRC-32 (ISO 3309 / ITU-T V.42 polynomial, as PNG and zlib use) of `bytes`, computed by
    /// zlib's `crc32`. A chunk's CRC covers its type and data, not its length.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in
            UInt32(CZlib.crc32(CZlib.crc32(0, nil, 0), b.baseAddress, uInt(b.count)))
        }
    }

    /// One chunk: 4-byte big-endian length, 4-byte type, data, CRC-32 of type and data.
    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4, "PNG.chunk: type must be 4 ASCII letters, got \"\(type)\"")
        var out = bigEndian(UInt32(data.count))
        out += typeBytes
        out += data
        out += bigEndian(crc32(typeBytes + data))
        return out
    }

    /// The PNG file bytes of `image` at zlib `level` (0…9; 9 = smallest, slowest).
    /// - Complexity: O(pixels) for filtering (5 passes over each row when adaptive) plus deflate.
    public static func encode(_ image: Image, level: Int = 9, adaptiveFilters: Bool = true) -> Data {
        precondition((0...9).contains(level), "PNG.encode: level \(level) is outside 0...9")
        let colorType: UInt8 = image.channels == 1 ? 0 : image.channels == 3 ? 2 : 6
        // IHDR: width, height, bit depth 8, colour type, compression 0, filter method 0, no interlace.
        let header = bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height)) + [8, colorType, 0, 0, 0]
        let raw = filteredRows(image, adaptive: adaptiveFilters)
        var out = signature
        out += chunk("IHDR", header)
        out += chunk("IDAT", deflate(raw, level: level))
        out += chunk("IEND", [])
        return Data(out)
    }

    /// Writes `image` as a PNG file at `url`, atomically (through `AtomicFile`).
    /// - Throws: `IOError.cannotWrite` when the file cannot be written.
    public static func write(_ image: Image, to url: URL, level: Int = 9, adaptiveFilters: Bool = true) throws {
        try AtomicFile.write(encode(image, level: level, adaptiveFilters: adaptiveFilters), to: url)
    }

    // MARK: - Filtering (PNG §9) and compression

    /// The filtered scanlines: each row is one filter-type byte followed by the filtered bytes.
    static func filteredRows(_ image: Image, adaptive: Bool) -> [UInt8] {
        let bpp = image.channels, stride = image.width * bpp
        var out = [UInt8](); out.reserveCapacity((stride + 1) * image.height)
        var candidate = [UInt8](repeating: 0, count: stride)
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<image.height {
                let row = y * stride, previous = row - stride
                func a(_ i: Int) -> Int { i >= bpp ? Int(p[row + i - bpp]) : 0 }   // left
                func b(_ i: Int) -> Int { y > 0 ? Int(p[previous + i]) : 0 }        // above
                func c(_ i: Int) -> Int { y > 0 && i >= bpp ? Int(p[previous + i - bpp]) : 0 }  // above-left
                guard adaptive else {
                    out.append(0); out.append(contentsOf: p[row..<(row + stride)]); continue
                }
                var best: (type: UInt8, cost: Int, bytes: [UInt8]) = (0, .max, [])
                for type: UInt8 in 0...4 {
                    var cost = 0
                    for i in 0..<stride {
                        let x = Int(p[row + i])
                        let predictor: Int
                        switch type {
                        case 0: predictor = 0
                        case 1: predictor = a(i)
                        case 2: predictor = b(i)
                        case 3: predictor = (a(i) + b(i)) / 2
                        default: predictor = paeth(a(i), b(i), c(i))
                        }
                        let v = UInt8(truncatingIfNeeded: x - predictor)
                        candidate[i] = v
                        cost += v < 128 ? Int(v) : 256 - Int(v)
                    }
                    if cost < best.cost { best = (type, cost, candidate) }
                }
                out.append(best.type); out.append(contentsOf: best.bytes)
            }
        }
        return out
    }

    /// The Paeth predictor (PNG §9.4): whichever of left, above, upper-left is closest to
    /// `left + above − upperLeft`, ties broken in that order.
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
    }

    /// A zlib stream (RFC 1950) of `bytes` from zlib's `compress2`.
    static func deflate(_ bytes: [UInt8], level: Int) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), Int32(level)) }
        }
        precondition(status == Z_OK, "PNG: zlib compress2 failed with status \(status)")
        out.removeSubrange(Int(size)...)
        return out
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
