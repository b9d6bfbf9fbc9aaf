import CZlib
import Foundation
@testable import LatentPlot

/// A test-only PNG decoder for what `PNG.encode` writes (8-bit grey/RGB/RGBA, not interlaced):
/// checks the signature and every chunk's CRC, inflates the IDAT data with zlib's `uncompress`
/// and undoes the five row filters. Independent of the encoder's filter code.
enum PNGDecoder {
    struct Failure: Error, CustomStringConvertible { let description: String }
    struct Chunk { let type: String; let data: [UInt8] }

    static func chunks(_ data: Data) throws -> [Chunk] {
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw Failure(description: "bad signature")
        }
        var chunks = [Chunk](), i = 8
        func u32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        while i < bytes.count {
            let length = Int(u32(i))
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = Array(bytes[(i + 8)..<(i + 8 + length)])
            let crc = u32(i + 8 + length)
            let typeAndData = Array(bytes[(i + 4)..<(i + 8 + length)])
            let computed = typeAndData.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
            guard crc == computed else { throw Failure(description: "CRC mismatch in \(type)") }
            chunks.append(Chunk(type: type, data: body))
            i += 12 + length
        }
        return chunks
    }

    static func decode(_ data: Data) throws -> Image {
        let all = try chunks(data)
        guard all.first?.type == "IHDR", all.last?.type == "IEND", all.last?.data.isEmpty == true else {
            throw Failure(description: "chunk order \(all.map(\.type))")
        }
        let h = all[0].data
        func u32(_ at: Int) -> Int { Int(h[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
        let width = u32(0), height = u32(4)
        guard h[8] == 8, h[10] == 0, h[11] == 0, h[12] == 0 else { throw Failure(description: "unsupported IHDR \(h)") }
        let channels = [0: 1, 2: 3, 6: 4][Int(h[9])]!
        let compressed = all.filter { $0.type == "IDAT" }.flatMap(\.data)
        let stride = width * channels
        var rawSize = uLongf((stride + 1) * height)
        var raw = [UInt8](repeating: 0, count: Int(rawSize))
        let status = raw.withUnsafeMutableBufferPointer { r in
            compressed.withUnsafeBufferPointer { c in uncompress(r.baseAddress, &rawSize, c.baseAddress, uLong(c.count)) }
        }
        guard status == Z_OK, Int(rawSize) == raw.count else { throw Failure(description: "inflate status \(status), \(rawSize) bytes") }
        var pixels = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Failure(description: "filter type \(filter)")
                }
                pixels[y * stride + x] = UInt8(truncatingIfNeeded: v + predictor)
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }
}
