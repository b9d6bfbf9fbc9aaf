/// A decoded picture: `height × width` pixels of `channels` 8-bit samples each (1 grey, 3 RGB),
/// stored row-major and interleaved (`pixels[(y · width + x) · channels + c]`), as JPEG and PNG
/// decoders deliver them. A value type; cheap to copy until written (array storage).
public struct RasterImage: Sendable, Equatable {
    public let height: Int
    public let width: Int
    /// Samples per pixel: 1 (grey) or 3 (red, green, blue in sRGB).
    public let channels: Int
    /// `height · width · channels` samples, 0…255.
    public let pixels: [UInt8]

    /// An image over `pixels`. - Precondition: the count matches the sizes, `channels` is 1 or 3.
    public init(height: Int, width: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "RasterImage: \(channels) channels, need 1 or 3")
        precondition(height >= 0 && width >= 0 && pixels.count == height * width * channels,
                     "RasterImage: \(pixels.count) samples for \(height)×\(width)×\(channels)")
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
    }

    /// The samples scaled to 0…1 (`v / 255`), in the same interleaved order.
    public var floatPixels: [Float] { pixels.map { Float($0) / 255 } }

    /// The sample at row `y`, column `x`, channel `c` in 0…1.
    @inline(__always)
    public func value(_ y: Int, _ x: Int, _ c: Int) -> Float {
        Float(pixels[(y * width + x) * channels + c]) / 255
    }

    /// This image with three channels (a grey image's value repeated in red, green and blue).
    public var rgb: RasterImage {
        if channels == 3 { return self }
        var out = [UInt8](repeating: 0, count: pixels.count * 3)
        for (i, v) in pixels.enumerated() { out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v }
        return RasterImage(height: height, width: width, channels: 3, pixels: out)
    }
}
