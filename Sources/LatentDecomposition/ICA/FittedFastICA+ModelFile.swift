import LatentCore

extension FittedFastICA where Scalar == Double {
    /// This model as a method's result: the fit report as metrics and description, and the model
    /// itself as the state model files save.
    public var fittedModel: FittedModel {
        var d = ModelDescription()
        d.field("whitened", "whitened", .bool(whitening != nil))
        d.report(report)
        return FittedModel(self, report: report, description: d)
    }

    /// Components, mixing, unmixing, mean and whitening against each other.
    func validateAsModelFile() throws {
        let (k, d) = (components.rows, components.columns)
        try ModelCheck.matrix("model.components", components)
        try ModelCheck.matrix("model.mixing", mixing, rows: d, columns: k, because: "model.components is \(k)×\(d)")
        try ModelCheck.matrix("model.unmixing", unmixing)
        if let mean { try ModelCheck.vector("model.mean", mean, count: d, because: "model.components has \(d) columns") }
        if let w = whitening {
            try ModelCheck.matrix("model.whitening", w)
            if w.columns != d { throw ModelFileError("model.whitening has \(w.columns) columns, but model.components has \(d)") }
        }
    }
}

extension ModelFormat {
    /// `FittedFastICA<Double>` in model files (`ica`).
    public static let fastICA = ModelFormat.codable(FittedFastICA<Double>.self, validate: { try $0.validateAsModelFile() }, wrap: \.fittedModel)
}
