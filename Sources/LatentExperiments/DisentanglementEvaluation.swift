import LatentCore
import LatentEval

extension EvaluationRegistry {
    /// `disentanglement`: the disentanglement_lib metrics of the representation on a dataset that
    /// carries its generative factors (the built-in `dsprites`), computed as `latent disentanglement`
    /// does (`DisentanglementScores`): MIG, SAP and DCI (gradient-boosted trees) on the dataset's
    /// rows, FactorVAE and β-VAE scores on 800 training and 400 evaluation batches of 64 generated
    /// inputs, seed 0, so every run of a batch is scored on the same draws. Metrics `mig`, `sap`,
    /// `dci-disentanglement`, `dci-completeness`, `dci-informativeness`, `factorvae-score`,
    /// `beta-vae-score`, each in [0, 1].
    /// - Complexity: one transform of the rows and of 2 × 1200 × 64 generated inputs, DCI's trees.
    public static let disentanglement = disentanglement(votes: 800, batchSize: 64)

    /// `disentanglement` with `votes` training votes (FactorVAE) and examples (β-VAE), half as many
    /// for evaluation, of `batchSize` generated inputs each.
    public static func disentanglement(votes: Int, batchSize: Int) -> EvaluationSpec { EvaluationSpec(
        name: "disentanglement", summary: "MIG, SAP, DCI, FactorVAE and β-VAE scores against the dataset's generative factors",
        requirements: [.groundTruth]
    ) { dataset, model in
        guard let truth = dataset.groundTruth else {
            throw EstimatorError.invalidData(method: "disentanglement", reason: "dataset \(dataset.name) carries no generative factors")
        }
        let codes = try model.transform(dataset.features)
        guard codes.columns >= 2 else {
            throw EstimatorError.invalidData(method: "disentanglement", reason: "a \(codes.columns)-dimensional representation; the metrics need at least 2")
        }
        // A transform that fails on generated inputs yields no rows, which GroundTruth reports.
        let generator = GroundTruth<Double>(factorSizes: truth.factorSizes) { rows in
            (try? model.transform(truth.render(rows))) ?? Matrix(rows: 0, columns: codes.columns, storage: [])
        }
        let scores = try DisentanglementScores.compute(codes: codes, factors: truth.factors, truth: generator, votes: votes, batchSize: batchSize,
                                                       importance: .gradientBoostedTrees(), seed: 0)
        return ["mig": scores.mig, "sap": scores.sap, "dci-disentanglement": scores.dci.disentanglement,
                "dci-completeness": scores.dci.completeness, "dci-informativeness": scores.dci.informativeness,
                "factorvae-score": scores.factorVAE, "beta-vae-score": scores.betaVAE]
    } }
}
