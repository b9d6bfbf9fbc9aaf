import LatentCore
import LatentNN

/// The autoencoders as batch methods (`method: autoencoder`, `method: vae`): an MLP encoder and
/// decoder with one hidden layer, trained in Float on the batch's rows. The representation is the
/// code (the posterior mean for the VAE); reconstructions go through it. Defaults are those of
/// `latent train autoencoder|vae`. Convolutional architectures need an image shape, which batch
/// datasets do not carry, so batches train the MLP only.
extension MethodDescriptor {
    /// `autoencoder`: plain, denoising or sparse (`Autoencoder`).
    public static let autoencoder = MethodDescriptor(
        name: "autoencoder", summary: "MLP autoencoder (denoising and sparse variants)",
        parameters: AutoencoderBatchParameters.shared + [
            .choice("noise", ["none", "gaussian", "masking"], default: "none", help: "denoising corruption of the training inputs"),
            .double("noise-level", default: 0.3, min: 0, help: "Gaussian noise standard deviation, or the masked fraction in (0, 1)"),
            .choice("sparsity", ["none", "l1", "kl"], default: "none", help: "sparsity penalty on the code (kl: sigmoid codes, KL to sparsity-target)"),
            .double("sparsity-weight", default: 1e-3, min: 0, help: "weight of the sparsity penalty"),
            .double("sparsity-target", default: 0.05, min: 0, max: 1, help: "target mean activation for sparsity kl"),
        ],
        canReconstruct: true
    ) { x, p, seed in
        let level = p.double("noise-level"), weight = p.double("sparsity-weight")
        let noise: CorruptionNoise = ["gaussian": .gaussian(standardDeviation: level), "masking": .masking(fraction: level)][p.string("noise")] ?? .none
        let sparsity: SparsityPenalty = ["l1": .l1(weight: weight),
                                         "kl": .kullbackLeibler(target: p.double("sparsity-target"), weight: weight)][p.string("sparsity")] ?? .none
        let settings = Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: [p.int("hidden")]), codeSize: p.int("code-size"),
                                          likelihood: try AutoencoderBatchParameters.likelihood(p, x, method: "autoencoder"),
                                          noise: noise, sparsity: sparsity, training: AutoencoderBatchParameters.training(p, seed))
        if let problem = settings.problem(inputSize: x.columns) { throw EstimatorError.invalidParameter(method: "autoencoder", name: "settings", reason: problem) }
        // Shared with the batch's evaluation threads: a fitted model is immutable, and encode and
        // decode only read its network (without gradients, a task-local mode).
        nonisolated(unsafe) let model = try settings.fit(AutoencoderBatchParameters.float(x))
        return AutoencoderBatchParameters.fitted(codeSize: settings.codeSize, history: model.history,
                                                 encode: { model.encode($0) }, decode: { model.decode($0) })
    }

    /// `vae`: a VAE, β-VAE (`beta`) or capacity-annealed VAE (`capacity` > 0), `VariationalAutoencoder`.
    public static let variationalAutoencoder = MethodDescriptor(
        name: "vae", summary: "variational autoencoder (β-VAE, capacity annealing); codes are posterior means",
        parameters: AutoencoderBatchParameters.shared + [
            .double("beta", default: 1, min: 0, help: "weight β on the KL term (1: the plain VAE)"),
            .double("capacity", default: 0, min: 0, help: "maximum capacity C in nats of γ·|KL − C| (0: off, β weighs the KL)"),
            .double("gamma", default: 1000, min: 0, help: "γ of the capacity objective"),
            .int("anneal-steps", default: 100_000, min: 1, help: "optimizer steps over which C rises from 0 to capacity"),
        ],
        canReconstruct: true
    ) { x, p, seed in
        let weighting: KLWeighting = p.double("capacity") > 0
            ? .capacity(gamma: p.double("gamma"), maximum: p.double("capacity"), annealSteps: p.int("anneal-steps"))
            : .beta(p.double("beta"))
        let settings = VariationalAutoencoder<Float>(architecture: .multilayerPerceptron(hidden: [p.int("hidden")]), codeSize: p.int("code-size"),
                                                     likelihood: try AutoencoderBatchParameters.likelihood(p, x, method: "vae"),
                                                     weighting: weighting, training: AutoencoderBatchParameters.training(p, seed))
        if let problem = settings.problem(inputSize: x.columns) { throw EstimatorError.invalidParameter(method: "vae", name: "settings", reason: problem) }
        // Shared with the batch's evaluation threads: a fitted model is immutable, and encode and
        // decode only read its network (without gradients, a task-local mode).
        nonisolated(unsafe) let model = try settings.fit(AutoencoderBatchParameters.float(x))
        return AutoencoderBatchParameters.fitted(codeSize: settings.codeSize, history: model.history,
                                                 encode: { model.encode($0) }, decode: { model.decode($0) })
    }
}

/// What the two autoencoder batch methods share: their common parameters and how a run's
/// parameters and rows become a configuration and a `FittedModel`.
enum AutoencoderBatchParameters {
    static let shared: [ParameterSpec] = [
        .int("code-size", default: 16, min: 1, help: "code size"),
        .int("hidden", default: 512, min: 1, help: "width of the one hidden layer of encoder and decoder"),
        .int("epochs", default: 10, min: 1, help: "passes over the rows"),
        .int("batch-size", default: 128, min: 1, help: "samples per mini-batch"),
        .double("learning-rate", default: 1e-3, min: 0, help: "Adam's learning rate"),
        .choice("likelihood", ["bernoulli", "gaussian"], default: "bernoulli",
                help: "decoder: Bernoulli logits (features in [0, 1], e.g. pixels) or unit-variance Gaussian (any real features)"),
    ]

    static func training(_ p: Parameters, _ seed: UInt64) -> TrainingSettings {
        TrainingSettings(epochs: p.int("epochs"), batchSize: p.int("batch-size"), learningRate: p.double("learning-rate"), seed: seed)
    }

    /// The decoder's likelihood; a Bernoulli decoder refuses features outside [0, 1].
    static func likelihood(_ p: Parameters, _ x: Matrix<Double>, method: String) throws -> ReconstructionLikelihood {
        if p.string("likelihood") == "gaussian" { return .gaussian(variance: 1) }
        if let i = x.storage.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw EstimatorError.invalidData(method: method, reason: "row \(i / x.columns + 1), column \(i % x.columns + 1) is \(x.storage[i]), outside [0, 1]: the Bernoulli decoder models features in [0, 1] (use likelihood: gaussian)")
        }
        return .bernoulli
    }

    static func float(_ x: Matrix<Double>) -> Matrix<Float> {
        Matrix(rows: x.rows, columns: x.columns, storage: x.storage.map(Float.init))
    }

    static func double(_ x: Matrix<Float>) -> Matrix<Double> {
        Matrix(rows: x.rows, columns: x.columns, storage: x.storage.map(Double.init))
    }

    /// The batch's view of a trained model: codes and reconstructions in Double, and the last
    /// epoch's training loss as `final-training-loss`.
    static func fitted(codeSize: Int, history: [EpochReport],
                       encode: @escaping @Sendable (Matrix<Float>) -> Matrix<Float>,
                       decode: @escaping @Sendable (Matrix<Float>) -> Matrix<Float>) -> FittedModel {
        return FittedModel(outputFeatures: codeSize,
                           transform: { double(encode(float($0))) },
                           reconstruct: { double(decode(encode(float($0)))) },
                           metrics: history.last.map { ["final-training-loss": $0.trainingLoss] } ?? [:])
    }
}
