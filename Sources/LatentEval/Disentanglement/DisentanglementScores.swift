import LatentCore

/// All five disentanglement_lib metrics of one representation, computed as `latent disentanglement`
/// and the batch evaluation `disentanglement` do: MIG on `codes` of the `factors` sample; SAP
/// (discrete, linear SVMs) and DCI on the same sample cut 80/20 into training and test rows;
/// FactorVAE and β-VAE scores on batches drawn from `truth` (`votes` for training, half as many
/// for evaluation, `batchSize` images each, variances of the FactorVAE score from as many images
/// as the sample has). Every factor counts as a class index.
public struct DisentanglementScores: Sendable, Equatable {
    public let mig: Double
    public let sap: Double
    public let dci: DCIScore
    public let factorVAE: Double
    public let betaVAE: Double

    /// The scores under their printed names, in a fixed order.
    public var named: [(name: String, value: Double)] {
        [("MIG", mig), ("SAP", sap), ("DCI disentanglement", dci.disentanglement), ("DCI completeness", dci.completeness),
         ("DCI informativeness", dci.informativeness), ("FactorVAE score", factorVAE), ("beta-VAE score", betaVAE)]
    }

    /// - Parameters:
    ///   - codes: `n × D` representations of the sample, row i of `factors[i]` (n ≥ 10).
    ///   - truth: the generator: representations of any factor rows.
    /// - Throws: `EvaluationError` from the metrics (too few samples, constant codes, …).
    /// - Complexity: the metrics' (DCI's boosted trees and the `2·votes·batchSize` generated
    ///   images of FactorVAE and β-VAE dominate).
    public static func compute<S: BLASScalar>(codes: Matrix<S>, factors: [[Int]], truth: GroundTruth<S>, votes: Int, batchSize: Int,
                                              importance: DCIScore.ImportanceModel, seed: UInt64) throws -> DisentanglementScores {
        precondition(codes.rows == factors.count, "DisentanglementScores: \(codes.rows) codes for \(factors.count) factor rows")
        let mig = try MutualInformationGap.compute(codes: codes, factors: factors)
        let n = factors.count, cut = n * 4 / 5
        let (trainCodes, trainFactors) = (codes.rows(0..<cut), Array(factors[..<cut]))
        let (testCodes, testFactors) = (codes.rows(cut..<n), Array(factors[cut...]))
        let sap = try SeparatedAttributePredictability.compute(trainingCodes: trainCodes, trainingFactors: trainFactors,
                                                               testCodes: testCodes, testFactors: testFactors)
        let dci = try DCIScore.compute(trainingCodes: trainCodes, trainingFactors: trainFactors, testCodes: testCodes, testFactors: testFactors,
                                       importance: importance)
        let factorVAE = try FactorVAEScore.compute(truth, batchSize: batchSize, trainingVotes: votes, evaluationVotes: votes / 2,
                                                   varianceSamples: n, seed: seed)
        let beta = try BetaVAEScore.compute(truth, batchSize: batchSize, trainingExamples: votes, evaluationExamples: votes / 2, seed: seed)
        return DisentanglementScores(mig: mig.score, sap: sap.score, dci: dci, factorVAE: factorVAE.score, betaVAE: beta.score)
    }
}
