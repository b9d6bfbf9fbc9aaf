import LatentCore
import LatentNN

/// The encoder and decoder bodies of an autoencoder. Both work on flat rows: the encoder maps
/// `(B, d)` inputs to `(B, h)` features (a code head then maps those to the code), the decoder maps
/// `(B, k)` codes to `(B, d)` outputs (logits or means), so data sets, codes and reconstructions
/// are all `Matrix` rows.
public enum AutoencoderArchitecture: Codable, Sendable, Equatable {
    /// Fully connected: `d → hidden[0] → … → hidden.last` with ReLU after each layer, and the
    /// mirror image `k → hidden.last → … → hidden[0] → d` (ReLU between, none at the output).
    case multilayerPerceptron(hidden: [Int])
    /// Convolutional, for `channels × height × width` images stored row-major in each row: each
    /// entry of `filters` is a 4 × 4 convolution with stride 2 and padding 1 (halving the size)
    /// and ReLU; the decoder is a linear layer back to the last feature map and the mirror chain of
    /// 4 × 4 stride-2 transposed convolutions (the DCGAN / Higgins et al. 2017 dSprites layout).
    /// `height` and `width` must be divisible by `2^filters.count`.
    case convolutional(channels: Int, height: Int, width: Int, filters: [Int])

    /// Checks the sizes against `inputSize` features; `nil` when they fit, else what is wrong.
    public func problem(inputSize d: Int) -> String? {
        switch self {
        case let .multilayerPerceptron(hidden):
            if let bad = hidden.first(where: { $0 < 1 }) { return "hidden layer size \(bad) must be at least 1" }
            return d >= 1 ? nil : "need at least one input feature"
        case let .convolutional(c, h, w, filters):
            if filters.isEmpty { return "a convolutional architecture needs at least one filter layer" }
            if let bad = filters.first(where: { $0 < 1 }) { return "filter count \(bad) must be at least 1" }
            let scale = 1 << filters.count
            if c < 1 || h < scale || w < scale || h % scale != 0 || w % scale != 0 {
                return "image \(c)×\(h)×\(w) must have height and width divisible by \(scale) for \(filters.count) stride-2 layers"
            }
            return c * h * w == d ? nil : "image \(c)×\(h)×\(w) holds \(c * h * w) values, the data has \(d) features"
        }
    }

    /// The encoder body `(B, d) → (B, h)` and its feature count `h`.
    func makeEncoder<S: BLASScalar>(inputSize d: Int, using rng: inout Xoshiro256StarStar) -> (body: Sequential<S>, features: Int) {
        precondition(problem(inputSize: d) == nil, "AutoencoderArchitecture: \(problem(inputSize: d)!)")
        var layers: [any Layer<S>] = []
        switch self {
        case let .multilayerPerceptron(hidden):
            var width = d
            for h in hidden {
                layers += [Linear<S>(width, h, using: &rng), ReLU<S>()]
                width = h
            }
            return (Sequential(layers), width)
        case let .convolutional(c, h, w, filters):
            layers.append(Unflatten<S>([c, h, w]))                                   // (B, C, H, W)
            var inChannels = c
            for f in filters {
                layers += [Conv2d<S>(inChannels, f, kernel: (4, 4), stride: (2, 2), padding: (1, 1), using: &rng), ReLU<S>()]
                inChannels = f
            }
            layers.append(Flatten<S>())                                              // (B, f·H'·W')
            let scale = 1 << filters.count
            return (Sequential(layers), inChannels * (h / scale) * (w / scale))
        }
    }

    /// The decoder `(B, k) → (B, d)` (no output activation: logits or means).
    func makeDecoder<S: BLASScalar>(codeSize k: Int, inputSize d: Int, using rng: inout Xoshiro256StarStar) -> Sequential<S> {
        var layers: [any Layer<S>] = []
        switch self {
        case let .multilayerPerceptron(hidden):
            var width = k
            for h in hidden.reversed() {
                layers += [Linear<S>(width, h, using: &rng), ReLU<S>()]
                width = h
            }
            layers.append(Linear<S>(width, d, using: &rng))
        case let .convolutional(c, h, w, filters):
            let scale = 1 << filters.count
            let (h0, w0) = (h / scale, w / scale)
            layers += [Linear<S>(k, filters.last! * h0 * w0, using: &rng), ReLU<S>(), Unflatten<S>([filters.last!, h0, w0])]
            let outputs = Array(filters.dropLast().reversed()) + [c]
            var inChannels = filters.last!
            for (i, f) in outputs.enumerated() {
                layers.append(ConvTranspose2d<S>(inChannels, f, kernel: (4, 4), stride: (2, 2), padding: (1, 1), using: &rng))
                if i < outputs.count - 1 { layers.append(ReLU<S>()) }
                inChannels = f
            }
            layers.append(Flatten<S>())                                              // (B, C·H·W)
        }
        return Sequential(layers)
    }
}

/// Views each row `(B, n)` as `(B, shape…)` (`nn.Unflatten(1, shape)`); no copy of the values.
public final class Unflatten<Scalar: BLASScalar>: Layer {
    /// The shape of one sample after the layer.
    public let shape: [Int]
    public init(_ shape: [Int]) { self.shape = shape }
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.count == x.shape[0] * shape.reduce(1, *), "Unflatten: input \(x.shape) does not hold rows of shape \(shape)")
        return x.reshaped([x.shape[0]] + shape)
    }
}
