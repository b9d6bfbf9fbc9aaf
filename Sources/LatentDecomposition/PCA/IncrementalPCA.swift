import LatentCore

/// Principal component analysis over a stream of batches, for data larger than memory
/// (Ross, Lim, Lin & Yang 2008, "Incremental learning for robust visual tracking", as in
/// scikit-learn's `IncrementalPCA`).
///
/// A value that accumulates: each `partialFit` stacks the previous components scaled by their
/// singular values, the new batch centred on its own mean, and one mean-correction row
/// `√(n·m/(n + m))·(μ_old − μ_batch)`, and takes the thin SVD of that (k + m + 1) × d matrix. The
/// result equals scikit-learn's on the same batches and is close to `PCA` on all the data.
///
/// ```swift
/// var ipca = IncrementalPCA<Float>(components: 10)
/// for batch in batches { try ipca.partialFit(batch) }
/// let model = try ipca.model()                   // a PCAModel: transform, inverseTransform, …
/// ```
/// - Complexity: O((k + m)·d·min(k + m, d)) per batch of m rows; memory O((k + m)·d).
public struct IncrementalPCA<Scalar: BLASScalar>: Estimator, Codable {
    /// Components to keep; nil keeps min(rows of the first batch, features), as scikit-learn.
    public let components: Int?
    /// Whether the fitted model whitens its projections.
    public let whiten: Bool
    /// Rows per batch for `fit(_:)`; nil means 5 × features (scikit-learn's default).
    public let batchSize: Int?

    /// Number of samples seen so far.
    public private(set) var samplesSeen = 0
    /// Mean of all samples seen so far (empty before the first batch).
    public private(set) var mean: [Scalar] = []
    /// Sum over all features of the squared deviations from `mean` (Chan, Golub & LeVeque 1983 update).
    private var scatter = 0.0
    /// Current components as rows (k × d), unflipped, and their singular values and variances.
    private var basis: Matrix<Scalar>?
    private var singular: [Scalar] = []
    private var variance: [Scalar] = []
    private var noise: Scalar = 0

    /// An empty accumulator; nothing is computed until `partialFit`.
    public init(components: Int? = nil, whiten: Bool = false, batchSize: Int? = nil) {
        self.components = components
        self.whiten = whiten
        self.batchSize = batchSize
    }

    /// Folds one batch (m × d) into the components.
    /// - Throws: `EstimatorError` for NaN, a feature count that differs from earlier batches,
    ///   k > d, or a first batch with fewer than k rows; `LinearAlgebraError` when the SVD fails.
    public mutating func partialFit(_ batch: Matrix<Scalar>) throws {
        let (m, d) = (batch.rows, batch.columns)
        if let basis { try batch.requireFeatures(basis.columns, for: "IncrementalPCA") }
        if m < 1 { throw EstimatorError.tooFewSamples(method: "IncrementalPCA", samples: m, needed: 1) }
        let k = components ?? basis?.rows ?? Swift.min(m, d)
        if k < 1 { throw EstimatorError.invalidParameter(method: "IncrementalPCA", name: "components", reason: "must be at least 1, got \(k)") }
        if k > d { throw EstimatorError.invalidParameter(method: "IncrementalPCA", name: "components", reason: "\(k) exceeds the \(d) features") }
        if basis == nil && k > m { throw EstimatorError.tooFewSamples(method: "IncrementalPCA", samples: m, needed: k) }
        try batch.requireFiniteInput(for: "IncrementalPCA")

        let (batchCentred, batchMean) = batch.centered()
        let batchScatter = batchCentred.storage.reduce(0.0) { $0 + Double($1) * Double($1) }
        let (n, total) = (samplesSeen, samplesSeen + m)
        var stacked = batchCentred
        if let basis {
            // [σ·W; X_b − μ_b; √(n·m/N)·(μ_old − μ_b)]
            let correction = (Double(n) * Double(m) / Double(total)).squareRoot()
            let shift = zip(mean, batchMean).map { Scalar(correction) * ($0 - $1) }
            stacked = Matrix.vstack([basis.multiplying(column: singular), batchCentred, Matrix(rows: 1, columns: d, storage: shift)])
            let gap = zip(mean, batchMean).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            scatter += batchScatter + Double(n) * Double(m) / Double(total) * gap
            mean = zip(mean, batchMean).map { Scalar((Double(n) * Double($0) + Double(m) * Double($1)) / Double(total)) }
        } else {
            scatter = batchScatter
            mean = batchMean
        }
        let svd = try stacked.svd()
        let allVariance = svd.s.map { $0 * $0 / Scalar(Swift.max(total - 1, 1)) }
        basis = svd.vt.rows(0..<k)
        singular = Array(svd.s[0..<k])
        variance = Array(allVariance[0..<k])
        // scikit-learn's rule, including its test against the batch's row count.
        if k != m && k != d && allVariance.count > k {
            noise = Scalar(allVariance[k...].reduce(0.0) { $0 + Double($1) } / Double(allVariance.count - k))
        } else {
            noise = 0
        }
        samplesSeen = total
    }

    /// The model fitted so far, with Latent's sign convention (largest entry of each component positive).
    /// - Throws: `EstimatorError.tooFewSamples` before any batch, or with a single sample.
    public func model() throws -> PCAModel<Scalar> {
        guard var w = basis, samplesSeen >= 2 else {
            throw EstimatorError.tooFewSamples(method: "IncrementalPCA", samples: samplesSeen, needed: 2)
        }
        w.flipSignsSoLargestEntryIsPositive()
        // Ratios divide by the total variance Σ scatter / (N − 1) with the same divisor as the variances.
        let totalVariance = scatter / Double(samplesSeen - 1)
        guard totalVariance.isFinite else {
            throw EstimatorError.invalidData(method: "IncrementalPCA", reason: "the variance overflows (values too large to square, above about 1e154); rescale the data")
        }
        guard totalVariance > 0 else {
            throw EstimatorError.invalidData(method: "IncrementalPCA", reason: "every feature is constant (zero variance), so there are no principal directions")
        }
        return PCAModel(components: w, explainedVariance: variance,
                        explainedVarianceRatio: variance.map { Scalar(Double($0) / totalVariance) },
                        singularValues: singular, mean: mean, noiseVariance: noise, whiten: whiten,
                        samples: samplesSeen, method: .incremental)
    }

    /// Fits a fresh accumulator on `x` in batches of `batchSize` rows (nil: 5 × features); as
    /// scikit-learn's `gen_batches(n, batchSize, min_batch_size: k)`, a tail shorter than k rows is
    /// merged into the last full batch.
    /// `onEvent` hears a `.step` (no cost) after every batch and one `.epochFinished` at the end.
    public func fit(_ x: Matrix<Scalar>, batchSize: Int?, onEvent: (FitEvent) -> Void = { _ in }) throws -> PCAModel<Scalar> {
        let size = batchSize ?? 5 * x.columns
        if size < 1 { throw EstimatorError.invalidParameter(method: "IncrementalPCA", name: "batchSize", reason: "must be positive, got \(size)") }
        var fresh = IncrementalPCA(components: components, whiten: whiten, batchSize: batchSize)
        let ranges = Self.batches(count: x.rows, size: size, minimum: components ?? 0)
        for (i, range) in ranges.enumerated() {
            try fresh.partialFit(x.rows(range))
            onEvent(.step(step: i + 1, steps: ranges.count, epoch: 1, cost: nil))
        }
        onEvent(.epochFinished(epoch: 1, epochs: 1, score: nil))
        return try fresh.model()
    }

    /// `fit(x, batchSize: self.batchSize)`.
    public func fit(_ x: Matrix<Scalar>) throws -> PCAModel<Scalar> { try fit(x, batchSize: batchSize) }

    /// Row ranges of scikit-learn's `gen_batches(count, size, min_batch_size=minimum)`: the batches
    /// `fit` feeds to `partialFit`, for callers that stream the same batches themselves.
    public static func batches(count n: Int, size: Int, minimum: Int) -> [Range<Int>] {
        var result = [Range<Int>](), start = 0
        for _ in 0..<(n / size) {
            let end = start + size
            if end + minimum > n { continue }
            result.append(start..<end)
            start = end
        }
        if start < n { result.append(start..<n) }
        return result
    }
}
