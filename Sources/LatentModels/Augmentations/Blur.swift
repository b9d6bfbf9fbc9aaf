import Foundation
import LatentCore

/// Gaussian blur (SimCLR's, `torchvision.transforms.GaussianBlur`): σ uniform in `sigma`, a
/// separable kernel of `kernelSize` taps (odd) normalised to sum 1, reflect padding at the edges.
/// The kernel sums to one, so an image that is constant — or zero on its outer `kernelSize / 2 + 1`
/// rows and columns (nothing is reflected back in), as Fashion-MNIST's nearly are — keeps its
/// mean exactly (up to rounding). O(C·H·W·k).
public struct GaussianBlur: Augmentation {
    public var kernelSize: Int
    public var sigma: ClosedRange<Double>

    public init(kernelSize: Int, sigma: ClosedRange<Double> = 0.1...2.0) {
        precondition(kernelSize >= 1 && kernelSize % 2 == 1, "GaussianBlur: kernel size \(kernelSize) must be odd and positive")
        precondition(sigma.lowerBound > 0, "GaussianBlur: sigma \(sigma) must be positive")
        self.kernelSize = kernelSize
        self.sigma = sigma
    }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        Self.blurred(image, kernel: Self.kernel(size: kernelSize, sigma: rng.uniform(sigma.lowerBound, sigma.upperBound)))
    }

    /// `exp(−t²/2σ²)` for `t = −k/2 … k/2`, normalised to sum 1.
    public static func kernel(size: Int, sigma: Double) -> [Float] {
        let half = size / 2
        let w = (-half...half).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = w.reduce(0, +)
        return w.map { Float($0 / total) }
    }

    /// `image` convolved with `kernel` along rows, then along columns (reflect padding:
    /// index −1 reads 1, as `numpy.pad(mode="reflect")`).
    public static func blurred(_ image: ImageSample, kernel: [Float]) -> ImageSample {
        let half = kernel.count / 2
        func reflect(_ i: Int, _ n: Int) -> Int {
            guard n > 1 else { return 0 }
            var j = i
            while j < 0 || j >= n { j = j < 0 ? -j : 2 * (n - 1) - j }
            return j
        }
        var rows = image, out = image
        for c in 0..<image.channels {
            for y in 0..<image.height {
                for x in 0..<image.width {
                    var s: Float = 0
                    for (t, k) in kernel.enumerated() { s += k * image[c, y, reflect(x + t - half, image.width)] }
                    rows[c, y, x] = s
                }
            }
            for y in 0..<image.height {
                for x in 0..<image.width {
                    var s: Float = 0
                    for (t, k) in kernel.enumerated() { s += k * rows[c, reflect(y + t - half, image.height), x] }
                    out[c, y, x] = s
                }
            }
        }
        return out
    }
}
