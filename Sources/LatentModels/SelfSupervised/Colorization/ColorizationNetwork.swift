import LatentCore
import LatentNN

/// The colorization network: a convolutional `encoder` of the lightness channel `(B, H·W)`, a
/// linear `code` bottleneck, and a transposed-convolution `decoder` to the two colour channels
/// `(B, 2·H·W)` (a\*/100 then b\*/100, each row-major). Built from `AutoencoderArchitecture`'s
/// convolutional layout with one input channel and two output channels.
public final class ColorizationNetwork<Scalar: BLASScalar>: Module {
    public let encoder: Sequential<Scalar>
    public let code: Linear<Scalar>
    public let decoder: Sequential<Scalar>

    /// A freshly initialised network for `height × width` patches, from `seed`.
    public init(height: Int, width: Int, filters: [Int], codeSize: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let lightness = AutoencoderArchitecture.convolutional(channels: 1, height: height, width: width, filters: filters)
        let (body, features): (Sequential<Scalar>, Int) = lightness.makeEncoder(inputSize: height * width, using: &rng)
        encoder = body
        code = Linear(features, codeSize, using: &rng)
        let colour = AutoencoderArchitecture.convolutional(channels: 2, height: height, width: width, filters: filters)
        decoder = colour.makeDecoder(codeSize: codeSize, inputSize: 2 * height * width, using: &rng)
    }

    /// Predicted `(a/100, b/100)` planes `(B, 2·H·W)` of lightness rows `(B, H·W)` (L/100).
    public func callAsFunction(_ lightness: Tensor<Scalar>) -> Tensor<Scalar> {
        decoder(code(encoder(lightness)))
    }
}
