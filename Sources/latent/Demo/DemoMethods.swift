import Latent

/// The representations the demo compares, each learned without labels on the training images
/// (pixels in [0, 1]) and applied to both splits. Settings are fixed here, not tuned on the test
/// set: scikit-learn's defaults except where the demo's time budget needs fewer passes (noted).
struct DemoMethod: Sendable {
    /// The name used in tables and files (`raw`, `pca`, …).
    let name: String
    /// What it is, for the report.
    let summary: String
    /// Learns from the training images and returns (training features, test features, components
    /// to picture as images — rows of 784 pixels — if the method has them).
    let run: @Sendable (_ train: Matrix<Float>, _ test: Matrix<Float>, _ seed: UInt64) throws -> DemoFeatures
}

/// A method's output in the demo.
struct DemoFeatures {
    let train: Matrix<Float>
    let test: Matrix<Float>
    /// Rows that are images (eigen-images, ICA components, atoms, parts, filters), or nil.
    let components: Matrix<Float>?
    /// Reconstructions of the first test images, when the method can reconstruct.
    let reconstructions: Matrix<Float>?
    /// The fitted VAE when the method is one, for its samples, interpolations and traversals.
    var generator: FittedVariationalAutoencoder<Float>? = nil
}

extension DemoMethod {
    /// The order of the report's table.
    static let all: [DemoMethod] = [raw, pca, pcaWhitened, ica, dictionary, nmf, rbm]

    static let raw = DemoMethod(name: "raw", summary: "raw pixels (no learning)") { train, test, _ in
        DemoFeatures(train: train, test: test, components: nil, reconstructions: nil)
    }

    static let pca = DemoMethod(name: "pca", summary: "PCA, 50 components") { train, test, seed in
        try fitted(PCA<Float>(components: 50, seed: seed).fit(train), train, test, components: { $0.components })
    }

    static let pcaWhitened = DemoMethod(name: "pca-whitened", summary: "PCA, 50 components, whitened") { train, test, seed in
        try fitted(PCA<Float>(components: 50, whiten: true, seed: seed).fit(train), train, test, components: { $0.components })
    }

    static let ica = DemoMethod(name: "ica", summary: "FastICA, 50 components, logcosh, eigen whitening") { train, test, seed in
        try fitted(FastICA<Float>(components: 50, whiteningSolver: .eigen, seed: seed).fit(train), train, test, components: { $0.mixing.transposed })
    }

    static let dictionary = DemoMethod(
        name: "dictionary", summary: "mini-batch dictionary learning, 128 atoms, alpha 1, sparse codes (lasso-LARS)"
    ) { train, test, seed in
        try fitted(MiniBatchDictionaryLearning<Float>(atoms: 128, alpha: 1, seed: seed).fit(train), train, test,
                   components: { $0.components })
    }

    static let nmf = DemoMethod(name: "nmf", summary: "NMF, 50 components, coordinate descent, NNDSVDa, ≤ 100 iterations") { train, test, seed in
        try fitted(NMF<Float>(components: 50, initialization: .nndsvda, maxIterations: 100, seed: seed).fit(train), train, test,
                   components: { $0.components })
    }

    static let rbm = DemoMethod(
        name: "rbm", summary: "Bernoulli RBM, 256 hidden units, PCD-1, learning rate 0.1, batch 100 (scikit-learn: 10), 10 epochs"
    ) { train, test, seed in
        try fitted(BernoulliRBM<Float>(hiddenUnits: 256, learningRate: 0.1, batchSize: 100, epochs: 10, seed: seed).fit(train),
                   train, test, components: { $0.weights })
    }

    /// Transforms both splits with `model` and reconstructs the first 10 test images.
    private static func fitted<M: InvertibleTransformer>(_ model: M, _ train: Matrix<Float>, _ test: Matrix<Float>,
                                                          components: (M) -> Matrix<Float>) throws -> DemoFeatures where M.Scalar == Float {
        let first = test.rows(0..<Swift.min(10, test.rows))
        return DemoFeatures(train: try model.transform(train), test: try model.transform(test), components: components(model),
                            reconstructions: try model.inverseTransform(model.transform(first)))
    }
}
