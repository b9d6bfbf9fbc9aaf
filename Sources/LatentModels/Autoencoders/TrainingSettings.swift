import Foundation
import LatentCore
import LatentIO
import LatentNN

/// How an autoencoder or VAE is optimised: Adam (Kingma & Ba 2015) at a fixed learning rate on
/// shuffled mini-batches, for a number of epochs, from one seed (weights, batch order, noise).
public struct TrainingSettings: Codable, Sendable, Equatable {
    /// Passes over the training rows (≥ 1).
    public var epochs: Int
    /// Rows per step (≥ 1); the last partial batch of an epoch is kept.
    public var batchSize: Int
    /// Adam's step size (> 0).
    public var learningRate: Double
    /// Global gradient-norm bound, or `nil` for none.
    public var maximumGradientNorm: Double?
    /// Seeds the initial weights, each epoch's batch order and the model's noise stream.
    public var seed: UInt64

    public init(epochs: Int = 10, batchSize: Int = 64, learningRate: Double = 1e-3,
                maximumGradientNorm: Double? = nil, seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.maximumGradientNorm = maximumGradientNorm
        self.seed = seed
    }

    var problem: String? {
        if epochs < 1 { return "epochs \(epochs) must be at least 1" }
        if batchSize < 1 { return "batch size \(batchSize) must be at least 1" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning rate \(learningRate) must be positive and finite" }
        if let g = maximumGradientNorm, !(g > 0 && g.isFinite) { return "gradient-norm bound \(g) must be positive and finite" }
        return nil
    }
}

/// Input an autoencoder cannot use, or a configuration that cannot be built.
public enum AutoencoderError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of range; the message names it.
    case invalidConfiguration(String)
    /// The data has `found` features where the model needs `expected`.
    case featureMismatch(expected: Int, found: Int)
    /// No rows to learn from.
    case noSamples
    /// The value at `row`, `column` (0-based) is NaN or infinite.
    case nonFiniteInput(row: Int, column: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(m): return "invalid autoencoder configuration: \(m)"
        case let .featureMismatch(e, f): return "the model needs \(e) features per row, the data has \(f)"
        case .noSamples: return "no rows to learn from"
        case let .nonFiniteInput(r, c): return "value at row \(r + 1), column \(c + 1) is not finite"
        }
    }
}

/// The training loop shared by the autoencoder estimators: validate, build a `Trainer` with Adam,
/// optionally resume from `checkpoint`, train, and return the epoch reports.
enum AutoencoderTraining {
    /// The metadata that names a model file's kind and configuration (also in training checkpoints).
    static func metadata(kind: String, configuration: some Encodable, inputSize: Int) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
        return ["kind": kind, "configuration": json, "input_size": String(inputSize)]
    }

    /// Throws unless `x` has rows, `inputSize` columns and only finite values. O(n·d).
    static func validate<S: BLASScalar>(_ x: Matrix<S>, inputSize: Int? = nil) throws {
        guard x.rows > 0 else { throw AutoencoderError.noSamples }
        if let inputSize, x.columns != inputSize { throw AutoencoderError.featureMismatch(expected: inputSize, found: x.columns) }
        if let i = x.storage.firstIndex(where: { !$0.isFinite }) {
            throw AutoencoderError.nonFiniteInput(row: i / x.columns, column: i % x.columns)
        }
    }

    static func run<Task: TrainingTask>(_ task: Task, data x: Matrix<Task.Scalar>, evaluation: Matrix<Task.Scalar>?,
                                        settings: TrainingSettings, metadata: [String: String],
                                        checkpoint: URL?, resume: Bool, accepts: (String) -> Bool,
                                        onEvent: (TrainingEvent) -> Void) throws -> [EpochReport]
    where Task.Batch == DataLoader<Task.Scalar>.Batch {
        let training = DataLoader(features: x, batchSize: settings.batchSize, shuffle: true, seed: settings.seed)
        let held = evaluation.map { DataLoader(features: $0, batchSize: settings.batchSize, shuffle: false) }
        return try run(task, training: training, evaluation: held, settings: settings, metadata: metadata, checkpoint: checkpoint,
                       resume: resume, accepts: accepts, onEvent: onEvent)
    }

    /// The same loop over any batch source (augmented views, patch pairs): Adam, optional resume
    /// from `checkpoint` after checking its kind and configuration, `settings.epochs` epochs in all.
    static func run<Task: TrainingTask>(_ task: Task, training: some BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)?,
                                        settings: TrainingSettings, metadata: [String: String],
                                        checkpoint: URL?, resume: Bool, accepts: (String) -> Bool,
                                        onEvent: (TrainingEvent) -> Void) throws -> [EpochReport] {
        let optimizer = Adam(parameters: task.model.parameters, learningRate: settings.learningRate)
        let trainer = Trainer(task: task, optimizer: optimizer, seed: settings.seed,
                              maximumGradientNorm: settings.maximumGradientNorm, checkpoint: checkpoint, metadata: metadata)
        if resume, let checkpoint, FileManager.default.fileExists(atPath: checkpoint.path) {
            let file = try SafeTensors.read(checkpoint)
            guard file.metadata["kind"] == metadata["kind"] else {
                throw CheckpointError.badMetadata(path: checkpoint.path, key: "kind", reason: "not a \(metadata["kind"] ?? "") checkpoint")
            }
            guard let stored = file.metadata["configuration"], accepts(stored) else {
                throw CheckpointError.badMetadata(path: checkpoint.path, key: "configuration",
                                                  reason: "the checkpoint was trained with other settings (only the epoch count may change); start a new run")
            }
            try trainer.resume(from: checkpoint)
        }
        return try trainer.fit(training, evaluation: evaluation, epochs: settings.epochs, onEvent: onEvent)
    }

    /// Whether `json` decodes to `configuration` up to the epoch count (what a resumed run may raise).
    static func sameExceptEpochs<C: Decodable & Equatable>(_ json: String, as configuration: C, epochs: WritableKeyPath<C, Int>) -> Bool {
        guard var stored = try? JSONDecoder().decode(C.self, from: Data(json.utf8)) else { return false }
        stored[keyPath: epochs] = configuration[keyPath: epochs]
        return stored == configuration
    }

    /// `body` applied to `x` in chunks of `rows` rows without recording gradients, results stacked. O(n).
    static func mapRows<S: BLASScalar>(_ x: Matrix<S>, rows: Int = 512, _ body: (Tensor<S>) -> Tensor<S>) -> Matrix<S> {
        withoutGradient {
            var out: [S] = [], width = 0
            var start = 0
            while start < x.rows {
                let end = Swift.min(start + rows, x.rows)
                let chunk = Tensor(shape: [end - start, x.columns], storage: Array(x.storage[(start * x.columns)..<(end * x.columns)]))
                let y = body(chunk)
                width = y.count / (end - start)
                out += y.storage
                start = end
            }
            return Matrix(rows: x.rows, columns: width, storage: out)
        }
    }

    /// Reads a model file written by `save`: checks its `kind`, decodes its configuration and input size.
    static func read<C: Decodable>(_ url: URL, kind: String, as: C.Type) throws -> (file: SafeTensors, configuration: C, inputSize: Int) {
        let file = try SafeTensors.read(url)
        guard file.metadata["kind"] == kind else {
            throw CheckpointError.badMetadata(path: url.path, key: "kind", reason: "expected \"\(kind)\", found \"\(file.metadata["kind"] ?? "nothing")\"")
        }
        guard let json = file.metadata["configuration"], let configuration = try? JSONDecoder().decode(C.self, from: Data(json.utf8)) else {
            throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: "missing or not a \(kind) configuration")
        }
        guard let size = file.metadata["input_size"].flatMap(Int.init), size >= 1 else {
            throw CheckpointError.badMetadata(path: url.path, key: "input_size", reason: "missing or not a positive integer")
        }
        return (file, configuration, size)
    }
}
