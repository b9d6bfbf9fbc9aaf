import LatentCore
import LatentDecomposition

/// The classic learners of `LatentDecomposition` as batch methods. Parameter names and choices
/// follow the `latent` subcommands' flags (`solver: cd|mu`, `fun: logcosh|exp|cube`, …); every
/// parameter has scikit-learn's default. Each entry builds the estimator from the run's
/// parameters and seed, fits it on the dataset's features (Double) and keeps its fit report.
enum ClassicMethods {
    static let specs: [MethodSpec] = [pca, kernelPCA, fastICA, dictionary, nmf, rbm, linearAutoencoder]

    static let pca = MethodSpec(
        name: "pca", summary: "principal component analysis (optionally whitened)",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of components"),
            .bool("whiten", default: false, help: "scale components to unit variance"),
            .choice("solver", ["auto", "full", "covariance-eigen", "randomized"], default: "auto", help: "how the components are computed"),
        ],
        canReconstruct: true
    ) { data, p, seed in
        let solver: PCASolver = ["full": .full, "covariance-eigen": .covarianceEigen, "randomized": .randomized][p.string("solver")] ?? .auto
        let model = try PCA<Double>(components: p.int("components"), whiten: p.bool("whiten"), solver: solver, seed: seed).fit(data.features)
        return FittedModel(model, metrics: ["explained-variance-ratio-sum": Double(model.explainedVarianceRatio.reduce(0, +))])
    }

    static let kernelPCA = MethodSpec(
        name: "kpca", summary: "kernel principal component analysis",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of components"),
            .choice("kernel", ["linear", "poly", "rbf", "sigmoid", "cosine"], default: "rbf", help: "kernel function"),
            .double("gamma", default: 0, min: 0, help: "kernel coefficient; 0 means 1/features"),
            .int("degree", default: 3, min: 1, help: "polynomial degree"),
            .double("coef0", default: 1, help: "independent term of poly and sigmoid kernels"),
        ],
        canReconstruct: false
    ) { data, p, _ in
        let gamma: Double? = p.double("gamma") > 0 ? p.double("gamma") : nil
        let kernel: KernelFunction
        switch p.string("kernel") {
        case "linear": kernel = .linear
        case "poly": kernel = .polynomial(degree: p.int("degree"), gamma: gamma, coef0: p.double("coef0"))
        case "sigmoid": kernel = .sigmoid(gamma: gamma, coef0: p.double("coef0"))
        case "cosine": kernel = .cosine
        default: kernel = .rbf(gamma: gamma)
        }
        return FittedModel(try KernelPCA<Double>(kernel: kernel, components: p.int("components")).fit(data.features))
    }

    static let fastICA = MethodSpec(
        name: "ica", summary: "independent component analysis (FastICA)",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of independent components"),
            .choice("algorithm", ["parallel", "deflation"], default: "parallel", help: "symmetric or one-by-one decorrelation"),
            .choice("fun", ["logcosh", "exp", "cube"], default: "logcosh", help: "contrast function"),
            .int("max-iter", default: 200, min: 1, help: "maximum fixed-point iterations"),
            .double("tol", default: 1e-4, min: 0, help: "convergence tolerance"),
        ],
        canReconstruct: true
    ) { data, p, seed in
        let contrast: FastICAContrast = ["exp": .exp, "cube": .cube][p.string("fun")] ?? .logcosh()
        let model = try FastICA<Double>(components: p.int("components"), algorithm: p.string("algorithm") == "deflation" ? .deflation : .parallel,
                                        contrast: contrast, tolerance: p.double("tol"), maxIterations: p.int("max-iter"), seed: seed)
            .fit(data.features)
        return FittedModel(model, report: model.report)
    }

    static let dictionary = MethodSpec(
        name: "dict", summary: "mini-batch dictionary learning with sparse codes (Mairal et al. 2009)",
        parameters: [
            .int("atoms", default: 16, min: 1, help: "dictionary size"),
            .double("alpha", default: 1, min: 0, help: "L1 penalty of the codes"),
            .int("batch-size", default: 256, min: 1, help: "samples per update"),
            .int("epochs", default: 1, min: 1, help: "passes over the data"),
        ],
        canReconstruct: true
    ) { data, p, seed in
        let model = try MiniBatchDictionaryLearning<Double>(atoms: p.int("atoms"), alpha: p.double("alpha"), batchSize: p.int("batch-size"),
                                                            epochs: p.int("epochs"), seed: seed).fit(data.features)
        return FittedModel(model, report: model.report)
    }

    static let nmf = MethodSpec(
        name: "nmf", summary: "non-negative matrix factorisation",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of parts"),
            .choice("solver", ["cd", "mu"], default: "cd", help: "coordinate descent or multiplicative updates"),
            .choice("beta-loss", ["frobenius", "kullback-leibler"], default: "frobenius", help: "divergence (kullback-leibler needs mu)"),
            .int("max-iter", default: 200, min: 1, help: "maximum iterations"),
            .double("tol", default: 1e-4, min: 0, help: "convergence tolerance"),
        ],
        canReconstruct: true
    ) { data, p, seed in
        let model = try NMF<Double>(components: p.int("components"), solver: p.string("solver") == "mu" ? .multiplicativeUpdate : .coordinateDescent,
                                    betaLoss: p.string("beta-loss") == "kullback-leibler" ? .kullbackLeibler : .frobenius,
                                    tolerance: p.double("tol"), maxIterations: p.int("max-iter"), seed: seed).fit(data.features)
        return FittedModel(model, report: model.report, metrics: ["nmf-reconstruction-error": Double(model.reconstructionError)])
    }

    static let rbm = MethodSpec(
        name: "rbm", summary: "Bernoulli restricted Boltzmann machine (persistent CD), features in [0, 1]",
        parameters: [
            .int("hidden", default: 64, min: 1, help: "hidden units"),
            .double("learning-rate", default: 0.1, min: 0, help: "step size"),
            .int("batch-size", default: 10, min: 1, help: "samples per update"),
            .int("epochs", default: 10, min: 1, help: "passes over the data"),
        ],
        canReconstruct: true
    ) { data, p, seed in
        let model = try BernoulliRBM<Double>(hiddenUnits: p.int("hidden"), learningRate: p.double("learning-rate"),
                                             batchSize: p.int("batch-size"), epochs: p.int("epochs"), seed: seed).fit(data.features)
        return FittedModel(model, report: model.report)
    }

    static let linearAutoencoder = MethodSpec(
        name: "linear-autoencoder", summary: "linear autoencoder trained by gradient descent",
        parameters: [
            .int("components", default: 2, min: 1, help: "code size"),
            .int("epochs", default: 1000, min: 1, help: "gradient steps"),
        ],
        canReconstruct: true
    ) { data, p, seed in
        let model = try LinearAutoencoder<Double>(components: p.int("components"), epochs: p.int("epochs"), seed: seed).fit(data.features)
        return FittedModel(model, report: model.report)
    }
}
