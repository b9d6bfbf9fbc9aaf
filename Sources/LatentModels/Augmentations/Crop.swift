import Foundation
import LatentCore

/// Random resized crop (`torchvision.transforms.RandomResizedCrop`, the augmentation SimCLR finds
/// most important, Chen et al. 2020 §3): a box covering a fraction `scale` of the area with aspect
/// ratio `ratio` (log-uniform) at a uniform position, resized bilinearly to `height × width`.
///
/// Box sampling as torchvision: up to 10 tries of (area, log-ratio); when none fits, the central
/// crop with the ratio clamped to the range. O(C·H_out·W_out).
public struct RandomResizedCrop: Augmentation {
    /// Output size.
    public var height: Int, width: Int
    /// Range of the box's area as a fraction of the image's (0 < low ≤ high ≤ 1).
    public var scale: ClosedRange<Double>
    /// Range of the box's width / height.
    public var ratio: ClosedRange<Double>

    public init(height: Int, width: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)) {
        precondition(height >= 1 && width >= 1, "RandomResizedCrop: size \(height)×\(width) must be positive")
        precondition(scale.lowerBound > 0 && scale.upperBound <= 1, "RandomResizedCrop: scale \(scale) must lie in (0, 1]")
        precondition(ratio.lowerBound > 0, "RandomResizedCrop: ratio \(ratio) must be positive")
        self.height = height
        self.width = width
        self.scale = scale
        self.ratio = ratio
    }

    /// A box `(top, left, height, width)` in an `h × w` image, drawn as described above.
    public func box(height h: Int, width w: Int, using rng: inout Xoshiro256StarStar) -> (top: Int, left: Int, height: Int, width: Int) {
        let area = Double(h * w)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let target = area * rng.uniform(scale.lowerBound, scale.upperBound)
            let r = exp(rng.uniform(logRatio.0, logRatio.1))
            let bw = Int((target * r).squareRoot().rounded()), bh = Int((target / r).squareRoot().rounded())
            if bw > 0 && bw <= w && bh > 0 && bh <= h {
                let top = rng.integer(below: h - bh + 1), left = rng.integer(below: w - bw + 1)
                return (top, left, bh, bw)
            }
        }
        // fallback: the central crop with the ratio clamped into range
        let inRatio = Double(w) / Double(h)
        var bw = w, bh = h
        if inRatio < ratio.lowerBound { bh = Int((Double(w) / ratio.lowerBound).rounded()) }
        else if inRatio > ratio.upperBound { bw = Int((Double(h) * ratio.upperBound).rounded()) }
        return ((h - bh) / 2, (w - bw) / 2, bh, bw)
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        let b = box(height: image.height, width: image.width, using: &rng)
        return Self.resize(image, top: b.top, left: b.left, boxHeight: b.height, boxWidth: b.width, toHeight: height, width: width)
    }

    /// The box resized to `toHeight × width` by bilinear interpolation with half-pixel centres
    /// (`align_corners=False`), edges clamped inside the box.
    static func resize(_ image: ImageSample, top: Int, left: Int, boxHeight: Int, boxWidth: Int, toHeight h: Int, width w: Int) -> ImageSample {
        let sy = Float(boxHeight) / Float(h), sx = Float(boxWidth) / Float(w)
        return image.resampled(height: h, width: w) { y, x in
            let yy = Swift.min(Swift.max((y + 0.5) * sy - 0.5, 0), Float(boxHeight - 1))
            let xx = Swift.min(Swift.max((x + 0.5) * sx - 0.5, 0), Float(boxWidth - 1))
            return (Float(top) + yy, Float(left) + xx)
        }
    }
}
