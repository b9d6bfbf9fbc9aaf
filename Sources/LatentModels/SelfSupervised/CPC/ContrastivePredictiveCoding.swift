import Foundation
import LatentCore
import LatentIO
import LatentNN

/// Contrastive predictive coding on images (van den Oord, Li & Vinyals 2018, "Representation
/// Learning with Contrastive Predictive Coding", §3.2): embed a grid of overlapping patches,
/// summarise the rows above with an autoregressive context network, and predict the embeddings
/// k rows below against negatives from the batch (InfoNCE). Differences from the paper: a small
/// convolutional patch encoder instead of a ResNet; cosine similarity with a temperature
/// (as in CPC v2 / SimCLR) instead of a raw dot product; two masked convolutions for the context.
///
/// ```swift
/// let cpc = ContrastivePredictiveCoding<Float>(grid: PatchGrid(channels: 1, height: 28, width: 28, size: 8, stride: 4))
/// let model = try cpc.fit(x)          // x: n × 784
/// let features = model.encode(x)      // n × embeddingSize: patch embeddings averaged over the grid
/// ```
public struct ContrastivePredictiveCoding<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    public var grid: PatchGrid
    /// Filters of the patch encoder's 4 × 4 stride-2 convolutions (the patch side must be divisible by `2^filters.count`).
    public var filters: [Int]
    /// Embedding size D (≥ 1).
    public var embeddingSize: Int
    /// Rows ahead to predict (each ≥ 1 and < the grid's rows). With patches overlapping by half,
    /// offset 1 shares pixels with the context's own row, so the default starts at 2.
    public var offsets: [Int]
    /// InfoNCE temperature (> 0).
    public var temperature: Double
    public var training: TrainingSettings

    public init(grid: PatchGrid, filters: [Int] = [32, 64], embeddingSize: Int = 128, offsets: [Int] = [2, 3],
                temperature: Double = 0.1, training: TrainingSettings = TrainingSettings()) {
        self.grid = grid
        self.filters = filters
        self.embeddingSize = embeddingSize
        self.offsets = offsets
        self.temperature = temperature
        self.training = training
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "cpc" }

    /// Why this configuration cannot be trained on `inputSize` features, or `nil`.
    public func problem(inputSize: Int) -> String? {
        if let p = grid.problem { return p }
        if grid.channels * grid.height * grid.width != inputSize {
            return "image \(grid.channels)×\(grid.height)×\(grid.width) holds \(grid.channels * grid.height * grid.width) values, the data has \(inputSize) features"
        }
        if let p = AutoencoderArchitecture.convolutional(channels: grid.channels, height: grid.size, width: grid.size, filters: filters)
            .problem(inputSize: grid.channels * grid.size * grid.size) { return "patch: \(p)" }
        if embeddingSize < 1 { return "embedding size \(embeddingSize) must be at least 1" }
        if offsets.isEmpty { return "at least one prediction offset is needed" }
        if let k = offsets.first(where: { $0 < 1 || $0 >= grid.rows }) {
            return "prediction offset \(k) must be between 1 and \(grid.rows - 1) (the grid has \(grid.rows) rows)"
        }
        if !(temperature > 0 && temperature.isFinite) { return "temperature \(temperature) must be positive and finite" }
        return training.problem
    }

    /// Trains on image rows `x` (`n × C·H·W`) and returns the fitted model.
    /// - Parameters: as `Autoencoder.fit` (held-out `evaluation` rows, `checkpoint`, exact `resume`).
    /// - Throws: `AutoencoderError`, `TrainingError`, `IOError`/`CheckpointError`.
    /// - Complexity: per epoch, `n · rows · columns` patch encodings and, per batch of B and offset,
    ///   an InfoNCE over `B · (rows − k) · columns` patches (quadratic in that number).
    public func fit(_ x: Matrix<Scalar>, evaluation: Matrix<Scalar>? = nil, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedContrastivePredictiveCoding<Scalar> {
        if let p = problem(inputSize: x.columns) { throw AutoencoderError.invalidConfiguration(p) }
        try AutoencoderTraining.validate(x)
        if let evaluation { try AutoencoderTraining.validate(evaluation, inputSize: x.columns) }
        let network = makeNetwork()
        let task = CPCTask(network: network, grid: grid, offsets: offsets, temperature: temperature)
        let reports = try AutoencoderTraining.run(task, data: x, evaluation: evaluation, settings: training,
                                                  metadata: AutoencoderTraining.metadata(kind: Self.kind, configuration: self, inputSize: x.columns),
                                                  checkpoint: checkpoint, resume: resume,
                                                  accepts: { AutoencoderTraining.sameExceptEpochs($0, as: self, epochs: \.training.epochs) },
                                                  onEvent: onEvent)
        return FittedContrastivePredictiveCoding(configuration: self, network: network, history: reports)
    }

    /// The network as `training.seed` initialises it, untrained: the random-init control row of an
    /// evaluation (same architecture, no learning). - Precondition: the configuration is valid.
    public func untrained() -> FittedContrastivePredictiveCoding<Scalar> {
        precondition(problem(inputSize: grid.channels * grid.height * grid.width) == nil, "FittedContrastivePredictiveCoding.untrained: \(problem(inputSize: grid.channels * grid.height * grid.width)!)")
        return FittedContrastivePredictiveCoding(configuration: self, network: makeNetwork(), history: [])
    }

    func makeNetwork() -> CPCNetwork<Scalar> {
        CPCNetwork(grid: grid, filters: filters, embeddingSize: embeddingSize, offsets: offsets.count, seed: training.seed)
    }
}

/// A trained CPC encoder. Immutable: only read (evaluation mode, no gradients).
public final class FittedContrastivePredictiveCoding<Scalar: BLASScalar> {
    public let configuration: ContrastivePredictiveCoding<Scalar>
    let network: CPCNetwork<Scalar>
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]

    init(configuration: ContrastivePredictiveCoding<Scalar>, network: CPCNetwork<Scalar>, history: [EpochReport]) {
        self.configuration = configuration
        self.network = network
        self.history = history
        network.eval()
    }

    /// Values per input image, `C·H·W`.
    public var inputSize: Int { configuration.grid.channels * configuration.grid.height * configuration.grid.width }

    /// Frozen features of image rows: the patch embeddings averaged over the grid, as CPC's linear
    /// evaluation pools the grid (`n × C·H·W → n × D`). O(n · rows · columns) patch encodings.
    public func encode(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.columns == inputSize, "FittedContrastivePredictiveCoding.encode: \(x.columns) features, the model needs \(inputSize)")
        let grid = configuration.grid
        return AutoencoderTraining.mapRows(x) { images in
            let z = network.embed(grid.patches(of: images))                                        // (B·R·Cols, D)
            return z.reshaped([images.shape[0], grid.rows * grid.columns, z.shape[1]]).mean(alongAxis: 1)  // (B, D)
        }
    }

    /// Saves the weights and configuration as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: network, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0, seed: configuration.training.seed),
                            metadata: AutoencoderTraining.metadata(kind: ContrastivePredictiveCoding<Scalar>.kind, configuration: configuration, inputSize: inputSize), to: url)
    }

    /// Reads a model file written by `save` (or a training checkpoint of `fit`).
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedContrastivePredictiveCoding {
        let (file, configuration, inputSize) = try AutoencoderTraining.read(url, kind: ContrastivePredictiveCoding<Scalar>.kind, as: ContrastivePredictiveCoding<Scalar>.self)
        if let p = configuration.problem(inputSize: inputSize) { throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p) }
        let network = configuration.makeNetwork()
        try Checkpoint.load(file, into: network)
        return FittedContrastivePredictiveCoding(configuration: configuration, network: network, history: [])
    }
}
