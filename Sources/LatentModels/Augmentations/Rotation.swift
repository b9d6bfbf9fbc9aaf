import Foundation
import LatentCore

/// Rotation by an angle drawn uniformly from `degrees` about the image centre, bilinear, `fill`
/// outside (`torchvision.transforms.RandomRotation`). O(C·H·W).
public struct RandomRotation: Augmentation {
    /// The range of angles in degrees (counter-clockwise positive).
    public var degrees: ClosedRange<Double>
    /// The value of pixels that come from outside the image.
    public var fill: Float

    public init(degrees: ClosedRange<Double>, fill: Float = 0) {
        self.degrees = degrees
        self.fill = fill
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        Self.rotated(image, degrees: rng.uniform(degrees.lowerBound, degrees.upperBound), fill: fill)
    }

    /// `image` rotated counter-clockwise by `degrees` about its centre.
    public static func rotated(_ image: ImageSample, degrees: Double, fill: Float = 0) -> ImageSample {
        let t = Float(degrees * .pi / 180), cy = Float(image.height - 1) / 2, cx = Float(image.width - 1) / 2
        let (c, s) = (Float(cos(Double(t))), Float(sin(Double(t))))
        // inverse map: output (y, x) comes from the input point rotated back by −t (rows point
        // down, so counter-clockwise on screen takes input (dy, dx) to (c·dy − s·dx, s·dy + c·dx))
        return image.resampled(height: image.height, width: image.width, fill: fill) { y, x in
            let dy = y - cy, dx = x - cx
            return (cy + c * dy + s * dx, cx - s * dy + c * dx)
        }
    }
}

/// Rotation by a multiple of 90° drawn uniformly from {0°, 90°, 180°, 270°}: exact (no
/// interpolation), the transformation rotation prediction classifies (Gidaris et al. 2018).
/// Needs a square image for 90° and 270°. O(C·H·W).
public struct RightAngleRotation: Augmentation {
    public init() {}

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        Self.rotated(image, quarterTurns: rng.integer(below: 4))
    }

    /// `image` rotated counter-clockwise by `quarterTurns · 90°`.
    /// - Precondition: a square image unless `quarterTurns` is even.
    public static func rotated(_ image: ImageSample, quarterTurns: Int) -> ImageSample {
        let k = ((quarterTurns % 4) + 4) % 4
        precondition(k % 2 == 0 || image.height == image.width, "RightAngleRotation: \(image.height)×\(image.width) is not square")
        var out = image
        let n = image.height - 1, m = image.width - 1
        for c in 0..<image.channels {
            for y in 0..<image.height {
                for x in 0..<image.width {
                    switch k {
                    case 0: out[c, y, x] = image[c, y, x]
                    case 1: out[c, m - x, y] = image[c, y, x]          // counter-clockwise: (y, x) → (W−1−x, y)
                    case 2: out[c, n - y, m - x] = image[c, y, x]
                    default: out[c, x, n - y] = image[c, y, x]
                    }
                }
            }
        }
        return out
    }
}
