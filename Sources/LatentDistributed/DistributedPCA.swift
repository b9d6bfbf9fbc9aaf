import LatentCore
import LatentDecomposition

/// PCA of data whose rows are spread over the ranks (each holds a block of rows): the ranks
/// reduce the count, mean and centred scatter (`CovarianceStatistics`, d + d² numbers each),
/// rank 0 alone eigendecomposes the covariance `M/(n − 1)` (`?syevr`, the top k pairs) and
/// broadcasts the model, so every rank returns the same `PCAModel` — the covariance-eigen PCA of
/// all the rows, equal to `PCA(solver: .covarianceEigen).fit` on the stacked rows up to
/// rounding (the statistics are accumulated in Double).
///
/// ```swift
/// let world = try Communicator.world()
/// let model = try DistributedPCA<Float>(components: .count(50)).fit(myRows, over: world)
/// ```
///
/// Streaming ("incremental PCA over shards"): a rank whose shard does not fit in memory adds it
/// batch by batch to a `CovarianceStatistics` and calls `fit(statistics:over:)`; the result is
/// the same exact covariance PCA, not an approximation as `IncrementalPCA`'s SVD updates.
///
/// - Complexity: O(n_r·d²/2) per rank for the scatter, 2 all-reduces of d² + d numbers, O(d³)
///   (or O(d²·k) beyond the tridiagonalisation) on rank 0, a broadcast of k·(d + 3) numbers.
///   Memory: d² Doubles per rank — for d beyond a few thousand use a sketch instead.
public struct DistributedPCA<Scalar: BLASScalar & MPIElement>: Sendable {
    /// How many components to keep.
    public var components: PCAComponents
    /// Scale the projections to unit variance in `transform`.
    public var whiten: Bool

    public init(components: PCAComponents = .all, whiten: Bool = false) {
        self.components = components
        self.whiten = whiten
    }

    /// Fits the rows all ranks hold (`rows` here: this rank's block; a block may be empty).
    /// - Throws: `DistributedError.ranksDisagree` when ranks differ in feature count or options;
    ///   `DistributedError.invalidData` when a rank's rows hold NaN or infinity or all ranks
    ///   together have fewer than 2 rows; `EstimatorError` for impossible component counts.
    public func fit(_ rows: Matrix<Scalar>, over communicator: Communicator) throws -> PCAModel<Scalar> {
        let bad = rows.storage.firstIndex { !$0.isFinite }
        let where_ = bad.map { Int64($0) } ?? -1
        let culprits = try communicator.allGather(where_)
        if let r = culprits.firstIndex(where: { $0 >= 0 }) {
            let d = Swift.max(rows.columns, 1), k = Int(culprits[r])
            throw DistributedError.invalidData("rank \(r)'s rows hold a non-finite value at row \(k / d + 1) of its block, column \(k % d + 1)")
        }
        return try fit(statistics: CovarianceStatistics(rows: rows), over: communicator)
    }

    /// Fits from each rank's statistics of its rows (see `CovarianceStatistics`).
    public func fit(statistics local: CovarianceStatistics, over communicator: Communicator) throws -> PCAModel<Scalar> {
        let option: (kind: Int64, value: Int64) = {
            switch components {
            case .all: return (0, 0)
            case let .count(k): return (1, Int64(k))
            case let .varianceFraction(f): return (2, Int64(bitPattern: f.bitPattern))
            }
        }()
        try communicator.requireAgreement([option.kind, option.value, whiten ? 1 : 0],
                                          on: "the PCA options (components, variance fraction, whitening)")
        let all = try local.allReduced(over: communicator)
        let (n, d) = (all.count, all.features)
        if n < 2 { throw DistributedError.invalidData("PCA needs at least 2 rows over all ranks, got \(n)") }
        // rank 0: eigenpairs → [k, variances, ratios, noise, components row by row]
        let packed: [Double] = try communicator.computeOnRoot { try Self.spectrum(all, components: components) }
        let k = Int(packed[0])
        let variances = Array(packed[1..<(1 + k)]), ratios = Array(packed[(1 + k)..<(1 + 2 * k)])
        let noise = packed[1 + 2 * k]
        let axes = Matrix(rows: k, columns: d, storage: packed[(2 + 2 * k)...].map { Scalar($0) })
        return PCAModel(components: axes, explainedVariance: variances.map { Scalar($0) },
                        explainedVarianceRatio: ratios.map { Scalar($0) },
                        singularValues: variances.map { Scalar(($0 * Double(n - 1)).squareRoot()) },
                        mean: all.mean.map { Scalar($0) }, noiseVariance: Scalar(noise), whiten: whiten, samples: n,
                        method: .covarianceEigen)
    }

    /// The model's numbers from the combined statistics, as `PCA.fit` computes them: eigenpairs of
    /// the covariance by decreasing value (negative round-off clipped to 0), ratios to its trace,
    /// k from `components`, the probabilistic-PCA noise variance, signs so that each component's
    /// largest entry is positive.
    static func spectrum(_ s: CovarianceStatistics, components: PCAComponents) throws -> [Double] {
        let (n, d) = (s.count, s.features)
        let smaller = Swift.min(n, d)
        var top: Int?
        if case let .count(k) = components {
            if k < 1 || k > d { throw EstimatorError.invalidParameter(method: "PCA", name: "components", reason: "must lie in 1…\(d) (the features), got \(k)") }
            if k > n { throw EstimatorError.tooFewSamples(method: "PCA", samples: n, needed: k) }
            top = k
        }
        let covariance = Matrix(rows: d, columns: d, storage: s.scatter.storage.map { $0 / Double(n - 1) })
        var trace = 0.0
        for j in 0..<d { trace += covariance.storage[j * d + j] }
        guard trace.isFinite else { throw DistributedError.invalidData("the variance overflows (values above about 1e154); rescale the data") }
        guard trace > 0 else { throw DistributedError.invalidData("every feature is constant (zero variance), so there are no principal directions") }
        let eigen = try covariance.symmetricEigen(top: top.map { Swift.min($0, d) })
        let m = eigen.values.count
        let values = eigen.values.reversed().map { Swift.max($0, 0) }
        let ratios = values.map { $0 / trace }
        var k = top ?? Swift.min(smaller, m)
        if case let .varianceFraction(f) = components {
            // scikit-learn: searchsorted(cumsum(ratio), f, side="right") + 1
            var cumulative = 0.0, below = 0
            for r in ratios { cumulative += r; if cumulative <= f { below += 1 } else { break } }
            k = Swift.min(below + 1, smaller)
        }
        let kept = values.prefix(k).reduce(0, +)
        let noise = k < smaller ? Swift.max(0, trace - kept) / Double(smaller - k) : 0
        var axes = eigen.vectors.transposed.rows(at: Array((0..<m).reversed()).prefix(k).map { $0 })  // k × d
        axes.flipSignsSoLargestEntryIsPositive()
        return [Double(k)] + values.prefix(k) + ratios.prefix(k) + [noise] + axes.storage
    }
}
