import LatentCore

/// The sufficient statistics of PCA for a set of rows: their count, mean and centred scatter
/// `Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ`, accumulated in Double. Rows can be added in batches (out of core:
/// a shard streamed from disk), sets merged exactly, and the statistics of all ranks' rows
/// combined with two all-reduces, so a covariance PCA of data spread over processes needs only
/// d + d² numbers per rank on the network, whatever the number of rows.
///
/// Merging uses the pairwise update of Chan, Golub & LeVeque (1979): with δ = μ_b − μ_a,
/// `μ = μ_a + δ·n_b/n` and `M = M_a + M_b + δδᵀ·n_a·n_b/n` — no subtraction of large
/// uncentred sums, so no loss of precision when the mean is large against the spread.
public struct CovarianceStatistics: Sendable, Equatable {
    /// Rows seen.
    public private(set) var count: Int
    /// Their mean, length d.
    public private(set) var mean: [Double]
    /// Their centred scatter (d × d, symmetric).
    public private(set) var scatter: Matrix<Double>

    /// No rows yet, `features` columns.
    public init(features: Int) {
        precondition(features >= 1, "CovarianceStatistics: need at least one feature, got \(features)")
        count = 0
        mean = [Double](repeating: 0, count: features)
        scatter = .zeros(features, features)
    }

    /// d, the number of features.
    public var features: Int { mean.count }

    /// The statistics of `rows` alone: the mean in one pass, then the centred rows in blocks of
    /// 2048 (converted to Double) into `dsyrk`. - Complexity: O(n·d²/2); extra memory 2048 × d.
    public init<Scalar: BLASScalar>(rows x: Matrix<Scalar>) {
        let (n, d) = (x.rows, x.columns)
        self.init(features: d)
        guard n > 0 else { return }
        var sums = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { p in
            for i in 0..<n { for j in 0..<d { sums[j] += Double(p[i * d + j]) } }
        }
        let mu = sums.map { $0 / Double(n) }
        let block = Swift.min(n, 2048)
        var centred = [Double](repeating: 0, count: block * d)
        var start = 0
        x.storage.withUnsafeBufferPointer { px in
            scatter.storage.withUnsafeMutableBufferPointer { pc in
                centred.withUnsafeMutableBufferPointer { ps in
                    while start < n {
                        let rows = Swift.min(block, n - start)
                        for i in 0..<rows { for j in 0..<d { ps[i * d + j] = Double(px[(start + i) * d + j]) - mu[j] } }
                        Double.syrk(transpose: true, n: d, k: rows, alpha: 1, a: ps.baseAddress!, lda: d,
                                    beta: start == 0 ? 0 : 1, c: pc.baseAddress!, ldc: d)
                        start += rows
                    }
                }
            }
        }
        scatter.symmetrizeFromUpper()
        count = n
        mean = mu
    }

    /// Adds a batch of rows (Chan et al.'s merge of the batch's statistics).
    public mutating func add<Scalar: BLASScalar>(_ rows: Matrix<Scalar>) {
        precondition(rows.columns == features, "CovarianceStatistics.add: \(rows.columns) columns, expected \(features)")
        self = merged(with: CovarianceStatistics(rows: rows))
    }

    /// The statistics of both sets of rows.
    public func merged(with other: CovarianceStatistics) -> CovarianceStatistics {
        precondition(other.features == features, "CovarianceStatistics.merged: \(other.features) features, expected \(features)")
        guard other.count > 0 else { return self }
        guard count > 0 else { return other }
        let n = Double(count + other.count)
        let delta = zip(other.mean, mean).map { $0 - $1 }
        var result = self
        result.count = count + other.count
        result.mean = zip(mean, delta).map { $0 + $1 * Double(other.count) / n }
        let w = Double(count) * Double(other.count) / n
        let d = features
        result.scatter.storage.withUnsafeMutableBufferPointer { r in
            other.scatter.storage.withUnsafeBufferPointer { o in
                for i in 0..<d { for j in 0..<d { r[i * d + j] += o[i * d + j] + w * delta[i] * delta[j] } }
            }
        }
        return result
    }

    /// The statistics of every rank's rows, on every rank: the count and mean by one all-reduce
    /// (`Σ n_r`, `Σ n_r·μ_r`), then each rank's scatter moved to the global mean,
    /// `M_r + n_r·(μ_r − μ)(μ_r − μ)ᵀ`, summed by a second. - Complexity: d² + d + 1 numbers per
    /// rank on the network, O(d²) arithmetic.
    public func allReduced(over communicator: Communicator) throws -> CovarianceStatistics {
        try communicator.requireAgreement([Int64(features)], on: "the number of features (columns)")
        var sums = [Double(count)] + mean.map { $0 * Double(count) }
        try communicator.allReduce(&sums)
        let total = sums[0]
        var result = self
        result.count = Int(total)
        guard total > 0 else { return result }
        result.mean = sums.dropFirst().map { $0 / total }
        let delta = zip(mean, result.mean).map { $0 - $1 }
        let d = features, w = Double(count)
        var local = scatter.storage
        for i in 0..<d { for j in 0..<d { local[i * d + j] += w * delta[i] * delta[j] } }
        try communicator.allReduce(&local)
        result.scatter = Matrix(rows: d, columns: d, storage: local)
        return result
    }
}
