import LatentCore

extension MethodDescriptor {
    /// `nmf`: non-negative matrix factorisation (`NMF`), scikit-learn's defaults except
    /// `components: 2` (scikit-learn: all features).
    public static let nmf = MethodDescriptor(
        name: "nmf", summary: "non-negative matrix factorisation",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of parts (scikit-learn: all features)"),
            .choice("solver", ["cd", "mu"], default: "cd", help: "coordinate descent or multiplicative updates"),
            .choice("beta-loss", ["frobenius", "kullback-leibler"], default: "frobenius", help: "divergence (kullback-leibler needs mu)"),
            .int("max-iter", default: 200, min: 1, help: "maximum iterations"),
            .double("tol", default: 1e-4, min: 0, help: "convergence tolerance"),
        ],
        canReconstruct: true,
        format: .nmf
    ) { x, p, seed in
        let model = try NMF<Double>(components: p.int("components"), solver: p.string("solver") == "mu" ? .multiplicativeUpdate : .coordinateDescent,
                                    betaLoss: p.string("beta-loss") == "kullback-leibler" ? .kullbackLeibler : .frobenius,
                                    tolerance: p.double("tol"), maxIterations: p.int("max-iter"), seed: seed).fit(x)
        return model.fittedModel
    }
}
