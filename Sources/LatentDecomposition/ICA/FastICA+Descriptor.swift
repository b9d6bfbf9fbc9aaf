import LatentCore

extension MethodDescriptor {
    /// `ica`: independent component analysis (`FastICA`), scikit-learn's defaults except
    /// `components: 2` (scikit-learn: all features).
    public static let fastICA = MethodDescriptor(
        name: "ica", summary: "independent component analysis (FastICA)",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of independent components (scikit-learn: all features)"),
            .choice("algorithm", ["parallel", "deflation"], default: "parallel", help: "symmetric or one-by-one decorrelation"),
            .choice("fun", ["logcosh", "exp", "cube"], default: "logcosh", help: "contrast function"),
            .int("max-iter", default: 200, min: 1, help: "maximum fixed-point iterations"),
            .double("tol", default: 1e-4, min: 0, help: "convergence tolerance"),
        ],
        canReconstruct: true,
        format: .fastICA
    ) { x, p, seed in
        let contrast: FastICAContrast = ["exp": .exp, "cube": .cube][p.string("fun")] ?? .logcosh()
        let model = try FastICA<Double>(components: p.int("components"), algorithm: p.string("algorithm") == "deflation" ? .deflation : .parallel,
                                        contrast: contrast, tolerance: p.double("tol"), maxIterations: p.int("max-iter"), seed: seed)
            .fit(x)
        return model.fittedModel
    }
}
