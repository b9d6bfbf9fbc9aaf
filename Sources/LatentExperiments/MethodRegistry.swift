import LatentCore
import LatentDecomposition
import LatentManifold
import LatentModels

/// The methods a batch file may name, by name.
///
/// `MethodRegistry.standard` holds the built-in methods. Each is described once by a
/// `MethodDescriptor` kept beside the learner (`Sources/LatentDecomposition/PCA/PCA+Descriptor.swift`,
/// `Sources/LatentManifold/TSNE+Descriptor.swift`, …): its parameters with kinds, defaults, ranges
/// and help, and how to fit it. Adding a method is that one file plus one entry in `standard`
/// below; a method from a module this one cannot import (or from a test) is registered with
/// `register(_:)` by the code that builds the catalog:
///
/// ```swift
/// registry.register(MethodDescriptor(
///     name: "scaled", summary: "the data times a factor",
///     parameters: [.double("factor", default: 1, min: 0, help: "the factor")],
///     canReconstruct: false
/// ) { x, p, seed in
///     FittedModel(outputFeatures: x.columns, transform: { $0 * p.double("factor") })
/// })
/// ```
///
/// Iterative learners pass their fit report on (`FittedModel(model, report: model.report)`) and
/// use `seed` for their generator.
public struct MethodRegistry: Sendable {
    /// Methods by name.
    public private(set) var methods: [String: MethodDescriptor]

    /// A registry holding `methods` (names must be distinct).
    public init(_ methods: [MethodDescriptor] = []) {
        self.methods = [:]
        for m in methods { register(m) }
    }

    /// The built-in methods: the classic learners (`pca`, `kpca`, `ica`, `dict`, `nmf`, `rbm`,
    /// `linear-autoencoder`), `tsne`, `truncated-svd`, the neural autoencoders (`autoencoder`, `vae`)
    /// the self-supervised image encoders (`simclr`, `rotation`, `context`, `cpc`, `inpainting`,
    /// `colorization`) and, on corpus datasets, `word2vec` and the language models `gpt` and `bert`.
    public static let standard = MethodRegistry([
        .pca, .kernelPCA, .fastICA, .dictionary, .nmf, .rbm, .linearAutoencoder,
        .tsne,
        TruncatedSVDMethod.descriptor,
        .autoencoder, .variationalAutoencoder,
        .simCLR,
        .rotationPrediction,
        .contextPrediction,
        .contrastivePredictiveCoding,
        .contextEncoder,
        .colorization,
        .word2vec,
        .gpt, .bert,
    ])

    /// Adds `method`, replacing any method of the same name.
    public mutating func register(_ method: MethodDescriptor) { methods[method.name] = method }

    /// The method called `name`, if registered.
    public subscript(name: String) -> MethodDescriptor? { methods[name] }

    /// Registered names, sorted.
    public var names: [String] { methods.keys.sorted() }
}
