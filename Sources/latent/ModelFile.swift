import Foundation
import Latent

/// A fitted model of any method the CLI runs, in Double precision.
enum FittedModel {
    case pca(PCAModel<Double>)
    case kpca(KernelPCAModel<Double>)
    case ica(FittedFastICA<Double>)
    case dict(DictionaryModel<Double>)
    case nmf(FittedNMF<Double>)
    case rbm(BernoulliRBMModel<Double>)

    /// The subcommand name that fits it.
    var method: String {
        switch self {
        case .pca: return "pca"
        case .kpca: return "kpca"
        case .ica: return "ica"
        case .dict: return "dict"
        case .nmf: return "nmf"
        case .rbm: return "rbm"
        }
    }

    /// Output column prefix: `pc` for PCA, `z` otherwise.
    var columnPrefix: String { if case .pca = self { return "pc" } else { return "z" } }

    var inputFeatures: Int { transformer.inputFeatures }
    var outputFeatures: Int { transformer.outputFeatures }

    private var transformer: any FittedTransformer {
        switch self {
        case let .pca(m): return m
        case let .kpca(m): return m
        case let .ica(m): return m
        case let .dict(m): return m
        case let .nmf(m): return m
        case let .rbm(m): return m
        }
    }

    /// The embedding of `x` (n × inputFeatures → n × outputFeatures).
    func transform(_ x: Matrix<Double>) throws -> Matrix<Double> {
        switch self {
        case let .pca(m): return try m.transform(x)
        case let .kpca(m): return try m.transform(x)
        case let .ica(m): return try m.transform(x)
        case let .dict(m): return try m.transform(x)
        case let .nmf(m): return try m.transform(x)
        case let .rbm(m): return try m.transform(x)
        }
    }
}

/// The JSON file `--save-model` writes and `embed`/`inspect` read:
///
/// ```json
/// {"format": "latent-model", "version": 1, "method": "pca", "latentVersion": "0.1.0",
///  "options": {...the command's options...}, "inputFeatures": 4, "outputFeatures": 2,
///  "model": {...the learner's Codable fitted model...}}
/// ```
///
/// Numbers are plain JSON numbers written in the shortest form that reads back to the same
/// Double, so a saved model embeds new data bit for bit as the original run did; files are larger
/// than binary (about 20 bytes per number) but readable by any JSON tool. Matrices are
/// `{"rows": r, "columns": c, "storage": [row-major values]}`.
struct ModelFile: Codable {
    static let formatName = "latent-model"
    static let currentVersion = 1

    var format = ModelFile.formatName
    var version = ModelFile.currentVersion
    var method: String
    var latentVersion = LatentVersion.string
    var options: [String: JSONValue]
    var inputFeatures: Int
    var outputFeatures: Int
    var model: FittedModel

    init(model: FittedModel, options: [String: JSONValue]) {
        self.method = model.method
        self.options = options
        self.inputFeatures = model.inputFeatures
        self.outputFeatures = model.outputFeatures
        self.model = model
    }

    private enum CodingKeys: String, CodingKey {
        case format, version, method, latentVersion, options, inputFeatures, outputFeatures, model
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == Self.formatName else {
            throw Failure("\"format\" is \"\(format)\", expected \"\(Self.formatName)\"")
        }
        version = try c.decode(Int.self, forKey: .version)
        guard version == Self.currentVersion else {
            throw Failure("model file version \(version); this latent reads version \(Self.currentVersion)")
        }
        method = try c.decode(String.self, forKey: .method)
        latentVersion = try c.decode(String.self, forKey: .latentVersion)
        options = try c.decodeIfPresent([String: JSONValue].self, forKey: .options) ?? [:]
        inputFeatures = try c.decode(Int.self, forKey: .inputFeatures)
        outputFeatures = try c.decode(Int.self, forKey: .outputFeatures)
        switch method {
        case "pca": model = .pca(try c.decode(PCAModel<Double>.self, forKey: .model))
        case "kpca": model = .kpca(try c.decode(KernelPCAModel<Double>.self, forKey: .model))
        case "ica": model = .ica(try c.decode(FittedFastICA<Double>.self, forKey: .model))
        case "dict": model = .dict(try c.decode(DictionaryModel<Double>.self, forKey: .model))
        case "nmf": model = .nmf(try c.decode(FittedNMF<Double>.self, forKey: .model))
        case "rbm": model = .rbm(try c.decode(BernoulliRBMModel<Double>.self, forKey: .model))
        default: throw Failure("unknown method \"\(method)\"; expected pca, kpca, ica, dict, nmf or rbm")
        }
        try model.validate()
        guard model.inputFeatures == inputFeatures else {
            throw Failure("\"inputFeatures\" is \(inputFeatures) but the model takes \(model.inputFeatures)")
        }
        guard model.outputFeatures == outputFeatures else {
            throw Failure("\"outputFeatures\" is \(outputFeatures) but the model gives \(model.outputFeatures)")
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(version, forKey: .version)
        try c.encode(method, forKey: .method)
        try c.encode(latentVersion, forKey: .latentVersion)
        try c.encode(options, forKey: .options)
        try c.encode(inputFeatures, forKey: .inputFeatures)
        try c.encode(outputFeatures, forKey: .outputFeatures)
        switch model {
        case let .pca(m): try c.encode(m, forKey: .model)
        case let .kpca(m): try c.encode(m, forKey: .model)
        case let .ica(m): try c.encode(m, forKey: .model)
        case let .dict(m): try c.encode(m, forKey: .model)
        case let .nmf(m): try c.encode(m, forKey: .model)
        case let .rbm(m): try c.encode(m, forKey: .model)
        }
    }

    /// Writes the file atomically.
    func write(to path: String) throws {
        Interrupts.protect(path)
        try AtomicFile.write(try JSON.encoder().encode(self), to: URL(fileURLWithPath: path))
    }

    /// Reads a model file; problems name the file (`model.json: not a latent model file: …`).
    static func read(_ path: String) throws -> ModelFile {
        let data = try InputOptions.read(path)
        do {
            return try JSON.decoder().decode(ModelFile.self, from: data)
        } catch let error as Failure {
            throw Failure("\(path): \(error.message)")
        } catch let error as DecodingError {
            throw Failure("\(path): not a latent model file: \(describe(error))")
        } catch {
            throw Failure("\(path): not a latent model file: \(Failures.message(for: error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, ctx): return "missing \"\(key.stringValue)\"\(at(ctx.codingPath))"
        case let .typeMismatch(_, ctx), let .valueNotFound(_, ctx): return "\(ctx.debugDescription)\(at(ctx.codingPath))"
        case let .dataCorrupted(ctx):
            let underlying = (ctx.underlyingError as NSError?).map { ": \($0.localizedDescription)" } ?? ""
            return "\(ctx.debugDescription)\(underlying)\(at(ctx.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}
