import LatentCore
import LatentNN

/// The small convolutional encoder f shared by the self-supervised methods (and their
/// randomly initialised control): blocks of 3 × 3 convolution (padding 1) → BatchNorm → ReLU,
/// 2 × 2 max-pooling between blocks (not after the last), then the mean over the remaining
/// positions (global average pooling), so images `(B, C, H, W)` of any size ≥ `2^(blocks − 1)`
/// give features `(B, filters.last)` (whole 28 × 28 images and 7 × 7 context patches alike).
///
/// Fashion-MNIST with `filters: [32, 64, 128]`: 28 → 14 → 7 positions, about 7.5 M
/// multiply–adds per image forward.
public struct ImageEncoderArchitecture: Codable, Sendable, Equatable {
    /// The input images' channels, height and width (the rows of the data are `C·H·W` values).
    public var channels: Int, height: Int, width: Int
    /// Output channels of each block (≥ 1 block).
    public var filters: [Int]
    /// Whether each convolution is followed by batch normalisation.
    public var batchNorm: Bool

    public init(channels: Int = 1, height: Int = 28, width: Int = 28, filters: [Int] = [32, 64, 128], batchNorm: Bool = true) {
        self.channels = channels
        self.height = height
        self.width = width
        self.filters = filters
        self.batchNorm = batchNorm
    }

    /// Features per image (`filters.last`).
    public var featureSize: Int { filters.last ?? 0 }
    /// Values per image row, `C·H·W`.
    public var inputSize: Int { channels * height * width }
    /// The smallest side an input may have (each pooling halves it, rounding down).
    public var minimumSide: Int { 1 << Swift.max(0, filters.count - 1) }

    /// What is wrong with these sizes, or `nil`.
    public var problem: String? {
        if filters.isEmpty { return "the encoder needs at least one block" }
        if let bad = filters.first(where: { $0 < 1 }) { return "filter count \(bad) must be at least 1" }
        if channels < 1 || height < minimumSide || width < minimumSide {
            return "images \(channels)×\(height)×\(width) are too small for \(filters.count) blocks (need sides ≥ \(minimumSide))"
        }
        return nil
    }

    /// A freshly initialised encoder `(B, C, H, W) → (B, filters.last)` (PyTorch's default
    /// initialisation, drawn from `rng`).
    public func makeEncoder(using rng: inout Xoshiro256StarStar) -> Sequential<Float> {
        precondition(problem == nil, "ImageEncoderArchitecture: \(problem!)")
        var layers: [any Layer<Float>] = []
        var inChannels = channels
        for (i, f) in filters.enumerated() {
            if i > 0 { layers.append(MaxPool2d<Float>(kernel: (2, 2))) }
            layers.append(Conv2d<Float>(inChannels, f, kernel: (3, 3), padding: (1, 1), bias: !batchNorm, using: &rng))
            if batchNorm { layers.append(BatchNorm<Float>(channels: f)) }
            layers.append(ReLU<Float>())
            inChannels = f
        }
        layers.append(GlobalAveragePool<Float>())
        return Sequential(layers)
    }
}

/// The mean over the spatial positions, `(B, C, H, W) → (B, C)` (`nn.AdaptiveAvgPool2d(1)` + flatten).
public final class GlobalAveragePool<Scalar: BLASScalar>: Layer {
    public init() {}
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 4, "GlobalAveragePool: input \(x.shape), need (B, C, H, W)")
        return x.mean(alongAxes: [2, 3])
    }
}

/// The projection head g of SimCLR and the small classifier heads of the pretext tasks: linear
/// layers with ReLU between them (none after the last), `sizes[0] → … → sizes.last`.
func multilayerHead(_ sizes: [Int], using rng: inout Xoshiro256StarStar) -> Sequential<Float> {
    var layers: [any Layer<Float>] = []
    for i in 1..<sizes.count {
        if i > 1 { layers.append(ReLU<Float>()) }
        layers.append(Linear<Float>(sizes[i - 1], sizes[i], using: &rng))
    }
    return Sequential(layers)
}
