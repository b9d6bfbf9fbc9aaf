import Foundation
import Latent

/// The JSON file `--save-model` writes and `embed`/`inspect` read:
///
/// ```json
/// {"format": "latent-model", "version": 1, "method": "pca", "latentVersion": "0.1.0",
///  "options": {...the command's options...}, "inputFeatures": 4, "outputFeatures": 2,
///  "model": {...the learner's Codable fitted model...}}
/// ```
///
/// The `model` object is the method's `ModelFormat` (its descriptor, `Methods.registry`), so a
/// method registered with a format is saved, embedded and inspected with no code here.
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
    /// The method's description (`Methods.registry[method]`).
    let descriptor: MethodDescriptor
    private let coding: ModelFormat

    /// A file holding `model`, fitted by `method` (which must have a `ModelFormat`) with `options`.
    init(model: FittedModel, method: MethodDescriptor, options: [String: JSONValue]) throws {
        guard let coding = method.format else {
            throw Failure("\(method.name) models cannot be saved in a model file (the method has no model format)")
        }
        guard let inputFeatures = model.inputFeatures else { preconditionFailure("ModelFile: a \(method.name) model without inputFeatures") }
        self.method = method.name
        self.options = options
        self.inputFeatures = inputFeatures
        self.outputFeatures = model.outputFeatures
        self.model = model
        self.descriptor = method
        self.coding = coding
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
        (descriptor, coding) = try Methods.withModelFormat(method)
        guard c.contains(.model) else {
            throw DecodingError.keyNotFound(CodingKeys.model, .init(codingPath: c.codingPath, debugDescription: "missing \"model\""))
        }
        do {
            model = try coding.decode(try c.superDecoder(forKey: .model))
        } catch let error as ModelFileError {
            throw Failure(error.description)
        }
        if model.inputFeatures == nil || model.outputFeatures < 1 || model.inputFeatures! < 1 {
            throw Failure("the model maps \(model.inputFeatures ?? 0) input features to \(model.outputFeatures); both must be at least 1")
        }
        guard model.inputFeatures! == inputFeatures else {
            throw Failure("\"inputFeatures\" is \(inputFeatures) but the model takes \(model.inputFeatures!)")
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
        try coding.encode(model, c.superEncoder(forKey: .model))
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
