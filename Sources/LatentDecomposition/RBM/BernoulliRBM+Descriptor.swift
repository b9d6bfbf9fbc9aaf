import LatentCore

extension MethodDescriptor {
    /// `rbm`: Bernoulli restricted Boltzmann machine (`BernoulliRBM`) with scikit-learn's
    /// defaults (256 hidden units, learning rate 0.1, batches of 10, 10 epochs, PCD-1), the same
    /// as `latent rbm`'s flags.
    public static let rbm = MethodDescriptor(
        name: "rbm", summary: "Bernoulli restricted Boltzmann machine (persistent CD), features in [0, 1]",
        parameters: [
            .int("hidden", default: 256, min: 1, help: "hidden units"),
            .double("learning-rate", default: 0.1, min: 0, help: "step size"),
            .int("batch-size", default: 10, min: 1, help: "samples per update"),
            .int("epochs", default: 10, min: 1, help: "passes over the data"),
        ],
        canReconstruct: true,
        format: .rbm
    ) { x, p, seed in
        let model = try BernoulliRBM<Double>(hiddenUnits: p.int("hidden"), learningRate: p.double("learning-rate"),
                                             batchSize: p.int("batch-size"), epochs: p.int("epochs"), seed: seed).fit(x)
        return model.fittedModel
    }
}
