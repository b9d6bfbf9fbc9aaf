import LatentCore

/// Horizontal flip (mirror left–right); the probability is the composition's, so `apply` always
/// flips. Flipping twice gives the image back. O(C·H·W).
public struct HorizontalFlip: Augmentation {
    public init() {}

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample { Self.flipped(image) }

    /// The mirror image.
    public static func flipped(_ image: ImageSample) -> ImageSample {
        var out = image
        for c in 0..<image.channels {
            for y in 0..<image.height {
                for x in 0..<image.width { out[c, y, image.width - 1 - x] = image[c, y, x] }
            }
        }
        return out
    }
}
