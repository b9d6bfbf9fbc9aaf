import Foundation
import LatentCore
import LatentIO
import LatentNN

/// A (deep) autoencoder: plain, denoising (Vincent et al. 2008) or sparse, with an MLP or a
/// convolutional encoder and decoder. The linear autoencoder, whose optimum is PCA's subspace
/// (Baldi & Hornik 1989), is `LinearAutoencoder` in LatentDecomposition: this one with no hidden
/// layers, no noise and a Gaussian likelihood is its nonlinear-free case.
///
/// ```swift
/// let ae = Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: [256]), codeSize: 16,
///                             noise: .masking(fraction: 0.3), training: TrainingSettings(epochs: 5))
/// let model = try ae.fit(x)          // x: n × 784, values in [0, 1]
/// let codes = model.encode(x)        // n × 16
/// ```
public struct Autoencoder<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    public var architecture: AutoencoderArchitecture
    /// Code size k (≥ 1).
    public var codeSize: Int
    /// The decoder's likelihood; Bernoulli for data in [0, 1].
    public var likelihood: ReconstructionLikelihood
    /// The denoising corruption applied to training inputs.
    public var noise: CorruptionNoise
    /// The sparsity penalty on the code.
    public var sparsity: SparsityPenalty
    public var training: TrainingSettings

    public init(architecture: AutoencoderArchitecture, codeSize: Int, likelihood: ReconstructionLikelihood = .bernoulli,
                noise: CorruptionNoise = .none, sparsity: SparsityPenalty = .none, training: TrainingSettings = TrainingSettings()) {
        self.architecture = architecture
        self.codeSize = codeSize
        self.likelihood = likelihood
        self.noise = noise
        self.sparsity = sparsity
        self.training = training
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "autoencoder" }

    /// Why this configuration cannot be trained on `inputSize` features, or `nil`.
    public func problem(inputSize: Int) -> String? {
        if codeSize < 1 { return "code size \(codeSize) must be at least 1" }
        return architecture.problem(inputSize: inputSize) ?? likelihood.problem ?? noise.problem ?? sparsity.problem ?? training.problem
    }

    /// Trains on the rows of `x` (`n × d`) and returns the fitted model.
    ///
    /// - Parameters:
    ///   - evaluation: held-out rows scored after every epoch (reports' `evaluation`).
    ///   - checkpoint: where to save after every epoch (atomically), or `nil`.
    ///   - resume: continue from `checkpoint` when it exists (bit for bit as an uninterrupted run).
    /// - Throws: `AutoencoderError` for bad data or settings, `TrainingError` on divergence,
    ///   `IOError`/`CheckpointError` for checkpoint files.
    /// - Complexity: `epochs · n` forward and backward passes.
    public func fit(_ x: Matrix<Scalar>, evaluation: Matrix<Scalar>? = nil, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedAutoencoder<Scalar> {
        if let p = problem(inputSize: x.columns) { throw AutoencoderError.invalidConfiguration(p) }
        try AutoencoderTraining.validate(x)
        if let evaluation { try AutoencoderTraining.validate(evaluation, inputSize: x.columns) }
        let network = makeNetwork(inputSize: x.columns)
        let task = AutoencoderTask(network: network, likelihood: likelihood, noise: noise, sparsity: sparsity)
        let reports = try AutoencoderTraining.run(task, data: x, evaluation: evaluation, settings: training,
                                                  metadata: AutoencoderTraining.metadata(kind: Self.kind, configuration: self, inputSize: x.columns),
                                                  checkpoint: checkpoint, resume: resume,
                                                  accepts: { AutoencoderTraining.sameExceptEpochs($0, as: self, epochs: \.training.epochs) },
                                                  onEvent: onEvent)
        return FittedAutoencoder(configuration: self, network: network, inputSize: x.columns, history: reports)
    }

    func makeNetwork(inputSize: Int) -> AutoencoderNetwork<Scalar> {
        AutoencoderNetwork(architecture: architecture, inputSize: inputSize, codeSize: codeSize,
                           sigmoidCode: sparsity.needsSigmoidCode, seed: training.seed)
    }
}

/// A trained autoencoder. Immutable: its network is only read (in evaluation mode, without
/// gradients).
public final class FittedAutoencoder<Scalar: BLASScalar> {
    public let configuration: Autoencoder<Scalar>
    let network: AutoencoderNetwork<Scalar>
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]

    init(configuration: Autoencoder<Scalar>, network: AutoencoderNetwork<Scalar>, inputSize: Int, history: [EpochReport]) {
        self.configuration = configuration
        self.inputSize = inputSize
        self.network = network
        self.history = history
        network.eval()
    }

    /// Number of input features d.
    public let inputSize: Int
    /// Code size k.
    public var codeSize: Int { configuration.codeSize }
    /// The network's named tensors (e.g. to inspect or export weights).
    public var namedTensors: [(name: String, tensor: Tensor<Scalar>)] { network.namedTensors() }

    /// Codes of the rows of `x` (`n × d → n × k`). - Precondition: `x.columns == inputSize`.
    public func encode(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.columns == inputSize, "FittedAutoencoder.encode: \(x.columns) features, the model needs \(inputSize)")
        return AutoencoderTraining.mapRows(x) { network.encode($0) }
    }

    /// Decoded rows of codes (`n × k → n × d`): probabilities (Bernoulli) or means (Gaussian).
    public func decode(_ z: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(z.columns == codeSize, "FittedAutoencoder.decode: \(z.columns) code dimensions, the model has \(codeSize)")
        return AutoencoderTraining.mapRows(z) { configuration.likelihood.mean(of: network.decode($0)) }
    }

    /// `decode(encode(x))`, without corruption.
    public func reconstruct(_ x: Matrix<Scalar>) -> Matrix<Scalar> { decode(encode(x)) }

    /// Saves the weights and configuration as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: network, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0, seed: configuration.training.seed),
                            metadata: AutoencoderTraining.metadata(kind: Autoencoder<Scalar>.kind, configuration: configuration, inputSize: inputSize), to: url)
    }

    /// Reads a model file written by `save` (or a training checkpoint of `fit`).
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedAutoencoder {
        let (file, configuration, inputSize) = try AutoencoderTraining.read(url, kind: Autoencoder<Scalar>.kind, as: Autoencoder<Scalar>.self)
        if let p = configuration.problem(inputSize: inputSize) {
            throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p)
        }
        let network = configuration.makeNetwork(inputSize: inputSize)
        try Checkpoint.load(file, into: network)
        return FittedAutoencoder(configuration: configuration, network: network, inputSize: inputSize, history: [])
    }
}
