import LatentCore

extension PCAModel where Scalar == Double {
    /// This model as a method's result: the metric `explained-variance-ratio-sum`, the description
    /// `latent inspect` shows (solver, whitening, the explained-variance table) and the model itself
    /// as the state model files save.
    public var fittedModel: FittedModel {
        FittedModel(self, metrics: ["explained-variance-ratio-sum": explainedVarianceRatio.reduce(0, +)], description: modelDescription)
    }

    var modelDescription: ModelDescription {
        var d = ModelDescription()
        d.field("solver", "solver used", .text(method.rawValue))
        d.field("samples", "samples fitted", .int(samples))
        d.field("whiten", "whitened", .bool(whiten))
        d.field("noiseVariance", "noise variance", .number(noiseVariance))
        var cumulative = 0.0
        let rows: [[ModelDescription.Value]] = (0..<outputFeatures).map { j in
            cumulative += explainedVarianceRatio[j]
            return [.text("pc\(j + 1)"), .number(explainedVariance[j]), .number(explainedVarianceRatio[j]), .number(cumulative), .number(singularValues[j])]
        }
        d.field("explainedVarianceRatioTotal", "explained variance ratio (total)", .number(cumulative))
        d.table("components", title: "explained variance", headers: ["component", "variance", "ratio", "cumulative", "singular value"],
                keys: ["name", "explainedVariance", "explainedVarianceRatio", "cumulativeRatio", "singularValue"], rows: rows)
        return d
    }

    /// Every array against the components, every number finite, whitening only by positive variances.
    func validateAsModelFile() throws {
        let (k, d) = (components.rows, components.columns)
        try ModelCheck.matrix("model.components", components)
        try ModelCheck.vector("model.mean", mean, count: d, because: "model.components has \(d) columns")
        try ModelCheck.vector("model.explainedVariance", explainedVariance, count: k, because: "model.components has \(k) rows")
        try ModelCheck.vector("model.explainedVarianceRatio", explainedVarianceRatio, count: k, because: "model.components has \(k) rows")
        try ModelCheck.vector("model.singularValues", singularValues, count: k, because: "model.components has \(k) rows")
        try ModelCheck.number("model.noiseVariance", noiseVariance)
        try ModelCheck.nonNegative("model.explainedVariance", explainedVariance)
        if whiten, let j = explainedVariance.firstIndex(where: { $0 <= 0 }) {
            throw ModelFileError("model.explainedVariance[\(j)] is \(explainedVariance[j]); a whitened model divides by its square root")
        }
    }
}

extension ModelFormat {
    /// `PCAModel<Double>` in model files (`pca`).
    public static let pca = ModelFormat.codable(PCAModel<Double>.self, validate: { try $0.validateAsModelFile() }, wrap: \.fittedModel)
}
