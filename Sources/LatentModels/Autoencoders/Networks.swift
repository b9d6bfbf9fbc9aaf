import LatentCore
import LatentNN

/// A deterministic autoencoder network: `encoder` body, a linear `code` head `(B, h) → (B, k)`
/// (through a sigmoid when `sigmoidCode`), and `decoder` `(B, k) → (B, d)`. Its generator draws
/// the denoising corruption and is saved in checkpoints (`StochasticModule`).
public final class AutoencoderNetwork<Scalar: BLASScalar>: Module, StochasticModule {
    public let encoder: Sequential<Scalar>
    public let code: Linear<Scalar>
    public let decoder: Sequential<Scalar>
    /// Whether codes are `sigmoid(code(h))` (sparse autoencoders with a KL penalty) instead of `code(h)`.
    public let sigmoidCode: Bool
    public var generator: Xoshiro256StarStar

    /// A freshly initialised network for `inputSize` features, from `seed` (weights, then streams).
    public init(architecture: AutoencoderArchitecture, inputSize: Int, codeSize: Int, sigmoidCode: Bool, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let (body, features): (Sequential<Scalar>, Int) = architecture.makeEncoder(inputSize: inputSize, using: &rng)
        encoder = body
        code = Linear(features, codeSize, using: &rng)
        decoder = architecture.makeDecoder(codeSize: codeSize, inputSize: inputSize, using: &rng)
        self.sigmoidCode = sigmoidCode
        generator = Xoshiro256StarStar(seed: 0)
        seedRandomStreams(seed)
    }

    /// Codes `(B, k)` of inputs `(B, d)`.
    public func encode(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let z = code(encoder(x))
        return sigmoidCode ? z.sigmoid() : z
    }

    /// Decoder outputs `(B, d)` (logits or means) of codes `(B, k)`.
    public func decode(_ z: Tensor<Scalar>) -> Tensor<Scalar> { decoder(z) }
}

/// A VAE network (Kingma & Welling 2014): `encoder` body, two linear heads for the Gaussian
/// posterior's `mean` and `logVariance` `(B, h) → (B, D)`, and the `decoder` `(B, D) → (B, d)`.
/// Its generator draws the reparameterisation noise; `stepsTaken` (a buffer, saved in checkpoints)
/// counts training steps for the capacity schedule, so a resumed run anneals as an uninterrupted one.
public final class VariationalNetwork<Scalar: BLASScalar>: Module, StochasticModule {
    public let encoder: Sequential<Scalar>
    public let mean: Linear<Scalar>
    public let logVariance: Linear<Scalar>
    public let decoder: Sequential<Scalar>
    /// Training steps taken, `(1)`, no gradient. Exact up to 2^24 steps in `Float`.
    public let stepsTaken: Tensor<Scalar>
    public var generator: Xoshiro256StarStar

    /// A freshly initialised network for `inputSize` features, from `seed` (weights, then streams).
    public init(architecture: AutoencoderArchitecture, inputSize: Int, codeSize: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let (body, features): (Sequential<Scalar>, Int) = architecture.makeEncoder(inputSize: inputSize, using: &rng)
        encoder = body
        mean = Linear(features, codeSize, using: &rng)
        logVariance = Linear(features, codeSize, using: &rng)
        decoder = architecture.makeDecoder(codeSize: codeSize, inputSize: inputSize, using: &rng)
        stepsTaken = Tensor.zeros([1])
        generator = Xoshiro256StarStar(seed: 0)
        seedRandomStreams(seed)
    }

    /// The posterior `q(z | x)` of inputs `(B, d)`: mean and log-variance, each `(B, D)`.
    public func encode(_ x: Tensor<Scalar>) -> (mean: Tensor<Scalar>, logVariance: Tensor<Scalar>) {
        let h = encoder(x)
        return (mean(h), logVariance(h))
    }

    /// Decoder outputs `(B, d)` (logits or means) of codes `(B, D)`.
    public func decode(_ z: Tensor<Scalar>) -> Tensor<Scalar> { decoder(z) }

    /// `B × D` standard normal draws from `rng`.
    static func noise(_ b: Int, _ d: Int, using rng: inout Xoshiro256StarStar) -> Tensor<Scalar> {
        Tensor.randomNormal([b, d], using: &rng)
    }
}
