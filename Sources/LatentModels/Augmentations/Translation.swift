import LatentCore

/// Translation by a whole number of pixels drawn uniformly from `±maximumShift · size` in each
/// direction, `fill` where the image moved away (`RandomAffine(translate:)` without
/// interpolation). O(C·H·W).
public struct RandomTranslation: Augmentation {
    /// The largest shift as a fraction of the height and width (0…1).
    public var maximumShift: Double
    public var fill: Float

    public init(maximumShift: Double, fill: Float = 0) {
        precondition(maximumShift >= 0 && maximumShift <= 1, "RandomTranslation: maximum shift \(maximumShift) must lie in [0, 1]")
        self.maximumShift = maximumShift
        self.fill = fill
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        let my = Int(maximumShift * Double(image.height)), mx = Int(maximumShift * Double(image.width))
        let dy = rng.integer(below: 2 * my + 1) - my, dx = rng.integer(below: 2 * mx + 1) - mx
        return Self.shifted(image, down: dy, right: dx, fill: fill)
    }

    /// `image` moved `down` rows and `right` columns (negative: up, left).
    public static func shifted(_ image: ImageSample, down dy: Int, right dx: Int, fill: Float = 0) -> ImageSample {
        var out = ImageSample(channels: image.channels, height: image.height, width: image.width,
                              pixels: [Float](repeating: fill, count: image.pixels.count))
        for c in 0..<image.channels {
            for y in 0..<image.height where y - dy >= 0 && y - dy < image.height {
                for x in 0..<image.width where x - dx >= 0 && x - dx < image.width { out[c, y, x] = image[c, y - dy, x - dx] }
            }
        }
        return out
    }
}
