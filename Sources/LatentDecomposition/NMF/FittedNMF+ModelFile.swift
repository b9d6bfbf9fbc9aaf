import LatentCore

extension FittedNMF where Scalar == Double {
    /// This model as a method's result: the metric `nmf-reconstruction-error`, the fit report,
    /// the description `latent inspect` shows, and the model itself as the state model files save.
    public var fittedModel: FittedModel {
        var d = ModelDescription()
        d.field("solver", "solver", .text(configuration.solver.rawValue))
        d.field("betaLoss", "beta loss", .text(configuration.betaLoss.rawValue))
        d.field("reconstructionError", "reconstruction error", .number(reconstructionError))
        d.report(report)
        return FittedModel(self, report: report, metrics: ["nmf-reconstruction-error": reconstructionError], description: d)
    }

    /// Non-negative finite factors and a configuration `transform` can run.
    func validateAsModelFile() throws {
        try ModelCheck.matrix("model.components", components)
        if let j = components.storage.firstIndex(where: { $0 < 0 }) {
            throw ModelFileError("model.components has a negative entry (\(components.storage[j]) at index \(j)); NMF factors are non-negative")
        }
        let c = configuration
        if c.components != components.rows {
            throw ModelFileError("model.configuration.components is \(c.components), but model.components has \(components.rows) rows")
        }
        try ModelCheck.number("model.configuration.tolerance", c.tolerance)
        try ModelCheck.number("model.configuration.alphaW", c.alphaW)
        try ModelCheck.number("model.configuration.l1Ratio", c.l1Ratio)
        if let h = c.alphaH { try ModelCheck.number("model.configuration.alphaH", h) }
        try ModelCheck.count("model.configuration.maxIterations", c.maxIterations, 1...Int(Int32.max))
        if c.alphaW < 0 || (c.alphaH ?? 0) < 0 || !(0...1).contains(c.l1Ratio) || c.tolerance < 0 {
            throw ModelFileError("model.configuration: alphaW, alphaH and tolerance must not be negative and l1Ratio must lie in [0, 1]")
        }
    }
}

extension ModelFormat {
    /// `FittedNMF<Double>` in model files (`nmf`).
    public static let nmf = ModelFormat.codable(FittedNMF<Double>.self, validate: { try $0.validateAsModelFile() }, wrap: \.fittedModel)
}
