import Foundation
import LatentCore
import LatentIO
import LatentNN

/// A variational autoencoder (Kingma & Welling 2014) with a Gaussian encoder `q(z|x) = N(μ, diag σ²)`,
/// a standard normal prior, and a Bernoulli-logit or Gaussian decoder, trained on the negative ELBO
/// `−log p(x|z) + KL(q(z|x) ‖ p(z))` with one reparameterised sample per input. `weighting` turns it
/// into a β-VAE (Higgins et al. 2017) or a capacity-controlled one (Burgess et al. 2018).
///
/// ```swift
/// let vae = VariationalAutoencoder<Float>(architecture: .multilayerPerceptron(hidden: [512]), codeSize: 16)
/// let model = try vae.fit(train)
/// let nll = model.logLikelihood(test, samples: 100, seed: 1).map { -$0 }   // IWAE estimate, nats
/// let faces = model.sample(count: 64, seed: 2)
/// ```
public struct VariationalAutoencoder<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    public var architecture: AutoencoderArchitecture
    /// Code size D (≥ 1).
    public var codeSize: Int
    /// The decoder's likelihood.
    public var likelihood: ReconstructionLikelihood
    /// β on the KL (1: the ELBO) or the annealed capacity objective.
    public var weighting: KLWeighting
    public var training: TrainingSettings

    public init(architecture: AutoencoderArchitecture, codeSize: Int, likelihood: ReconstructionLikelihood = .bernoulli,
                weighting: KLWeighting = .beta(1), training: TrainingSettings = TrainingSettings()) {
        self.architecture = architecture
        self.codeSize = codeSize
        self.likelihood = likelihood
        self.weighting = weighting
        self.training = training
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "vae" }

    /// Why this configuration cannot be trained on `inputSize` features, or `nil`.
    public func problem(inputSize: Int) -> String? {
        if codeSize < 1 { return "code size \(codeSize) must be at least 1" }
        return architecture.problem(inputSize: inputSize) ?? likelihood.problem ?? weighting.problem ?? training.problem
    }

    /// Trains on the rows of `x` (`n × d`) and returns the fitted model; the parameters are as in
    /// `Autoencoder.fit`. Evaluation metrics are `loss`, `reconstruction`, `kl` and `elbo` per sample.
    /// - Throws: `AutoencoderError`, `TrainingError`, `IOError`, `CheckpointError`.
    /// - Complexity: `epochs · n` forward and backward passes.
    public func fit(_ x: Matrix<Scalar>, evaluation: Matrix<Scalar>? = nil, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedVariationalAutoencoder<Scalar> {
        if let p = problem(inputSize: x.columns) { throw AutoencoderError.invalidConfiguration(p) }
        try AutoencoderTraining.validate(x)
        if let evaluation { try AutoencoderTraining.validate(evaluation, inputSize: x.columns) }
        let network = makeNetwork(inputSize: x.columns)
        let task = VariationalAutoencoderTask(network: network, likelihood: likelihood, weighting: weighting, evaluationSeed: training.seed)
        let reports = try AutoencoderTraining.run(task, data: x, evaluation: evaluation, settings: training,
                                                  metadata: AutoencoderTraining.metadata(kind: Self.kind, configuration: self, inputSize: x.columns),
                                                  checkpoint: checkpoint, resume: resume,
                                                  accepts: { AutoencoderTraining.sameExceptEpochs($0, as: self, epochs: \.training.epochs) },
                                                  onEvent: onEvent)
        return FittedVariationalAutoencoder(configuration: self, network: network, inputSize: x.columns, history: reports)
    }

    func makeNetwork(inputSize: Int) -> VariationalNetwork<Scalar> {
        VariationalNetwork(architecture: architecture, inputSize: inputSize, codeSize: codeSize, seed: training.seed)
    }
}

/// A trained VAE. Immutable: its network is only read (evaluation mode, no gradients); every
/// random method takes a seed.
public final class FittedVariationalAutoencoder<Scalar: BLASScalar> {
    public let configuration: VariationalAutoencoder<Scalar>
    let network: VariationalNetwork<Scalar>
    /// Number of input features d.
    public let inputSize: Int
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]

    init(configuration: VariationalAutoencoder<Scalar>, network: VariationalNetwork<Scalar>, inputSize: Int, history: [EpochReport]) {
        self.configuration = configuration
        self.network = network
        self.inputSize = inputSize
        self.history = history
        network.eval()
    }

    /// Code size D.
    public var codeSize: Int { configuration.codeSize }
    /// The network's named tensors (e.g. to inspect or export weights).
    public var namedTensors: [(name: String, tensor: Tensor<Scalar>)] { network.namedTensors() }

    /// The posterior means `μ(x)` of the rows of `x` (`n × d → n × D`): the usual code of a VAE.
    public func encode(_ x: Matrix<Scalar>) -> Matrix<Scalar> { posterior(x).mean }

    /// The posterior `q(z|x)` of each row: means and log-variances, each `n × D`.
    public func posterior(_ x: Matrix<Scalar>) -> (mean: Matrix<Scalar>, logVariance: Matrix<Scalar>) {
        precondition(x.columns == inputSize, "FittedVariationalAutoencoder: \(x.columns) features, the model needs \(inputSize)")
        let both = AutoencoderTraining.mapRows(x) { chunk in
            let (m, lv) = network.encode(chunk)
            return Tensor.concatenate([m, lv], alongAxis: 1)
        }
        let d = codeSize
        return (Matrix(rows: x.rows, columns: d) { both[$0, $1] }, Matrix(rows: x.rows, columns: d) { both[$0, d + $1] })
    }

    /// Decoded rows of codes (`n × D → n × d`): Bernoulli probabilities or Gaussian means.
    public func decode(_ z: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(z.columns == codeSize, "FittedVariationalAutoencoder.decode: \(z.columns) code dimensions, the model has \(codeSize)")
        return AutoencoderTraining.mapRows(z) { configuration.likelihood.mean(of: network.decode($0)) }
    }

    /// `decode(encode(x))` through the posterior means.
    public func reconstruct(_ x: Matrix<Scalar>) -> Matrix<Scalar> { decode(encode(x)) }

    /// `count` draws `z ~ N(0, I)` from the prior, decoded (`count × d`). Same seed, same samples.
    public func sample(count: Int, seed: UInt64) -> Matrix<Scalar> {
        precondition(count >= 1, "FittedVariationalAutoencoder.sample: count \(count) must be at least 1")
        var rng = Xoshiro256StarStar(seed: seed)
        let z: Tensor<Scalar> = VariationalNetwork.noise(count, codeSize, using: &rng)
        return decode(z.toMatrix())
    }

    /// The importance-weighted estimate of `log p(x)` for each row with `samples` draws
    /// (Burda et al. 2016), in nats; a lower bound that tightens as `samples` grows (`samples = 1`
    /// is a one-sample ELBO). The usual test log-likelihood of a VAE uses 5000 samples; 100 to
    /// 1000 are common for quick reports. - Complexity: `samples` decoder passes per row.
    public func logLikelihood(_ x: Matrix<Scalar>, samples: Int, seed: UInt64) -> [Double] {
        precondition(samples >= 1, "logLikelihood: samples \(samples) must be at least 1")
        precondition(x.columns == inputSize, "logLikelihood: \(x.columns) features, the model needs \(inputSize)")
        var rng = Xoshiro256StarStar(seed: seed)
        let bound = AutoencoderTraining.mapRows(x, rows: 128) { chunk in
            let (m, lv) = network.encode(chunk)
            let noise = (0..<samples).map { _ in VariationalNetwork<Scalar>.noise(m.shape[0], m.shape[1], using: &rng) }
            return VariationalBound.importanceWeighted(mean: m, logVariance: lv, noise: noise) { z in
                configuration.likelihood.logLikelihood(output: network.decode(z), data: chunk)
            }.reshaped([m.shape[0], 1])
        }
        return bound.storage.map(Double.init)
    }

    /// The ELBO of each row, `E_q[log p(x|z)] − KL`, with the expectation from `samples` draws and
    /// the KL in closed form, in nats. - Complexity: `samples` decoder passes per row.
    public func evidenceLowerBound(_ x: Matrix<Scalar>, samples: Int = 1, seed: UInt64) -> [Double] {
        precondition(samples >= 1, "evidenceLowerBound: samples \(samples) must be at least 1")
        precondition(x.columns == inputSize, "evidenceLowerBound: \(x.columns) features, the model needs \(inputSize)")
        var rng = Xoshiro256StarStar(seed: seed)
        let bound = AutoencoderTraining.mapRows(x, rows: 128) { chunk in
            let (m, lv) = network.encode(chunk)
            var total = -VariationalBound.klToStandardNormal(mean: m, logVariance: lv)
            for _ in 0..<samples {
                let z = VariationalBound.reparameterise(mean: m, logVariance: lv, noise: VariationalNetwork.noise(m.shape[0], m.shape[1], using: &rng))
                total = total + configuration.likelihood.logLikelihood(output: network.decode(z), data: chunk) / Scalar(samples)
            }
            return total.reshaped([m.shape[0], 1])
        }
        return bound.storage.map(Double.init)
    }

    /// Saves the weights and configuration as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: network, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0, seed: configuration.training.seed),
                            metadata: AutoencoderTraining.metadata(kind: VariationalAutoencoder<Scalar>.kind, configuration: configuration, inputSize: inputSize), to: url)
    }

    /// Reads a model file written by `save` (or a training checkpoint of `fit`).
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedVariationalAutoencoder {
        let (file, configuration, inputSize) = try AutoencoderTraining.read(url, kind: VariationalAutoencoder<Scalar>.kind, as: VariationalAutoencoder<Scalar>.self)
        if let p = configuration.problem(inputSize: inputSize) {
            throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p)
        }
        let network = configuration.makeNetwork(inputSize: inputSize)
        try Checkpoint.load(file, into: network)
        return FittedVariationalAutoencoder(configuration: configuration, network: network, inputSize: inputSize, history: [])
    }
}
