import Foundation
import LatentCore
import LatentIO
import LatentNN

/// A context encoder (Pathak et al. 2016, "Context Encoders: Feature Learning by Inpainting"):
/// a convolutional encoder–decoder trained to fill in a masked region of each image from the rest,
/// with L2 on the masked part. The encoder's features are the learned representation. (Pathak add
/// an adversarial loss for sharper fills; for features they report the L2-only encoder, as here.)
///
/// ```swift
/// let ce = ContextEncoder<Float>(channels: 1, height: 28, width: 28, mask: .randomBlocks(count: 3, fraction: 0.25))
/// let model = try ce.fit(x)          // x: n × 784 image rows, values in [0, 1]
/// let features = model.encode(x)     // n × model.featureSize
/// ```
public struct ContextEncoder<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    /// The encoder and decoder: `.convolutional(channels:height:width:filters:)` for the images.
    public var architecture: AutoencoderArchitecture
    /// Size of the bottleneck between encoder and decoder (≥ 1).
    public var codeSize: Int
    public var mask: InpaintingMask
    /// The constant written into the hole (0.5: mid-grey, not the background of either data set).
    public var fillValue: Double
    public var training: TrainingSettings

    public init(architecture: AutoencoderArchitecture, codeSize: Int = 128, mask: InpaintingMask = .centre(fraction: 0.5),
                fillValue: Double = 0.5, training: TrainingSettings = TrainingSettings()) {
        self.architecture = architecture
        self.codeSize = codeSize
        self.mask = mask
        self.fillValue = fillValue
        self.training = training
    }

    /// A two-layer convolutional context encoder (4 × 4 stride-2 convolutions of 32 and 64 filters).
    public init(channels: Int, height: Int, width: Int, filters: [Int] = [32, 64], codeSize: Int = 128,
                mask: InpaintingMask = .centre(fraction: 0.5), training: TrainingSettings = TrainingSettings()) {
        self.init(architecture: .convolutional(channels: channels, height: height, width: width, filters: filters),
                  codeSize: codeSize, mask: mask, training: training)
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "context-encoder" }

    /// Why this configuration cannot be trained on `inputSize` features, or `nil`.
    public func problem(inputSize: Int) -> String? {
        guard case .convolutional = architecture else { return "a context encoder needs a convolutional architecture (images)" }
        if codeSize < 1 { return "code size \(codeSize) must be at least 1" }
        if !fillValue.isFinite { return "fill value \(fillValue) must be finite" }
        return architecture.problem(inputSize: inputSize) ?? mask.problem ?? training.problem
    }

    /// Trains on the image rows of `x` (`n × C·H·W`) and returns the fitted model.
    /// - Parameters: as `Autoencoder.fit` (held-out `evaluation` rows, `checkpoint`, exact `resume`).
    /// - Throws: `AutoencoderError`, `TrainingError`, `IOError`/`CheckpointError`.
    /// - Complexity: `epochs · n` forward and backward passes of the encoder and decoder.
    public func fit(_ x: Matrix<Scalar>, evaluation: Matrix<Scalar>? = nil, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedContextEncoder<Scalar> {
        if let p = problem(inputSize: x.columns) { throw AutoencoderError.invalidConfiguration(p) }
        try AutoencoderTraining.validate(x)
        if let evaluation { try AutoencoderTraining.validate(evaluation, inputSize: x.columns) }
        let network = makeNetwork(inputSize: x.columns)
        let task = InpaintingTask(network: network, mask: mask, imageShape: imageShape, fillValue: Scalar(fillValue),
                                  evaluationSeed: training.seed)
        let reports = try AutoencoderTraining.run(task, data: x, evaluation: evaluation, settings: training,
                                                  metadata: AutoencoderTraining.metadata(kind: Self.kind, configuration: self, inputSize: x.columns),
                                                  checkpoint: checkpoint, resume: resume,
                                                  accepts: { AutoencoderTraining.sameExceptEpochs($0, as: self, epochs: \.training.epochs) },
                                                  onEvent: onEvent)
        return FittedContextEncoder(configuration: self, network: network, inputSize: x.columns, history: reports)
    }

    var imageShape: (channels: Int, height: Int, width: Int) {
        guard case let .convolutional(c, h, w, _) = architecture else { preconditionFailure("ContextEncoder: not convolutional") }
        return (c, h, w)
    }

    /// The network as `training.seed` initialises it, untrained: the random-init control row of an
    /// evaluation (same architecture, no learning). - Precondition: the configuration is valid.
    public func untrained(inputSize: Int) -> FittedContextEncoder<Scalar> {
        precondition(problem(inputSize: inputSize) == nil, "FittedContextEncoder.untrained: \(problem(inputSize: inputSize)!)")
        return FittedContextEncoder(configuration: self, network: makeNetwork(inputSize: inputSize), inputSize: inputSize, history: [])
    }

    func makeNetwork(inputSize: Int) -> AutoencoderNetwork<Scalar> {
        AutoencoderNetwork(architecture: architecture, inputSize: inputSize, codeSize: codeSize, sigmoidCode: false, seed: training.seed)
    }
}

/// A trained context encoder. Immutable: its network is only read (evaluation mode, no gradients).
public final class FittedContextEncoder<Scalar: BLASScalar> {
    public let configuration: ContextEncoder<Scalar>
    let network: AutoencoderNetwork<Scalar>
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]
    /// Number of input features `C·H·W`.
    public let inputSize: Int

    init(configuration: ContextEncoder<Scalar>, network: AutoencoderNetwork<Scalar>, inputSize: Int, history: [EpochReport]) {
        self.configuration = configuration
        self.network = network
        self.inputSize = inputSize
        self.history = history
        network.eval()
    }

    /// Frozen features of image rows: the encoder's last convolutional feature map, flattened
    /// (`n × C·H·W → n × filters.last · H/2^L · W/2^L`). O(n) forward passes.
    public func encode(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.columns == inputSize, "FittedContextEncoder.encode: \(x.columns) features, the model needs \(inputSize)")
        return AutoencoderTraining.mapRows(x) { network.encoder($0) }
    }

    /// The network's output for `x` with the hole map `holes` (same shape, 1 in the hole): `x`
    /// outside the hole and the prediction inside it.
    public func inpaint(_ x: Matrix<Scalar>, holes: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.columns == inputSize && holes.rows == x.rows && holes.columns == x.columns,
                     "FittedContextEncoder.inpaint: images \(x.rows)×\(x.columns), holes \(holes.rows)×\(holes.columns)")
        let fill = Scalar(configuration.fillValue)
        let filled = Matrix(rows: x.rows, columns: x.columns, storage: zip(x.storage, holes.storage).map { $1 > 0 ? fill : $0 })
        let predicted = AutoencoderTraining.mapRows(filled) { network.decode(network.encode($0)) }
        return Matrix(rows: x.rows, columns: x.columns, storage: (0..<x.storage.count).map { holes.storage[$0] > 0 ? predicted.storage[$0] : x.storage[$0] })
    }

    /// Saves the weights and configuration as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: network, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0, seed: configuration.training.seed),
                            metadata: AutoencoderTraining.metadata(kind: ContextEncoder<Scalar>.kind, configuration: configuration, inputSize: inputSize), to: url)
    }

    /// Reads a model file written by `save` (or a training checkpoint of `fit`).
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedContextEncoder {
        let (file, configuration, inputSize) = try AutoencoderTraining.read(url, kind: ContextEncoder<Scalar>.kind, as: ContextEncoder<Scalar>.self)
        if let p = configuration.problem(inputSize: inputSize) { throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p) }
        let network = configuration.makeNetwork(inputSize: inputSize)
        try Checkpoint.load(file, into: network)
        return FittedContextEncoder(configuration: configuration, network: network, inputSize: inputSize, history: [])
    }
}
