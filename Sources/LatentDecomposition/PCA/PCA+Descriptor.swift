import LatentCore

extension MethodDescriptor {
    /// `pca`: principal component analysis (`PCA`). Default `components: 2` (scikit-learn keeps
    /// all): a batch compares small representations, and 2 is what plots need.
    public static let pca = MethodDescriptor(
        name: "pca", summary: "principal component analysis (optionally whitened)",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of components (scikit-learn: all)"),
            .bool("whiten", default: false, help: "scale components to unit variance"),
            .choice("solver", ["auto", "full", "covariance-eigen", "randomized"], default: "auto", help: "how the components are computed"),
        ],
        canReconstruct: true,
        format: .pca, columnPrefix: "pc"
    ) { x, p, seed in
        let solver: PCASolver = ["full": .full, "covariance-eigen": .covarianceEigen, "randomized": .randomized][p.string("solver")] ?? .auto
        let model = try PCA<Double>(components: p.int("components"), whiten: p.bool("whiten"), solver: solver, seed: seed).fit(x)
        return model.fittedModel
    }
}
