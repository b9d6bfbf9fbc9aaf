import Foundation
import LatentCore

/// Colour jitter for RGB images (3 channels, values in [0, 1]), SimCLR's strongest companion to
/// cropping (Chen et al. 2020 §3): brightness, contrast and saturation factors uniform in `1 ± s`,
/// and a hue rotation uniform in `±hue` turns, applied in a random order, clamped to [0, 1].
///
/// Hue is rotated about the grey axis in YIQ space (a linear approximation of torchvision's HSV
/// shift: same effect on hue, luma kept exactly). O(H·W).
public struct ColourJitter: Augmentation {
    public var brightness: Double, contrast: Double, saturation: Double, hue: Double

    public init(brightness: Double = 0.8, contrast: Double = 0.8, saturation: Double = 0.8, hue: Double = 0.2) {
        precondition([brightness, contrast, saturation].allSatisfy { $0 >= 0 && $0 <= 1 } && hue >= 0 && hue <= 0.5,
                     "ColourJitter: strengths must lie in [0, 1] and hue in [0, 0.5]")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        precondition(image.channels == 3, "ColourJitter: needs 3 channels (RGB), got \(image.channels)")
        var out = image
        for step in rng.permutation(4) {
            switch step {
            case 0:
                let b = Float(rng.uniform(1 - brightness, 1 + brightness))
                out = out.mapPixels { ($0 * b).clampedToUnit }
            case 1:
                let c = Float(rng.uniform(1 - contrast, 1 + contrast))
                let m = Float(ColourDrop.grey(out).mean)
                out = out.mapPixels { (($0 - m) * c + m).clampedToUnit }
            case 2:
                let s = Float(rng.uniform(1 - saturation, 1 + saturation))
                let grey = ColourDrop.grey(out)
                let plane = out.height * out.width
                for i in out.pixels.indices { out.pixels[i] = (grey.pixels[i % plane] + s * (out.pixels[i] - grey.pixels[i % plane])).clampedToUnit }
            default:
                out = Self.hueRotated(out, turns: rng.uniform(-hue, hue))
            }
        }
        return out
    }

    /// Hue rotated by `turns · 360°`: RGB → YIQ, rotate (I, Q), back to RGB, clamp.
    static func hueRotated(_ image: ImageSample, turns: Double) -> ImageSample {
        let a = 2 * Double.pi * turns
        let (c, s) = (Float(cos(a)), Float(sin(a)))
        let plane = image.height * image.width
        var out = image
        for p in 0..<plane {
            let r = image.pixels[p], g = image.pixels[plane + p], b = image.pixels[2 * plane + p]
            let y = 0.299 * r + 0.587 * g + 0.114 * b
            let i0 = 0.596 * r - 0.274 * g - 0.322 * b, q0 = 0.211 * r - 0.523 * g + 0.312 * b
            let i = c * i0 - s * q0, q = s * i0 + c * q0
            out.pixels[p] = (y + 0.956 * i + 0.621 * q).clampedToUnit
            out.pixels[plane + p] = (y - 0.272 * i - 0.647 * q).clampedToUnit
            out.pixels[2 * plane + p] = (y - 1.106 * i + 1.703 * q).clampedToUnit
        }
        return out
    }
}

/// Colour drop (random greyscale, SimCLR's `RandomGrayscale`): an RGB image replaced by its luma
/// `0.299 R + 0.587 G + 0.114 B` (ITU-R 601, as torchvision) in all three channels. O(H·W).
public struct ColourDrop: Augmentation {
    public init() {}

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        precondition(image.channels == 3, "ColourDrop: needs 3 channels (RGB), got \(image.channels)")
        let grey = Self.grey(image)
        return ImageSample(channels: 3, height: image.height, width: image.width, pixels: grey.pixels + grey.pixels + grey.pixels)
    }

    /// The luma plane (1 × H × W) of an RGB image.
    static func grey(_ image: ImageSample) -> ImageSample {
        let plane = image.height * image.width
        var out = ImageSample(channels: 1, height: image.height, width: image.width)
        for p in 0..<plane {
            out.pixels[p] = 0.299 * image.pixels[p] + 0.587 * image.pixels[plane + p] + 0.114 * image.pixels[2 * plane + p]
        }
        return out
    }
}
