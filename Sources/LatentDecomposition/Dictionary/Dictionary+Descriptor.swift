import LatentCore

extension MethodDescriptor {
    /// `dict`: online dictionary learning (`MiniBatchDictionaryLearning`). Default `atoms: 16`
    /// (scikit-learn: as many atoms as features) keeps a batch's codes small; `batch-size: 256`
    /// and one epoch are scikit-learn's.
    public static let dictionary = MethodDescriptor(
        name: "dict", summary: "mini-batch dictionary learning with sparse codes (Mairal et al. 2009)",
        parameters: [
            .int("atoms", default: 16, min: 1, help: "dictionary size (scikit-learn: features)"),
            .double("alpha", default: 1, min: 0, help: "L1 penalty of the codes"),
            .int("batch-size", default: 256, min: 1, help: "samples per update"),
            .int("epochs", default: 1, min: 1, help: "passes over the data"),
        ],
        canReconstruct: true,
        format: .dictionary
    ) { x, p, seed in
        let model = try MiniBatchDictionaryLearning<Double>(atoms: p.int("atoms"), alpha: p.double("alpha"), batchSize: p.int("batch-size"),
                                                            epochs: p.int("epochs"), seed: seed).fit(x)
        return model.fittedModel
    }
}
