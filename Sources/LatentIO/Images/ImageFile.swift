import CJPEG
import CPNG
import Foundation

/// Reads JPEG (libjpeg-turbo) and PNG (libpng) files into `RasterImage`s. The format is told by
/// the file's first bytes, not its name. A truncated or corrupt file is an `IOError` naming the
/// file and the decoder's own message; nothing is returned half-decoded (libjpeg's warnings about
/// premature ends of data count as errors). Images over 2²⁶ pixels are refused before any
/// pixel memory is allocated.
public enum ImageFile {
    /// The image formats read.
    public enum Format: String, Sendable {
        case jpeg = "JPEG", png = "PNG"

        /// The format whose signature starts `bytes`, or `nil`.
        public static func sniff(_ bytes: some Collection<UInt8>) -> Format? {
            let head = Array(bytes.prefix(8))
            if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
            if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            return nil
        }
    }

    /// Decodes the image file at `url`.
    /// - Throws: `IOError` naming the file: unreadable, not a JPEG/PNG, or corrupt (the decoder's reason).
    /// - Complexity: O(height · width) time and memory.
    public static func read(_ url: URL) throws -> RasterImage {
        let data = try FileData.read(url)
        return try decode(data, path: url.path)
    }

    /// Decodes JPEG or PNG bytes; `path` names them in errors. - Throws: `IOError`.
    public static func decode(_ data: Data, path: String) throws -> RasterImage {
        guard let format = Format.sniff(data) else {
            throw IOError.unsupported(path: path, reason: "not a JPEG or PNG file (unknown signature)")
        }
        // libpng's simplified reader accepts a file cut inside or before its final IEND chunk once
        // the pixels are complete; such a file is still truncated, so the chunk must be there
        if format == .png, data.range(of: Data([0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])) == nil {
            throw IOError.cannotRead(path: path, reason: "corrupt PNG data: no IEND chunk (truncated file?)")
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status: Int32 = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self).baseAddress
            switch format {
            case .jpeg: return latent_jpeg_decode(bytes, UInt(raw.count), &pixels, &width, &height, &channels, &message, message.count)
            case .png: return latent_png_decode(bytes, raw.count, &pixels, &width, &height, &channels, &message, message.count)
            }
        }
        defer { free(pixels) }
        guard status == 0, let pixels else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw IOError.cannotRead(path: path, reason: "corrupt \(format.rawValue) data: \(reason.isEmpty ? "decoder failed" : reason)")
        }
        let (h, w, c) = (Int(height), Int(width), Int(channels))
        guard h >= 1, w >= 1 else { throw IOError.unsupported(path: path, reason: "an empty \(w) × \(h) image") }
        guard c == 1 || c == 3 else { throw IOError.unsupported(path: path, reason: "\(c) channels per pixel") }
        return RasterImage(height: h, width: w, channels: c, pixels: Array(UnsafeBufferPointer(start: pixels, count: h * w * c)))
    }
}
