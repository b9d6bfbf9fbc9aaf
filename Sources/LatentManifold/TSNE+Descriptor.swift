import LatentCore

extension MethodDescriptor {
    /// `tsne`: t-SNE (`TSNE`) with scikit-learn 1.9's defaults (perplexity 30, Barnes–Hut with
    /// angle 0.5, PCA initialisation, learning rate "auto", 1000 iterations, exaggeration 12).
    ///
    /// t-SNE learns positions for the points it was given, not a map: on the data it was fitted
    /// on, the representation is the fitted embedding; other rows are placed into it by
    /// `TSNEModel.transform` (openTSNE's procedure). It cannot reconstruct its input.
    public static let tsne = MethodDescriptor(
        name: "tsne", summary: "t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008)",
        parameters: [
            .int("components", default: 2, min: 1, max: 3, help: "output dimensions (Barnes–Hut: 2 or 3)"),
            .double("perplexity", default: 30, min: 1, help: "effective number of neighbours; below the number of samples"),
            .double("theta", default: 0.5, min: 0, help: "Barnes–Hut accuracy (scikit-learn's angle); 0 computes exact gradients"),
            .choice("initialization", ["pca", "random"], default: "pca", help: "starting embedding"),
            .int("iterations", default: 1000, min: 250, help: "total iterations, the 250 of early exaggeration included (scikit-learn's max_iter)"),
            .double("early-exaggeration", default: 12, min: 1, help: "factor on P during the first 250 iterations"),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let theta = p.double("theta")
        let model = try TSNE<Double>(components: p.int("components"), perplexity: p.double("perplexity"),
                                     method: theta > 0 ? .barnesHut(theta: theta) : .exact,
                                     initialization: p.string("initialization") == "random" ? .random : .pca,
                                     maxIterations: p.int("iterations"), earlyExaggeration: p.double("early-exaggeration"), seed: seed).fit(x)
        return FittedModel(outputFeatures: model.outputFeatures,
                           transform: { rows in rows == x ? model.embedding : try model.transform(rows) },
                           metrics: FittedModel.metrics(of: model.report).merging(["kl-divergence": model.klDivergence]) { a, _ in a })
    }
}
