import LatentCore

/// Sobel filtering (used as an input transform by DeepCluster, Caron et al. 2018): each channel
/// becomes its gradient magnitude `√(g_x² + g_y²)` under the 3 × 3 Sobel kernels, zero padding,
/// so edges stay and flat regions (and colour) go. Always applied when drawn; deterministic. O(C·H·W).
public struct SobelFilter: Augmentation {
    public init() {}

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample { Self.filtered(image) }

    /// The gradient magnitude of every channel.
    public static func filtered(_ image: ImageSample) -> ImageSample {
        var out = image
        func at(_ c: Int, _ y: Int, _ x: Int) -> Float {
            (y >= 0 && y < image.height && x >= 0 && x < image.width) ? image[c, y, x] : 0
        }
        for c in 0..<image.channels {
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let gx = (at(c, y - 1, x + 1) + 2 * at(c, y, x + 1) + at(c, y + 1, x + 1))
                        - (at(c, y - 1, x - 1) + 2 * at(c, y, x - 1) + at(c, y + 1, x - 1))
                    let gy = (at(c, y + 1, x - 1) + 2 * at(c, y + 1, x) + at(c, y + 1, x + 1))
                        - (at(c, y - 1, x - 1) + 2 * at(c, y - 1, x) + at(c, y - 1, x + 1))
                    out[c, y, x] = (gx * gx + gy * gy).squareRoot()
                }
            }
        }
        return out
    }
}
