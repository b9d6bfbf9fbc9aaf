import Foundation
import LatentCore

/// Random erasing (Zhong et al. 2020, `torchvision.transforms.RandomErasing`) and, with a fixed
/// `scale`, cutout (DeVries & Taylor 2017): a box covering a fraction `scale` of the area with
/// aspect ratio `ratio` (log-uniform) at a uniform position is set to `value` in every channel.
/// Up to 10 tries to fit the box; when none fits the image is returned unchanged. O(C·H·W).
public struct RandomErasing: Augmentation {
    public var scale: ClosedRange<Double>
    public var ratio: ClosedRange<Double>
    public var value: Float

    public init(scale: ClosedRange<Double> = 0.02...0.33, ratio: ClosedRange<Double> = 0.3...3.3, value: Float = 0) {
        precondition(scale.lowerBound > 0 && scale.upperBound <= 1, "RandomErasing: scale \(scale) must lie in (0, 1]")
        precondition(ratio.lowerBound > 0, "RandomErasing: ratio \(ratio) must be positive")
        self.scale = scale
        self.ratio = ratio
        self.value = value
    }

    /// Cutout: a square of `side × side` pixels at a uniform position (clipped at the edges as in
    /// DeVries & Taylor, whose centre may lie anywhere in the image).
    public static func cutout(side: Int, value: Float = 0) -> Cutout { Cutout(side: side, value: value) }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        let area = Double(image.height * image.width)
        for _ in 0..<10 {
            let target = area * rng.uniform(scale.lowerBound, scale.upperBound)
            let r = exp(rng.uniform(log(ratio.lowerBound), log(ratio.upperBound)))
            let h = Int((target / r).squareRoot().rounded()), w = Int((target * r).squareRoot().rounded())
            guard h >= 1, w >= 1, h < image.height, w < image.width else { continue }
            let top = rng.integer(below: image.height - h + 1), left = rng.integer(below: image.width - w + 1)
            return Self.filled(image, top: top, left: left, height: h, width: w, value: value)
        }
        return image
    }

    /// `image` with the box set to `value` (clipped to the image).
    static func filled(_ image: ImageSample, top: Int, left: Int, height: Int, width: Int, value: Float) -> ImageSample {
        var out = image
        for c in 0..<image.channels {
            for y in Swift.max(0, top)..<Swift.min(image.height, top + height) {
                for x in Swift.max(0, left)..<Swift.min(image.width, left + width) { out[c, y, x] = value }
            }
        }
        return out
    }
}

/// Cutout (DeVries & Taylor 2017): a `side × side` square centred at a uniform pixel, clipped at
/// the edges, set to `value`. O(C·side²).
public struct Cutout: Augmentation {
    public var side: Int
    public var value: Float

    public init(side: Int, value: Float = 0) {
        precondition(side >= 1, "Cutout: side \(side) must be at least 1")
        self.side = side
        self.value = value
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        let cy = rng.integer(below: image.height), cx = rng.integer(below: image.width)
        return RandomErasing.filled(image, top: cy - side / 2, left: cx - side / 2, height: side, width: side, value: value)
    }
}
