import LatentCore

extension MethodDescriptor {
    /// `linear-autoencoder`: a linear autoencoder trained by full-batch momentum descent
    /// (`LinearAutoencoder`; no scikit-learn counterpart).
    public static let linearAutoencoder = MethodDescriptor(
        name: "linear-autoencoder", summary: "linear autoencoder trained by gradient descent",
        parameters: [
            .int("components", default: 2, min: 1, help: "code size"),
            .int("epochs", default: 1000, min: 1, help: "gradient steps"),
        ],
        canReconstruct: true,
        format: .linearAutoencoder
    ) { x, p, seed in
        let model = try LinearAutoencoder<Double>(components: p.int("components"), epochs: p.int("epochs"), seed: seed).fit(x)
        return model.fittedModel
    }
}
