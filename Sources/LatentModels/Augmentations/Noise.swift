import LatentCore

/// Additive Gaussian noise: every value plus an independent `N(0, σ²)` draw, σ uniform in
/// `standardDeviation`; no clamping (so the expected mean is unchanged). O(C·H·W).
public struct GaussianNoise: Augmentation {
    public var standardDeviation: ClosedRange<Double>

    public init(standardDeviation: ClosedRange<Double>) {
        precondition(standardDeviation.lowerBound >= 0, "GaussianNoise: standard deviation \(standardDeviation) must be ≥ 0")
        self.standardDeviation = standardDeviation
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        let sigma = rng.uniform(standardDeviation.lowerBound, standardDeviation.upperBound)
        var out = image
        for i in out.pixels.indices { out.pixels[i] += Float(sigma * rng.normal()) }
        return out
    }
}
