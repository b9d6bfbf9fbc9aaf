import Foundation
import Latent

/// A trained image network saved as safetensors by `latent train` (`simclr`, `rotation`, `context`,
/// `cpc`, `inpainting`, `autoencoder`, `vae`), read for `latent embed`: the rows of the input are
/// images (`C·H·W` values, pixels in [0, 1]) and the embedding is the network's representation
/// (`encode`: the encoder f's features, the autoencoder's code, the VAE's posterior mean).
/// The file's `kind` metadata entry says which loader applies.
struct NetworkModelFile {
    /// The method that trained it, as `latent train` names it.
    let method: String
    /// Values per input row.
    let inputFeatures: Int
    let representation: any ImageRepresentation

    /// Whether `path` holds a safetensors file rather than a JSON model file: a JSON file opens
    /// with `{` (or white space), a safetensors file with its 8-byte little-endian header size.
    static func isSafeTensors(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: 9) else { return false }
        try? handle.close()
        return head.count == 9 && head[head.startIndex + 8] == UInt8(ascii: "{")
    }

    /// Reads `path`. - Throws: `Failure` for a safetensors file of another kind (a training
    /// checkpoint of a self-supervised method, a language model), `IOError`/`CheckpointError`
    /// naming the entry at fault.
    static func read(_ path: String) throws -> NetworkModelFile {
        let url = URL(fileURLWithPath: path)
        let kind = try SafeTensors.read(url).metadata["kind"] ?? ""
        guard let load = loaders[kind] else {
            let hint = kind.hasSuffix("-training")
                ? " (a training checkpoint; embed the model file written at the end of the run, --output)" : ""
            throw Failure("\(MessageText.quoted(path, limit: 200)) is a safetensors file of kind \(MessageText.quoted(kind, limit: 60)), "
                          + "not an image encoder latent embed can apply\(hint)")
        }
        return try load(url)
    }

    /// The loader of each `kind` metadata entry.
    private static let loaders: [String: @Sendable (URL) throws -> NetworkModelFile] = [
        FittedImageEncoder.kind: { let m = try FittedImageEncoder.load(from: $0); return NetworkModelFile(method: m.method, inputFeatures: m.architecture.inputSize, representation: m) },
        Autoencoder<Float>.kind: { let m = try FittedAutoencoder<Float>.load(from: $0); return NetworkModelFile(method: "autoencoder", inputFeatures: m.inputSize, representation: m) },
        VariationalAutoencoder<Float>.kind: { let m = try FittedVariationalAutoencoder<Float>.load(from: $0); return NetworkModelFile(method: "vae", inputFeatures: m.inputSize, representation: m) },
        ContrastivePredictiveCoding<Float>.kind: { let m = try FittedContrastivePredictiveCoding<Float>.load(from: $0); return NetworkModelFile(method: "cpc", inputFeatures: m.inputSize, representation: m) },
        ContextEncoder<Float>.kind: { let m = try FittedContextEncoder<Float>.load(from: $0); return NetworkModelFile(method: "inpainting", inputFeatures: m.inputSize, representation: m) },
    ]

    /// The representation of the rows of `x`, in Float as the network computes.
    func embed(_ x: Matrix<Double>) -> Matrix<Double> {
        let z = representation.encode(Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map { Float($0) }))
        return Matrix<Double>(rows: z.rows, columns: z.columns, storage: z.storage.map { Double($0) })
    }
}
