import Foundation
import LatentCore
import LatentIO
import LatentNN

/// Colorization as a pretext task (Zhang, Isola & Efros 2016): predict the colour of a photograph
/// from its lightness; the lightness encoder's features are the learned representation.
///
/// We regress CIE L\*a\*b\*'s a\* and b\* with squared error rather than Zhang's classification
/// over 313 quantised ab bins with class rebalancing: the rebalancing weights come from the colour
/// prior of the training set, and a few photographs give a prior dominated by a handful of
/// colours (sky, skin, a cat), so the bins and their weights would describe those pictures rather
/// than colour. Regression is the baseline Zhang et al. compare against; it gives greyer colours
/// (the mean of a multimodal distribution), which matters for pictures, less for features.
///
/// Inputs are Lab patch rows (`NaturalPatches(layout: .lab)`); `encode` takes grey images
/// (0…1 sRGB intensity, e.g. Fashion-MNIST) and converts them to lightness first.
public struct Colorization<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    /// Patch height and width (divisible by `2^filters.count`).
    public var height: Int, width: Int
    /// Filters of the 4 × 4 stride-2 convolutions of the encoder (mirrored in the decoder).
    public var filters: [Int]
    /// Size of the bottleneck (≥ 1).
    public var codeSize: Int
    public var training: TrainingSettings

    public init(height: Int, width: Int, filters: [Int] = [32, 64], codeSize: Int = 128, training: TrainingSettings = TrainingSettings()) {
        self.height = height
        self.width = width
        self.filters = filters
        self.codeSize = codeSize
        self.training = training
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "colorization" }

    /// Why this configuration cannot be trained on `inputSize` features (Lab rows), or `nil`.
    public func problem(inputSize: Int) -> String? {
        if codeSize < 1 { return "code size \(codeSize) must be at least 1" }
        if let p = AutoencoderArchitecture.convolutional(channels: 3, height: height, width: width, filters: filters).problem(inputSize: inputSize) {
            return p
        }
        return training.problem
    }

    /// Trains on Lab patch rows `x` (`n × 3·H·W`: L/100, a/100, b/100 planes) and returns the model.
    /// - Parameters: as `Autoencoder.fit` (held-out `evaluation` rows, `checkpoint`, exact `resume`).
    /// - Throws: `AutoencoderError`, `TrainingError`, `IOError`/`CheckpointError`.
    public func fit(_ x: Matrix<Scalar>, evaluation: Matrix<Scalar>? = nil, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedColorization<Scalar> {
        if let p = problem(inputSize: x.columns) { throw AutoencoderError.invalidConfiguration(p) }
        try AutoencoderTraining.validate(x)
        if let evaluation { try AutoencoderTraining.validate(evaluation, inputSize: x.columns) }
        let network = makeNetwork()
        let task = ColorizationTask(network: network, area: height * width)
        let reports = try AutoencoderTraining.run(task, data: x, evaluation: evaluation, settings: training,
                                                  metadata: AutoencoderTraining.metadata(kind: Self.kind, configuration: self, inputSize: x.columns),
                                                  checkpoint: checkpoint, resume: resume,
                                                  accepts: { AutoencoderTraining.sameExceptEpochs($0, as: self, epochs: \.training.epochs) },
                                                  onEvent: onEvent)
        return FittedColorization(configuration: self, network: network, history: reports)
    }

    /// The network as `training.seed` initialises it, untrained: the random-init control row of an
    /// evaluation (same architecture, no learning). - Precondition: the configuration is valid.
    public func untrained() -> FittedColorization<Scalar> {
        precondition(problem(inputSize: 3 * height * width) == nil, "FittedColorization.untrained: \(problem(inputSize: 3 * height * width)!)")
        return FittedColorization(configuration: self, network: makeNetwork(), history: [])
    }

    /// Lab rows (L/100, a/100, b/100 planes, the layout `fit` takes) of colour images `n × 3·H·W`
    /// (R, G, B planes in 0…1), pixel by pixel through `LabColor`. O(n·H·W).
    public static func lab(ofRGB rgb: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(rgb.columns % 3 == 0, "Colorization.lab(ofRGB:): \(rgb.columns) values per row are not three planes")
        let area = rgb.columns / 3
        var out = [Scalar](repeating: 0, count: rgb.storage.count)
        for base in stride(from: 0, to: rgb.storage.count, by: rgb.columns) {
            for p in 0..<area {
                let lab = LabColor.fromRGB(Double(rgb.storage[base + p]), Double(rgb.storage[base + area + p]), Double(rgb.storage[base + 2 * area + p]))
                out[base + p] = Scalar(lab.l / 100); out[base + area + p] = Scalar(lab.a / 100); out[base + 2 * area + p] = Scalar(lab.b / 100)
            }
        }
        return Matrix(rows: rgb.rows, columns: rgb.columns, storage: out)
    }

    func makeNetwork() -> ColorizationNetwork<Scalar> {
        ColorizationNetwork(height: height, width: width, filters: filters, codeSize: codeSize, seed: training.seed)
    }
}

/// A trained colorization network. Immutable: only read (evaluation mode, no gradients).
public final class FittedColorization<Scalar: BLASScalar> {
    public let configuration: Colorization<Scalar>
    let network: ColorizationNetwork<Scalar>
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]

    init(configuration: Colorization<Scalar>, network: ColorizationNetwork<Scalar>, history: [EpochReport]) {
        self.configuration = configuration
        self.network = network
        self.history = history
        network.eval()
    }

    /// Pixels per image `H·W`: the width of `encode`'s input rows.
    public var area: Int { configuration.height * configuration.width }

    /// Lightness rows (L/100) of grey images in 0…1 (sRGB intensity): `L*(v, v, v) / 100`.
    public static func lightness(ofGrey x: Matrix<Scalar>) -> Matrix<Scalar> {
        Matrix(rows: x.rows, columns: x.columns, storage: x.storage.map { v in
            let g = Double(v)
            return Scalar(LabColor.fromRGB(g, g, g).l / 100)
        })
    }

    /// Frozen features of grey images `n × H·W` (0…1): the lightness encoder's last feature map,
    /// flattened (`n × filters.last · H/2^L · W/2^L`). O(n) forward passes.
    public func encode(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.columns == area, "FittedColorization.encode: \(x.columns) pixels, the model needs \(area)")
        return AutoencoderTraining.mapRows(Self.lightness(ofGrey: x)) { network.encoder($0) }
    }

    /// Frozen features of colour images `n × 3·H·W` (RGB planes in 0…1): the lightness encoder's
    /// last feature map of their L\* (`n × filters.last · H/2^L · W/2^L`). O(n) forward passes.
    public func encodeColour(_ rgb: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(rgb.columns == 3 * area, "FittedColorization.encodeColour: \(rgb.columns) values, need \(3 * area)")
        let lab = Colorization<Scalar>.lab(ofRGB: rgb)
        let l = Matrix(rows: lab.rows, columns: area) { i, j in lab[i, j] }
        return AutoencoderTraining.mapRows(l) { network.encoder($0) }
    }

    /// Predicted colour of Lab rows' lightness: rows `n × 3·H·W` with the input's L plane and the
    /// predicted a/100, b/100 planes.
    public func colorize(_ lab: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(lab.columns == 3 * area, "FittedColorization.colorize: \(lab.columns) values, need \(3 * area)")
        let l = Matrix(rows: lab.rows, columns: area) { i, j in lab[i, j] }
        let ab = AutoencoderTraining.mapRows(l) { network($0) }
        return Matrix(rows: lab.rows, columns: 3 * area) { i, j in j < area ? l[i, j] : ab[i, j - area] }
    }

    /// Saves the weights and configuration as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: network, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0, seed: configuration.training.seed),
                            metadata: AutoencoderTraining.metadata(kind: Colorization<Scalar>.kind, configuration: configuration, inputSize: 3 * area), to: url)
    }

    /// Reads a model file written by `save` (or a training checkpoint of `fit`).
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedColorization {
        let (file, configuration, inputSize) = try AutoencoderTraining.read(url, kind: Colorization<Scalar>.kind, as: Colorization<Scalar>.self)
        if let p = configuration.problem(inputSize: inputSize) { throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p) }
        let network = configuration.makeNetwork()
        try Checkpoint.load(file, into: network)
        return FittedColorization(configuration: configuration, network: network, history: [])
    }
}
