import LatentCore

extension LinearAutoencoderModel where Scalar == Double {
    /// This model as a method's result: the fit report as metrics and description, and the model
    /// itself as the state model files save.
    public var fittedModel: FittedModel {
        var d = ModelDescription()
        d.report(report, objective: "squared reconstruction error per row (last epoch)")
        return FittedModel(self, report: report, description: d)
    }

    /// Encoder, decoder and mean against each other, every number finite.
    func validateAsModelFile() throws {
        let (k, d) = (encoder.rows, encoder.columns)
        try ModelCheck.matrix("model.encoder", encoder)
        try ModelCheck.matrix("model.decoder", decoder, rows: d, columns: k, because: "model.encoder is \(k)×\(d)")
        try ModelCheck.vector("model.mean", mean, count: d, because: "model.encoder has \(d) columns")
    }
}

extension ModelFormat {
    /// `LinearAutoencoderModel<Double>` in model files (`linear-autoencoder`).
    public static let linearAutoencoder = ModelFormat.codable(LinearAutoencoderModel<Double>.self, validate: { try $0.validateAsModelFile() },
                                                              wrap: \.fittedModel)
}
