import LatentCore

/// The mutual information gap (Chen et al. 2018, "Isolating sources of disentanglement in VAEs"),
/// as `disentanglement_lib` computes it: each code dimension is discretised into `bins` equal-width
/// bins over its range (`np.histogram` edges, `np.digitize`), `I(z_i; v_j)` is the discrete mutual
/// information of code i and factor j (scikit-learn's `mutual_info_score`, nats), and
///
///     MIG = mean_j (I(z_(1); v_j) − I(z_(2); v_j)) / H(v_j)
///
/// with `z_(1)`, `z_(2)` the two codes most informative about `v_j`. 1 when each factor is captured
/// by exactly one code dimension, near 0 for codes unrelated to the factors.
public struct MutualInformationGap: Sendable, Equatable {
    /// The score, the mean of `gaps`.
    public let score: Double
    /// Each factor's normalised gap.
    public let gaps: [Double]
    /// `mutualInformation[i][j] = I(z_i; v_j)` in nats, codes × factors.
    public let mutualInformation: [[Double]]
    /// Each factor's entropy `H(v_j)` in nats.
    public let factorEntropies: [Double]

    /// MIG of `codes` (`n × k`, k ≥ 2) against `factors` (`n` rows of K classes).
    /// - Throws: `EstimatorError` for mismatched or non-finite input, fewer than 2 code
    ///   dimensions, a constant factor (zero entropy), or `bins < 1`.
    /// - Complexity: O(n·k·K) plus the contingency tables.
    public static func compute<S: BLASScalar>(codes: Matrix<S>, factors: [[Int]], bins: Int = 20) throws -> MutualInformationGap {
        let method = "MIG"
        try FactorData.validate(codes, factors, method: method)
        guard bins >= 1 else { throw EstimatorError.invalidParameter(method: method, name: "bins", reason: "\(bins) must be at least 1") }
        guard codes.columns >= 2 else { throw EstimatorError.invalidData(method: method, reason: "needs at least 2 code dimensions, got \(codes.columns)") }
        let discrete = (0..<codes.columns).map { histogramDiscretise(FactorData.code(codes, $0), bins: bins) }
        let columns = (0..<factors[0].count).map { FactorData.factor(factors, $0) }
        let entropies = columns.map { Contingency($0, $0).mutualInformation() }
        if let j = entropies.firstIndex(where: { $0 <= 0 }) {
            throw EstimatorError.invalidData(method: method, reason: "factor \(j) takes a single value (zero entropy)")
        }
        let mi = discrete.map { z in columns.map { Contingency($0, z).mutualInformation() } }
        let gaps = columns.indices.map { j -> Double in
            let sorted = mi.map { $0[j] }.sorted(by: >)
            return (sorted[0] - sorted[1]) / entropies[j]
        }
        return MutualInformationGap(score: gaps.reduce(0, +) / Double(gaps.count), gaps: gaps, mutualInformation: mi, factorEntropies: entropies)
    }

    /// `np.digitize(x, np.histogram(x, bins)[1][:-1])`: bin numbers 1…bins over `[min, max]` in
    /// equal widths (edges `min + i·(max − min)/bins`); a constant `x` uses `[x − ½, x + ½]` as NumPy does.
    static func histogramDiscretise(_ x: [Double], bins: Int) -> [Int] {
        var low = x.min()!, high = x.max()!
        if low == high { low -= 0.5; high += 0.5 }
        let step = (high - low) / Double(bins)
        let edges = (0..<bins).map { Double($0) * step + low }
        return x.map { v in
            // the number of edges ≤ v (edges are sorted)
            var lo = 0, hi = edges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }
}
