import LatentCore
import LatentDecomposition

/// The `truncated-svd` batch method: a thin alias of `pca` that names the SVD route and can skip
/// centring. `solver: svd` is PCA's `full` solver (divide-and-conquer SVD of the n × d data),
/// `eigen` its `covariance-eigen` solver (top-k eigenvectors of the d × d scatter matrix; faster
/// when n ≫ d, squares the condition number); `center: false` is scikit-learn's `TruncatedSVD`
/// (no mean removed, for sparse or non-negative data). The fitted model is a `PCAModel`, saved and
/// described as `pca`'s; its artifacts are the components, singular values and mean.
enum TruncatedSVDMethod {
    static let descriptor = MethodDescriptor(
        name: "truncated-svd",
        summary: "top-k right singular vectors of the (centred) data: pca by SVD or scatter eigenvectors, optionally uncentred",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of singular vectors kept"),
            .bool("center", default: true, help: "subtract the column means first (false: scikit-learn's TruncatedSVD)"),
            .choice("solver", ["svd", "eigen"], default: "svd", help: "SVD of the data or eigenvectors of its scatter matrix"),
        ],
        canReconstruct: true, format: .pca
    ) { x, p, seed in
        let model = try PCA<Double>(components: .count(p.int("components")), solver: p.string("solver") == "eigen" ? .covarianceEigen : .full,
                                    seed: seed, centred: p.bool("center")).fit(x)
        let fitted = model.fittedModel
        return FittedModel(inputFeatures: fitted.inputFeatures, outputFeatures: fitted.outputFeatures, transform: fitted.transform,
                           reconstruct: fitted.reconstruct, metrics: fitted.metrics, artifacts: [
                               "components": model.components,
                               "singular-values": Matrix(rows: 1, columns: model.singularValues.count, storage: model.singularValues),
                               "mean": Matrix(rows: 1, columns: model.mean.count, storage: model.mean),
                           ], description: fitted.description, state: fitted.state)
    }
}
