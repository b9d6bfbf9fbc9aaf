import Foundation
import LatentCore
import LatentIO

/// Where training stands: the number of finished epochs, optimizer steps taken and the run's seed.
public struct TrainingProgress: Sendable, Equatable, Codable {
    /// Epochs completed (the next epoch to run, 0-based).
    public var epoch: Int
    /// Optimizer steps taken so far.
    public var step: Int
    /// The seed of the run (data order, initialisation, dropout).
    public var seed: UInt64

    public init(epoch: Int = 0, step: Int = 0, seed: UInt64) {
        self.epoch = epoch
        self.step = step
        self.seed = seed
    }
}

/// Training checkpoints as safetensors files that PyTorch can open.
///
/// A checkpoint holds
/// - every model tensor, parameters *and* buffers, under `model.<key path>` (e.g.
///   `model.body.layers.0.weight`, `model.norm.runningMean`), in the model's precision;
/// - the optimizer state under `optimizer.<name>` (`optimizer.step`, `optimizer.3.exp_avg`);
/// - metadata: `format` (`latent-checkpoint`), `format_version`, `epoch`, `step`, `seed`, the
///   generator of every `StochasticModule` as `generator.model.<key path>` (JSON), and any extra
///   strings the caller adds (e.g. the model kind). Every `StochasticModule` has its own stream,
///   so a resumed run draws exactly the masks an uninterrupted one would.
///
/// Saving goes through `AtomicFile`, so an interrupted save leaves the previous checkpoint intact.
/// Loading validates everything (names, shapes, dtypes, metadata, optimizer sizes) before it
/// changes the model, and throws `CheckpointError` or `IOError` naming the file and tensor.
public enum Checkpoint {
    /// The layout version this code writes and reads.
    public static let formatVersion = "1"
    /// The value of the `format` metadata entry.
    public static let formatName = "latent-checkpoint"

    /// What `load` found besides the tensors.
    public struct Contents: Sendable {
        /// Epoch, step and seed at save time.
        public let progress: TrainingProgress
        /// All metadata strings, including the caller's extras.
        public let metadata: [String: String]
    }

    /// The safetensors entries and metadata of a checkpoint (what `save` writes).
    /// - Complexity: O(parameters) copies.
    public static func contents<S: BLASScalar>(model: any Module<S>, optimizer: (any Optimizer<S>)? = nil,
                                             progress: TrainingProgress,
                                             metadata extra: [String: String] = [:]) -> (entries: [SafeTensors.Entry], metadata: [String: String]) {
        var entries = model.namedTensors().map { SafeTensors.Entry(name: "model." + $0.name, tensor: $0.tensor) }
        if let optimizer {
            let sizes = Dictionary(optimizer.parameters.enumerated().map { ("\($0.offset)", $0.element.shape) }, uniquingKeysWith: { a, _ in a })
            for (name, values) in optimizer.stateTensors() {
                // Per-parameter state keeps its parameter's shape (as in PyTorch); scalars are 0-D.
                let index = String(name.prefix { $0 != "." })
                let shape = sizes[index].flatMap { $0.reduce(1, *) == values.count ? $0 : nil } ?? (values.count == 1 ? [] : [values.count])
                entries.append(SafeTensors.Entry(name: "optimizer." + name, shape: shape, values: values))
            }
        }
        var metadata = extra
        metadata["format"] = formatName
        metadata["format_version"] = formatVersion
        metadata["epoch"] = String(progress.epoch)
        metadata["step"] = String(progress.step)
        metadata["seed"] = String(progress.seed)
        for (path, module) in model.stochasticModules() {
            metadata["generator.model." + path] = encodeGenerator(module.generator)
        }
        return (entries, metadata)
    }

    /// Saves `model` (and `optimizer`'s state) with `progress` to `url`, atomically.
    /// - Throws: `IOError.cannotWrite`.
    public static func save<S: BLASScalar>(model: any Module<S>, optimizer: (any Optimizer<S>)? = nil,
                                           progress: TrainingProgress, metadata extra: [String: String] = [:],
                                           to url: URL) throws {
        let (entries, metadata) = contents(model: model, optimizer: optimizer, progress: progress, metadata: extra)
        try SafeTensors.write(entries, metadata: metadata, to: url)
    }

    /// Loads a checkpoint into `model` (and `optimizer`), returning its progress and metadata.
    ///
    /// Every model tensor must be present with the model's shape and dtype and no other `model.`
    /// tensor may be present (as PyTorch's strict `load_state_dict`); every stochastic module's
    /// generator must be in the metadata. Nothing in the model changes unless all of it fits.
    /// - Throws: `IOError` for unreadable or damaged files, `CheckpointError` for files that do not
    ///   fit the model or optimizer.
    @discardableResult
    public static func load<S: BLASScalar>(from url: URL, into model: any Module<S>,
                                           optimizer: (any Optimizer<S>)? = nil) throws -> Contents {
        let file = try SafeTensors.read(url)
        return try load(file, into: model, optimizer: optimizer)
    }

    /// Loads already-read safetensors contents (see `load(from:into:optimizer:)`).
    @discardableResult
    public static func load<S: BLASScalar>(_ file: SafeTensors, into model: any Module<S>,
                                           optimizer: (any Optimizer<S>)? = nil) throws -> Contents {
        let path = file.path
        let meta = file.metadata
        func required(_ key: String) throws -> String {
            guard let v = meta[key] else { throw CheckpointError.badMetadata(path: path, key: key, reason: "missing") }
            return v
        }
        guard try required("format") == formatName else {
            throw CheckpointError.badMetadata(path: path, key: "format", reason: "\"\(meta["format"]!)\" is not \(formatName)")
        }
        guard try required("format_version") == formatVersion else {
            throw CheckpointError.badMetadata(path: path, key: "format_version", reason: "version \(meta["format_version"]!) is not \(formatVersion)")
        }
        func integer(_ key: String) throws -> Int {
            guard let v = Int(try required(key)), v >= 0 else {
                throw CheckpointError.badMetadata(path: path, key: key, reason: "\"\(meta[key]!)\" is not a non-negative integer")
            }
            return v
        }
        let epoch = try integer("epoch"), step = try integer("step")
        guard let seed = UInt64(try required("seed")) else {
            throw CheckpointError.badMetadata(path: path, key: "seed", reason: "\"\(meta["seed"]!)\" is not an unsigned integer")
        }

        // Model tensors: all present, right shape and dtype, nothing extra.
        let named = model.namedTensors()
        var values: [[S]] = []
        for (name, tensor) in named {
            let key = "model." + name
            guard let info = file.tensors[key] else { throw CheckpointError.missingTensor(path: path, name: key) }
            guard info.shape == tensor.shape else {
                throw CheckpointError.shapeMismatch(path: path, name: key, expected: tensor.shape, found: info.shape)
            }
            values.append(try file.values(key, as: S.self))
        }
        let known = Set(named.map { "model." + $0.name })
        if let extra = file.names.first(where: { $0.hasPrefix("model.") && !known.contains($0) }) {
            throw CheckpointError.unexpectedTensor(path: path, name: extra)
        }

        // Generators of the stochastic modules.
        var generators: [(StochasticModule, Xoshiro256StarStar)] = []
        for (modulePath, layer) in model.stochasticModules() {
            let key = "generator.model." + modulePath
            guard let g = decodeGenerator(try required(key)) else {
                throw CheckpointError.badMetadata(path: path, key: key, reason: "not a generator state")
            }
            generators.append((layer, g))
        }

        // Optimizer state (validated by the optimizer itself).
        if let optimizer {
            var state: [String: [S]] = [:]
            for name in file.names where name.hasPrefix("optimizer.") {
                state[String(name.dropFirst("optimizer.".count))] = try file.values(name, as: S.self)
            }
            do {
                try optimizer.loadState(state)
            } catch let e as OptimizerStateError {
                throw CheckpointError.optimizerState(path: path, reason: e.message)
            }
        }

        for ((_, tensor), v) in zip(named, values) { tensor.storage = v }
        for (layer, g) in generators { layer.generator = g }
        return Contents(progress: TrainingProgress(epoch: epoch, step: step, seed: seed), metadata: meta)
    }

    // MARK: - Generators

    static func encodeGenerator(_ g: Xoshiro256StarStar) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(g), as: UTF8.self)     // a struct of integers always encodes
    }

    static func decodeGenerator(_ text: String) -> Xoshiro256StarStar? {
        try? JSONDecoder().decode(Xoshiro256StarStar.self, from: Data(text.utf8))
    }
}
