import LatentCore

/// Brightness and contrast jitter for any number of channels (`ColorJitter(brightness, contrast)`):
/// multiply by a factor uniform in `1 ± brightness`, then blend with the image's mean by a factor
/// uniform in `1 ± contrast` (`(x − m)·c + m`), then clamp to [0, 1]. O(C·H·W).
public struct BrightnessContrastJitter: Augmentation {
    public var brightness: Double
    public var contrast: Double

    public init(brightness: Double = 0.4, contrast: Double = 0.4) {
        precondition(brightness >= 0 && brightness <= 1 && contrast >= 0 && contrast <= 1,
                     "BrightnessContrastJitter: strengths \(brightness), \(contrast) must lie in [0, 1]")
        self.brightness = brightness
        self.contrast = contrast
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        let b = Float(rng.uniform(1 - brightness, 1 + brightness)), c = Float(rng.uniform(1 - contrast, 1 + contrast))
        let bright = image.mapPixels { ($0 * b).clampedToUnit }
        let m = Float(bright.mean)
        return bright.mapPixels { (($0 - m) * c + m).clampedToUnit }
    }
}
