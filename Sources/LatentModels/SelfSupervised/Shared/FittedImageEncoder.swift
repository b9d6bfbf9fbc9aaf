import Foundation
import LatentCore
import LatentIO
import LatentNN

/// Anything that maps images (rows of `C·H·W` values) to feature rows: a self-supervised
/// encoder, an autoencoder's or VAE's code, a fixed transform. What the evaluation protocol and
/// the deep demo take, so every representation is scored alike.
public protocol ImageRepresentation {
    /// Features of the rows of `images` (`n × d → n × k`).
    func encode(_ images: Matrix<Float>) -> Matrix<Float>
}

/// A trained (or, for the control row, randomly initialised) encoder f of a self-supervised
/// method; the method's heads (SimCLR's projection g, the pretext classifiers) are dropped after
/// training, as in SimCLR's Algorithm 1. Immutable: the network is only read, in evaluation mode.
public final class FittedImageEncoder: ImageRepresentation {
    /// The method that trained it (`simclr`, `rotation`, `context`, or `random` for the control).
    public let method: String
    public let architecture: ImageEncoderArchitecture
    /// The whole method configuration as JSON (what `latent inspect`-like tools show).
    public let configurationJSON: String
    let encoder: Sequential<Float>
    /// What each training epoch did (empty for a model read from a file or the control).
    public let history: [EpochReport]

    init(method: String, architecture: ImageEncoderArchitecture, configurationJSON: String, encoder: Sequential<Float>, history: [EpochReport]) {
        self.method = method
        self.architecture = architecture
        self.configurationJSON = configurationJSON
        self.encoder = encoder
        self.history = history
        encoder.eval()
    }

    /// The control row: an encoder of this architecture with its initial weights (seeded), never trained.
    public static func randomlyInitialised(_ architecture: ImageEncoderArchitecture, seed: UInt64) -> FittedImageEncoder {
        var rng = Xoshiro256StarStar(seed: seed)
        let encoder = architecture.makeEncoder(using: &rng)
        return FittedImageEncoder(method: "random", architecture: architecture, configurationJSON: "{}", encoder: encoder, history: [])
    }

    /// Features per image.
    public var featureSize: Int { architecture.featureSize }
    /// The encoder's named tensors (weights and BatchNorm statistics).
    public var namedTensors: [(name: String, tensor: Tensor<Float>)] { encoder.namedTensors() }

    /// Features `(n × featureSize)` of image rows `(n × C·H·W)`, 256 images at a time: the
    /// encoder's output, preceded by the grid-averaged outputs of earlier blocks when the
    /// architecture reads more than one (`readoutBlocks`, earliest first).
    /// - Precondition: `images.columns == C·H·W`.
    public func encode(_ images: Matrix<Float>) -> Matrix<Float> {
        let a = architecture
        precondition(images.columns == a.inputSize, "FittedImageEncoder.encode: \(images.columns) values per row, the encoder needs \(a.inputSize)")
        return AutoencoderTraining.mapRows(images, rows: 256) { x in readout(x.reshaped([x.shape[0], a.channels, a.height, a.width])) }
    }

    /// The representation of a batch `(B, C, H, W) → (B, featureSize)`: each block ends at its
    /// ReLU (the dense layer's too), and the last `readoutBlocks` of those outputs, the convolution
    /// blocks' grid-averaged, each divided by its norm under `normalizedReadout`, are concatenated.
    private func readout(_ x: Tensor<Float>) -> Tensor<Float> {
        let a = architecture
        guard a.readoutBlocks > 1 || a.normalizedReadout else { return encoder(x) }
        let pool = GridAveragePool<Float>(grid: a.featureGrid)
        let firstRead = a.blockWidths.count - a.readoutBlocks
        var h = x, block = 0, parts: [Tensor<Float>] = []
        for layer in encoder.layers {
            h = layer(h)
            guard layer is ReLU<Float> else { continue }
            if block >= firstRead {
                let part = block < a.filters.count ? pool(h) : h
                parts.append(a.normalizedReadout ? part.l2Normalized(alongAxis: 1) : part)
            }
            block += 1
        }
        return Tensor.concatenate(parts, alongAxis: 1)
    }

    /// Saves the encoder (weights, statistics) and the configuration as safetensors, atomically.
    public func save(to url: URL) throws {
        let last = history.last
        try Checkpoint.save(model: encoder, progress: TrainingProgress(epoch: last?.epoch ?? 0, step: last?.step ?? 0, seed: 0),
                            metadata: Self.metadata(method: method, architecture: architecture, configurationJSON: configurationJSON), to: url)
    }

    /// Reads a file written by `save`. - Throws: `IOError`, `CheckpointError` naming the entry at fault.
    public static func load(from url: URL) throws -> FittedImageEncoder {
        let file = try SafeTensors.read(url)
        guard file.metadata["kind"] == kind, let method = file.metadata["method"] else {
            throw CheckpointError.badMetadata(path: url.path, key: "kind", reason: "not a self-supervised encoder file")
        }
        guard let json = file.metadata["architecture"],
              let architecture = try? JSONDecoder().decode(ImageEncoderArchitecture.self, from: Data(json.utf8)) else {
            throw CheckpointError.badMetadata(path: url.path, key: "architecture", reason: "missing or not an encoder architecture")
        }
        if let p = architecture.problem { throw CheckpointError.badMetadata(path: url.path, key: "architecture", reason: p) }
        var rng = Xoshiro256StarStar(seed: 0)
        let encoder = architecture.makeEncoder(using: &rng)
        try Checkpoint.load(file, into: encoder)
        return FittedImageEncoder(method: method, architecture: architecture, configurationJSON: file.metadata["configuration"] ?? "{}",
                                  encoder: encoder, history: [])
    }

    /// The `kind` metadata entry of encoder files.
    public static let kind = "self-supervised-encoder"

    static func metadata(method: String, architecture: ImageEncoderArchitecture, configurationJSON: String) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(architecture)) ?? Data(), as: UTF8.self)
        return ["kind": kind, "method": method, "architecture": json, "configuration": configurationJSON]
    }
}

extension FittedAutoencoder: ImageRepresentation where Scalar == Float {}

/// A VAE's representation is its posterior mean (`encode`).
extension FittedVariationalAutoencoder: ImageRepresentation where Scalar == Float {}

/// CPC's representation is the grid-pooled patch embeddings (`encode`).
extension FittedContrastivePredictiveCoding: ImageRepresentation where Scalar == Float {}

/// A context encoder's representation is its encoder's code (`encode`).
extension FittedContextEncoder: ImageRepresentation where Scalar == Float {}
