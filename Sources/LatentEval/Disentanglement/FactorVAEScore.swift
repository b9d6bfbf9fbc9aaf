import LatentCore

/// The FactorVAE disentanglement score (Kim & Mnih 2018, "Disentangling by factorising"), as
/// `disentanglement_lib` computes it:
///
/// 1. the variance of each code dimension over `varianceSamples` random samples (ddof = 1);
///    constant dimensions are dropped (difference: `disentanglement_lib`'s `_prune_dims` keeps
///    `sqrt(var) ≥ 0`, every dimension, so a constant one gives 0/0 ratios there);
/// 2. each vote: pick a factor k uniformly, draw `batchSize` factor rows with factor k held at one
///    value, encode them, and vote for the pair (argmin_i var_i / global var_i, k);
/// 3. the majority-vote classifier maps each code dimension to the factor it voted for most on
///    `trainingVotes` votes; the score is its accuracy on `evaluationVotes` fresh votes.
///
/// 1 when each factor moves one code dimension of its own; about 1/K for codes unrelated to the
/// factors.
public struct FactorVAEScore: Sendable, Equatable {
    /// Accuracy of the majority-vote classifier on the evaluation votes (0 when no dimension is active).
    public let score: Double
    /// Its accuracy on the training votes.
    public let trainingAccuracy: Double
    /// The code dimensions with non-zero variance.
    public let activeDimensions: [Int]
    /// `votes[d][k]`: training votes of (active) dimension d for factor k.
    public let votes: [[Int]]

    /// Scores the representation of `truth`; every draw comes from `seed`. Defaults are
    /// `disentanglement_lib`'s (64, 10,000, 5,000, 10,000).
    /// - Throws: `EstimatorError` for sizes < 1 (batch < 2) or non-finite codes.
    /// - Complexity: `(trainingVotes + evaluationVotes)·batchSize + varianceSamples` encodings.
    public static func compute<S: BLASScalar>(_ truth: GroundTruth<S>, batchSize: Int = 64, trainingVotes: Int = 10_000,
                                              evaluationVotes: Int = 5_000, varianceSamples: Int = 10_000,
                                              seed: UInt64) throws -> FactorVAEScore {
        let method = "FactorVAE score"
        for (name, value, least) in [("batchSize", batchSize, 2), ("trainingVotes", trainingVotes, 1),
                                     ("evaluationVotes", evaluationVotes, 1), ("varianceSamples", varianceSamples, 2)] where value < least {
            throw EstimatorError.invalidParameter(method: method, name: name, reason: "\(value) must be at least \(least)")
        }
        var rng = Xoshiro256StarStar(seed: seed)
        let global = columnVariances(try truth.codes(truth.sampleFactors(varianceSamples, using: &rng), method: method))
        let active = global.indices.filter { global[$0] > 0 }
        let factorCount = truth.factorSizes.count
        guard !active.isEmpty else {
            return FactorVAEScore(score: 0, trainingAccuracy: 0, activeDimensions: [], votes: [])
        }
        func votes(_ count: Int) throws -> [[Int]] {
            var table = [[Int]](repeating: [Int](repeating: 0, count: factorCount), count: active.count)
            for _ in 0..<count {
                let k = rng.integer(below: factorCount)
                var rows = truth.sampleFactors(batchSize, using: &rng)
                for r in 1..<rows.count { rows[r][k] = rows[0][k] }
                let local = columnVariances(try truth.codes(rows, method: method))
                let ratios = active.map { local[$0] / global[$0] }
                table[ratios.indices.min { ratios[$0] < ratios[$1] }!][k] += 1      // first minimum, as np.argmin
            }
            return table
        }
        let training = try votes(trainingVotes)
        let classifier = training.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! }   // first maximum
        func accuracy(_ table: [[Int]]) -> Double {
            let correct = table.indices.reduce(0) { $0 + table[$1][classifier[$1]] }
            return Double(correct) / Double(table.joined().reduce(0, +))
        }
        let evaluation = try votes(evaluationVotes)
        return FactorVAEScore(score: accuracy(evaluation), trainingAccuracy: accuracy(training), activeDimensions: active, votes: training)
    }
}
