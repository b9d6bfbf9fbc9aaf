import LatentCore

extension BernoulliRBMModel where Scalar == Double {
    /// This model as a method's result: the fit report, the per-epoch monitor table `latent
    /// inspect` shows, and the model itself as the state model files save.
    public var fittedModel: FittedModel {
        var d = ModelDescription()
        d.field("epochs", "epochs", .int(report.iterations))
        if let last = pseudoLikelihood.last { d.field("pseudoLikelihood", "pseudo-likelihood (last epoch)", .number(last)) }
        if let last = report.objective.last { d.field("reconstructionError", "reconstruction error (last epoch)", .number(last)) }
        if !pseudoLikelihood.isEmpty {
            d.table("epochs", title: "per epoch (monitor rows)", headers: ["epoch", "pseudo-likelihood", "reconstruction error"],
                    keys: ["epoch", "pseudoLikelihood", "reconstructionError"],
                    rows: pseudoLikelihood.indices.map { e in
                        [.int(e + 1), .number(pseudoLikelihood[e]), e < report.objective.count ? .number(report.objective[e]) : .none]
                    })
        }
        return FittedModel(self, report: report, description: d)
    }

    /// Weights and biases against each other, every number finite.
    func validateAsModelFile() throws {
        let (k, d) = (weights.rows, weights.columns)
        try ModelCheck.matrix("model.weights", weights)
        try ModelCheck.vector("model.hiddenBias", hiddenBias, count: k, because: "model.weights has \(k) rows")
        try ModelCheck.vector("model.visibleBias", visibleBias, count: d, because: "model.weights has \(d) columns")
    }
}

extension ModelFormat {
    /// `BernoulliRBMModel<Double>` in model files (`rbm`).
    public static let rbm = ModelFormat.codable(BernoulliRBMModel<Double>.self, validate: { try $0.validateAsModelFile() }, wrap: \.fittedModel)
}
