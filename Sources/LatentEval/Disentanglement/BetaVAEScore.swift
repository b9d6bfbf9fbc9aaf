import LatentCore

/// The β-VAE disentanglement score (Higgins et al. 2017, "β-VAE: learning basic visual concepts
/// with a constrained variational framework"), as `disentanglement_lib` computes it: each example
/// picks a factor k uniformly, draws `batchSize` pairs of factor rows that share factor k, and
/// takes the mean absolute difference of the pairs' codes as its feature vector, labelled k; a
/// multinomial logistic regression (scikit-learn's defaults: L2, C = 1, L-BFGS — LatentEval's
/// `LogisticRegression`) is trained on `trainingExamples` of them and scored on
/// `evaluationExamples` fresh ones. 1 when the held factor always shows as one quiet dimension;
/// about 1/K for codes unrelated to the factors.
public struct BetaVAEScore: Sendable, Equatable {
    /// Accuracy on the evaluation examples.
    public let score: Double
    /// Accuracy on the training examples.
    public let trainingAccuracy: Double

    /// Scores the representation of `truth`; every draw comes from `seed`. Defaults are
    /// `disentanglement_lib`'s (64, 10,000, 5,000).
    /// - Throws: `EstimatorError` for sizes < 1 or non-finite codes, or what the logistic
    ///   regression throws.
    /// - Complexity: `2·batchSize·(trainingExamples + evaluationExamples)` encodings and one fit.
    public static func compute<S: BLASScalar>(_ truth: GroundTruth<S>, batchSize: Int = 64, trainingExamples: Int = 10_000,
                                              evaluationExamples: Int = 5_000, seed: UInt64) throws -> BetaVAEScore {
        let method = "β-VAE score"
        for (name, value) in [("batchSize", batchSize), ("trainingExamples", trainingExamples), ("evaluationExamples", evaluationExamples)] where value < 1 {
            throw EstimatorError.invalidParameter(method: method, name: name, reason: "\(value) must be at least 1")
        }
        var rng = Xoshiro256StarStar(seed: seed)
        func examples(_ count: Int) throws -> (Matrix<Double>, [Int]) {
            var features: [Double] = [], labels: [Int] = [], width = 0
            for _ in 0..<count {
                let k = rng.integer(below: truth.factorSizes.count)
                let first = truth.sampleFactors(batchSize, using: &rng)
                var second = truth.sampleFactors(batchSize, using: &rng)
                for r in second.indices { second[r][k] = first[r][k] }
                let (a, b) = (try truth.codes(first, method: method), try truth.codes(second, method: method))
                width = a.columns
                features += (0..<width).map { j in (0..<batchSize).reduce(0.0) { $0 + Swift.abs(Double(a[$1, j]) - Double(b[$1, j])) } / Double(batchSize) }
                labels.append(k)
            }
            return (Matrix(rows: count, columns: width, storage: features), labels)
        }
        let (trainX, trainY) = try examples(trainingExamples)
        let (testX, testY) = try examples(evaluationExamples)
        let model = try LogisticRegression().fit(trainX, labels: trainY)
        return BetaVAEScore(score: model.accuracy(testX, labels: testY), trainingAccuracy: model.accuracy(trainX, labels: trainY))
    }
}
