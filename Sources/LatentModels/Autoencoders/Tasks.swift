import LatentCore
import LatentNN

/// Training an `AutoencoderNetwork` on `DataLoader` batches of rows `(B, d)`: the mean over the
/// batch of `−log p(x | decode(encode(corrupt(x))))` plus the sparsity penalty. Metrics (summed
/// over samples, on clean inputs): `loss`, `reconstruction` (nats per sample), `sparsity`.
public final class AutoencoderTask<Scalar: BLASScalar>: TrainingTask {
    public let network: AutoencoderNetwork<Scalar>
    public let likelihood: ReconstructionLikelihood
    public let noise: CorruptionNoise
    public let sparsity: SparsityPenalty
    public var model: any Module<Scalar> { network }

    public init(network: AutoencoderNetwork<Scalar>, likelihood: ReconstructionLikelihood,
                noise: CorruptionNoise = .none, sparsity: SparsityPenalty = .none) {
        self.network = network
        self.likelihood = likelihood
        self.noise = noise
        self.sparsity = sparsity
    }

    /// Per-sample reconstruction loss `(B)` and the 0-D penalty, from `input` (maybe corrupted) against `x`.
    func terms(input: Tensor<Scalar>, target x: Tensor<Scalar>) -> (reconstruction: Tensor<Scalar>, penalty: Tensor<Scalar>) {
        let z = network.encode(input)
        return (-likelihood.logLikelihood(output: network.decode(z), data: x), sparsity.penalty(z))
    }

    public func loss(_ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> {
        let x = batch.inputs
        let t = terms(input: noise.corrupt(x, using: &network.generator), target: x)
        return t.reconstruction.mean() + t.penalty
    }

    public func metrics(_ batch: DataLoader<Scalar>.Batch) -> Metrics {
        let t = terms(input: batch.inputs, target: batch.inputs)
        let n = Double(batch.indices.count)
        let reconstruction = t.reconstruction.storage.reduce(0) { $0 + Double($1) }
        let penalty = Double(t.penalty.item) * n
        return Metrics(["loss": reconstruction + penalty, "reconstruction": reconstruction, "sparsity": penalty], count: batch.indices.count)
    }
}

/// Training a `VariationalNetwork` on `DataLoader` batches of rows `(B, d)` with one
/// reparameterised sample per input: `mean_b[−log p(x|z)] + weighting(mean_b KL)`, where the
/// weighting is β·KL or γ·|KL − C| (the step count comes from `network.stepsTaken`).
///
/// Metrics, summed over samples: `loss` (the objective at the current capacity), `reconstruction`,
/// `kl` and `elbo` (`log p(x|z) − KL`, one sample). Evaluation draws its noise from a generator
/// seeded by `evaluationSeed` and the batch's first row, not from the training stream, so
/// evaluating never changes what training draws next.
public final class VariationalAutoencoderTask<Scalar: BLASScalar>: TrainingTask {
    public let network: VariationalNetwork<Scalar>
    public let likelihood: ReconstructionLikelihood
    public let weighting: KLWeighting
    public let evaluationSeed: UInt64
    public var model: any Module<Scalar> { network }

    public init(network: VariationalNetwork<Scalar>, likelihood: ReconstructionLikelihood,
                weighting: KLWeighting = .beta(1), evaluationSeed: UInt64 = 0) {
        self.network = network
        self.likelihood = likelihood
        self.weighting = weighting
        self.evaluationSeed = evaluationSeed
    }

    /// Per-sample `−log p(x|z)` and KL `(B)` with noise from `rng`.
    func terms(_ x: Tensor<Scalar>, using rng: inout Xoshiro256StarStar) -> (reconstruction: Tensor<Scalar>, kl: Tensor<Scalar>) {
        let (m, lv) = network.encode(x)                                                       // (B, D) each
        let z = VariationalBound.reparameterise(mean: m, logVariance: lv, noise: VariationalNetwork.noise(m.shape[0], m.shape[1], using: &rng))
        return (-likelihood.logLikelihood(output: network.decode(z), data: x), VariationalBound.klToStandardNormal(mean: m, logVariance: lv))
    }

    public func loss(_ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> {
        let t = terms(batch.inputs, using: &network.generator)
        let step = Int(network.stepsTaken.storage[0])
        network.stepsTaken.storage[0] += 1
        return t.reconstruction.mean() + weighting.term(meanKL: t.kl.mean(), step: step)
    }

    public func metrics(_ batch: DataLoader<Scalar>.Batch) -> Metrics {
        var rng = Xoshiro256StarStar(seed: BatchOrder.sampleSeed(seed: evaluationSeed, epoch: 0, index: batch.indices.first ?? 0))
        let t = terms(batch.inputs, using: &rng)
        let n = batch.indices.count
        let reconstruction = t.reconstruction.storage.reduce(0) { $0 + Double($1) }
        let kl = t.kl.storage.reduce(0) { $0 + Double($1) }
        let objective = Double(weighting.term(meanKL: t.kl.mean(), step: Int(network.stepsTaken.storage[0])).item) * Double(n)
        return Metrics(["loss": reconstruction + objective, "reconstruction": reconstruction, "kl": kl, "elbo": -(reconstruction + kl)], count: n)
    }
}
