import LatentCore

/// The one protocol every representation is scored by (the demo's classic and deep suites, the
/// self-supervised methods, pixels and the random-encoder control alike): few-shot nearest class
/// mean (`FewShotEvaluation`, SimpleShot CL2N, n = 1, 2, 4, 8) and linear probes
/// (`LinearProbe`, logistic regression on standardised features) on fractions of the training
/// labels (1% and 10% by default), all on frozen features of the training and test splits.
///
/// ```swift
/// let protocol_ = RepresentationEvaluation(episodes: 50, seed: 0)
/// let scores = try protocol_.evaluate(trainFeatures: encoder.encode(train), trainLabels: trainLabels,
///                                     testFeatures: encoder.encode(test), testLabels: testLabels)
/// print(scores.fewShot[0].meanAccuracy, scores.probes[1].accuracy)      // 1-shot, probe at 10%
/// ```
/// - Complexity: that of the few-shot episodes plus one logistic-regression fit per fraction.
public struct RepresentationEvaluation: Sendable, Equatable, Codable {
    public var fewShot: FewShotEvaluation
    public var probe: LinearProbe

    /// Few-shot at `shots` with `episodes` episodes and probes at `probeFractions`, seeded by `seed`.
    public init(shots: [Int] = [1, 2, 4, 8], episodes: Int = 50, probeFractions: [Double] = [0.01, 0.1], seed: UInt64 = 0) {
        fewShot = FewShotEvaluation(shots: shots, episodes: episodes, seed: seed)
        probe = LinearProbe(fractions: probeFractions, seed: seed)
    }

    /// Scores features `n_train × d` and `n_test × d` with their labels.
    /// - Throws: `EvaluationError` (see `FewShotEvaluation.evaluate` and `LinearProbe.evaluate`).
    public func evaluate<Scalar: BLASScalar>(trainFeatures: Matrix<Scalar>, trainLabels: [Int], testFeatures: Matrix<Scalar>,
                                             testLabels: [Int]) throws -> RepresentationScores {
        let shots = try fewShot.evaluate(trainFeatures: trainFeatures, trainLabels: trainLabels, testFeatures: testFeatures, testLabels: testLabels)
        let probes = try probe.evaluate(trainFeatures: trainFeatures, trainLabels: trainLabels, testFeatures: testFeatures, testLabels: testLabels)
        return RepresentationScores(fewShot: shots, probes: probes)
    }

    /// Training rows split into a fit part and a validation part for choosing settings without
    /// touching the test split: the last `validation` rows (in the data's order) are held out.
    /// - Precondition: `0 < validation < rows`.
    public static func validationSplit(rows: Int, validation: Int) -> (fit: Range<Int>, validation: Range<Int>) {
        precondition(validation > 0 && validation < rows, "validationSplit: \(validation) validation rows of \(rows)")
        return (0..<(rows - validation), (rows - validation)..<rows)
    }
}

/// One representation's scores under `RepresentationEvaluation`.
public struct RepresentationScores: Sendable, Equatable, Codable {
    /// One result per shot count, in the protocol's order.
    public let fewShot: [FewShotResult]
    /// One result per label fraction, in the protocol's order.
    public let probes: [LinearProbeResult]

    public init(fewShot: [FewShotResult], probes: [LinearProbeResult]) {
        self.fewShot = fewShot
        self.probes = probes
    }
}
