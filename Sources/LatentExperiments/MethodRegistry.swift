/// The methods a batch file may name, by name.
///
/// `MethodRegistry.standard` holds the methods built into this module. A learner from another
/// module plugs in with one `MethodSpec` (about ten lines): declare its parameters, build the
/// estimator from them in `fit`, and wrap the fitted model with `FittedModel(_:)`:
///
/// ```swift
/// registry.register(MethodSpec(
///     name: "pca", summary: "principal components (optionally whitened)",
///     parameters: [.int("components", default: 2, min: 1), .bool("whiten", default: false)],
///     canReconstruct: true
/// ) { data, p, seed in
///     FittedModel(try PCA<Double>(components: p.int("components"), whiten: p.bool("whiten"), seed: seed)
///         .fit(data.features))
/// })
/// ```
///
/// Iterative learners pass their fit report on (`FittedModel(model, report: model.report)`) and
/// use `seed` for their generator (`Xoshiro256StarStar(seed: seed)`). To offer a method in every
/// batch (and in `latent batch`), add its `MethodSpec` to the list in `standard` below; a method
/// from a module this one cannot import is registered by the code that builds the catalog.
public struct MethodRegistry: Sendable {
    /// Methods by name.
    public private(set) var methods: [String: MethodSpec]

    /// A registry holding `methods` (names must be distinct).
    public init(_ methods: [MethodSpec] = []) {
        self.methods = [:]
        for m in methods { register(m) }
    }

    /// The built-in methods: `truncated-svd` and the classic learners (`pca`, `kpca`, `ica`, `dict`, `nmf`, `rbm`, `linear-autoencoder`).
    public static let standard = MethodRegistry([TruncatedSVDMethod.spec] + ClassicMethods.specs)

    /// Adds `method`, replacing any method of the same name.
    public mutating func register(_ method: MethodSpec) { methods[method.name] = method }

    /// The method called `name`, if registered.
    public subscript(name: String) -> MethodSpec? { methods[name] }

    /// Registered names, sorted.
    public var names: [String] { methods.keys.sorted() }
}
