import LatentCore

/// The SAP score (Kumar et al. 2018, "Variational inference of disentangled latent concepts from
/// unlabeled observations"), `disentanglement_lib`'s variant for continuous factors
/// (`continuous_factors=True`): the score matrix holds, for code i and factor j, the R² of a
/// linear regression of the factor on that one code, `cov(z_i, v_j)² / (var z_i · var v_j)`
/// (`np.cov`, ddof = 1; 0 when `var z_i ≤ 1e-12`), and
///
///     SAP = mean_j (largest − second largest score of factor j over the codes).
///
/// (The discrete variant, the balanced accuracy of a linear SVM on each single code, is not
/// implemented here.)
public struct SeparatedAttributePredictability: Sendable, Equatable {
    /// The score, the mean of `gaps`.
    public let score: Double
    /// Each factor's gap between its two most predictive codes.
    public let gaps: [Double]
    /// `scores[i][j]`: R² of factor j from code i, codes × factors.
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
        let gaps = v.indices.map { j -> Double in
            let sorted = scores.map { $0[j] }.sorted(by: >)
            return sorted[0] - sorted[1]
        }
        return SeparatedAttributePredictability(score: gaps.reduce(0, +) / Double(gaps.count), gaps: gaps, scores: scores)
    }
}
