import LatentCore

/// The SAP score (Kumar et al. 2018, "Variational inference of disentangled latent concepts from
/// unlabeled observations") as `disentanglement_lib` computes it: a score matrix over codes i and
/// factors j, and
///
///     SAP = mean_j (largest − second largest score of factor j over the codes).
///
/// Two score matrices, as `disentanglement_lib`'s `continuous_factors` switch:
/// - `compute(codes:factors:)` (continuous factors): the R² of a linear regression of the factor on
///   the one code, `cov(z_i, v_j)² / (var z_i · var v_j)` (`np.cov`, ddof = 1; 0 when `var z_i ≤ 1e-12`);
/// - `compute(trainingCodes:trainingFactors:testCodes:testFactors:)` (discrete factors, the
///   setting of `disentanglement_lib`'s study): the test accuracy of a linear SVM
///   (`LinearSVC(C=0.01, class_weight="balanced")`) trained on the one code.
public struct SeparatedAttributePredictability: Sendable, Equatable {
    /// The score, the mean of `gaps`.
    public let score: Double
    /// Each factor's gap between its two most predictive codes.
    public let gaps: [Double]
    /// `scores[i][j]`: how well code i alone predicts factor j (R², or test accuracy), codes × factors.
    public let scores: [[Double]]

    /// SAP of `codes` (`n × k`, k ≥ 2) against `factors` (`n` rows of K values).
    /// - Throws: `EstimatorError` for mismatched or non-finite input, fewer than 2 code
    ///   dimensions, or a constant factor.
    /// - Complexity: O(n·k·K).
    public static func compute<S: BLASScalar>(codes: Matrix<S>, factors: [[Int]]) throws -> SeparatedAttributePredictability {
        let method = "SAP"
        try FactorData.validate(codes, factors, method: method)
        guard codes.columns >= 2 else { throw EstimatorError.invalidData(method: method, reason: "needs at least 2 code dimensions, got \(codes.columns)") }
        let columns = (0..<factors[0].count).map { FactorData.factor(factors, $0).map(Double.init) }
        let n = Double(codes.rows)
        func centred(_ v: [Double]) -> [Double] { let m = v.reduce(0, +) / n; return v.map { $0 - m } }
        let v = columns.map(centred)
        let variancesV = v.map { $0.reduce(0) { $0 + $1 * $1 } / (n - 1) }
        if let j = variancesV.firstIndex(where: { $0 <= 0 }) {
            throw EstimatorError.invalidData(method: method, reason: "factor \(j) takes a single value (zero variance)")
        }
        let scores = (0..<codes.columns).map { i -> [Double] in
            let z = centred(FactorData.code(codes, i))
            let varZ = z.reduce(0) { $0 + $1 * $1 } / (n - 1)
            return v.indices.map { j in
                guard varZ > 1e-12 else { return 0 }
                let cov = zip(z, v[j]).reduce(0) { $0 + $1.0 * $1.1 } / (n - 1)
                return cov * cov / (varZ * variancesV[j])
            }
        }
        return SeparatedAttributePredictability(scores: scores)
    }

    /// SAP of discrete factors: `scores[i][j]` is the accuracy on the test rows of a linear SVM
    /// (`LinearSVC(C: C, balanced: true)`) fitted to predict factor j from code i alone on the
    /// training rows. Every factor needs at least 2 classes in training.
    /// - Throws: `EstimatorError` for mismatched or non-finite input, fewer than 2 code dimensions
    ///   or a constant training factor (a test class unseen in training only counts as a miss).
    /// - Complexity: k·K one-feature SVM fits, each a few Newton steps of O(n) per class.
    public static func compute<S: BLASScalar>(trainingCodes: Matrix<S>, trainingFactors: [[Int]], testCodes: Matrix<S>,
                                              testFactors: [[Int]], C: Double = 0.01) throws -> SeparatedAttributePredictability {
        let method = "SAP"
        try FactorData.validate(trainingCodes, trainingFactors, method: method)
        try FactorData.validate(testCodes, testFactors, method: method, minimumSamples: 1)
        guard testCodes.columns == trainingCodes.columns, testFactors[0].count == trainingFactors[0].count else {
            throw EstimatorError.invalidData(method: method, reason: "training and test sets have different code or factor counts")
        }
        guard trainingCodes.columns >= 2 else {
            throw EstimatorError.invalidData(method: method, reason: "needs at least 2 code dimensions, got \(trainingCodes.columns)")
        }
        let factorCount = trainingFactors[0].count
        let labels = (0..<factorCount).map { FactorData.factor(trainingFactors, $0) }
        if let j = labels.firstIndex(where: { Set($0).count < 2 }) {
            throw EstimatorError.invalidData(method: method, reason: "factor \(j) takes a single value in the training set")
        }
        let scores = try (0..<trainingCodes.columns).map { i -> [Double] in
            let (train, test) = (trainingCodes.columns(i..<(i + 1)), testCodes.columns(i..<(i + 1)))
            return try (0..<factorCount).map { j in
                try LinearSVC(C: C, balanced: true).fit(train, labels: labels[j]).accuracy(test, labels: FactorData.factor(testFactors, j))
            }
        }
        return SeparatedAttributePredictability(scores: scores)
    }
}

extension SeparatedAttributePredictability {
    /// The score and gaps of a score matrix (codes × factors).
    init(scores: [[Double]]) {
        let gaps = scores[0].indices.map { j -> Double in
            let sorted = scores.map { $0[j] }.sorted(by: >)
            return sorted[0] - sorted[1]
        }
        self.init(score: gaps.reduce(0, +) / Double(gaps.count), gaps: gaps, scores: scores)
    }
}
