import LatentCore

/// Layer normalisation over the last dimensions (Ba et al. 2016; `nn.LayerNorm`): each sample is
/// shifted and scaled to mean 0 and variance 1 over `normalizedShape`, then multiplied by `weight`
/// (ones) and shifted by `bias` (zeros). Same shape out as in. O(n).
public final class LayerNorm<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>
    public let bias: Tensor<Scalar>
    public let normalizedShape: [Int]
    public let epsilon: Scalar

    public init(_ normalizedShape: [Int], epsilon: Scalar = 1e-5) {
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = Tensor.ones(normalizedShape, requiresGrad: true)
        bias = Tensor.zeros(normalizedShape, requiresGrad: true)
    }

    public convenience init(_ size: Int, epsilon: Scalar = 1e-5) { self.init([size], epsilon: epsilon) }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.layerNorm(normalizedShape: normalizedShape, weight: weight, bias: bias, epsilon: epsilon)
    }
}

/// Batch normalisation (Ioffe & Szegedy 2015; `nn.BatchNorm1d`/`nn.BatchNorm2d`) over the channel
/// axis 1 of `(N, C)` or `(N, C, H, W)` input.
///
/// Training: normalise with the batch's mean and biased variance over every axis but 1, and update
/// the running estimates `r ← (1 − momentum)·r + momentum·batch` (unbiased variance, as PyTorch).
/// Evaluation: normalise with the running estimates. `runningMean`/`runningVariance` are buffers
/// (saved in checkpoints, not optimised). O(n).
public final class BatchNorm<Scalar: BLASScalar>: Layer, ModeDependentLayer {
    public let weight: Tensor<Scalar>
    public let bias: Tensor<Scalar>
    public let runningMean: Tensor<Scalar>
    public let runningVariance: Tensor<Scalar>
    public let momentum: Double
    public let epsilon: Scalar
    public var isTraining = true

    public init(channels: Int, momentum: Double = 0.1, epsilon: Scalar = 1e-5) {
        weight = Tensor.ones([channels], requiresGrad: true)
        bias = Tensor.zeros([channels], requiresGrad: true)
        runningMean = Tensor.zeros([channels])
        runningVariance = Tensor.ones([channels])
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let c = weight.count
        precondition((x.rank == 2 || x.rank == 4) && x.shape[1] == c, "BatchNorm: input \(x.shape), need (N, \(c)) or (N, \(c), H, W)")
        let statistics: Tensor<Scalar>.BatchStatistics =
            isTraining ? .batch : .fixed(mean: runningMean.storage, variance: runningVariance.storage)
        let (y, mean, variance) = x.batchNorm(weight: weight, bias: bias, statistics: statistics, epsilon: epsilon)
        if isTraining {
            let n = Double(x.count / c)
            let m = Scalar(momentum), unbias = Scalar(n / Swift.max(n - 1, 1))
            for j in 0..<c {
                runningMean.storage[j] = (1 - m) * runningMean.storage[j] + m * mean[j]
                runningVariance.storage[j] = (1 - m) * runningVariance.storage[j] + m * variance[j] * unbias
            }
        }
        return y
    }
}
