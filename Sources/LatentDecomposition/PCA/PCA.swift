import LatentCore

/// How many principal components to keep.
public enum PCAComponents: Sendable, Codable, Equatable {
    /// Exactly this many (1...min(samples, features)).
    case count(Int)
    /// The fewest components whose explained-variance ratios add up to more than this fraction
    /// (0 < f < 1), as scikit-learn's `n_components=0.95`. Needs the whole spectrum, so it is
    /// served by the `.full` and `.covarianceEigen` solvers only.
    case varianceFraction(Double)
    /// All min(samples, features) components.
    case all
}

/// The algorithm that computes the principal components.
public enum PCASolver: String, Sendable, Codable, CaseIterable {
    /// Picks one from the data's shape (see `PCA.resolvedSolver(samples:features:)`).
    case auto
    /// Thin SVD of the centred data (`?gesdd`): exact, O(n·d·min(n, d)), needs a centred copy.
    case full
    /// Eigendecomposition of the d×d covariance: centred blocks of rows accumulated by `?syrk`,
    /// then only the top k eigenpairs by `?syevr`. O(n·d²/2 + d³): the fast path when n ≫ d.
    /// Squares the condition number, so eigenvalues below ~ε·λ_max lose relative accuracy.
    case covarianceEigen
    /// Randomized truncated SVD (Halko et al. 2011, `RandomizedSVD`) on the implicitly centred
    /// data: O(q·n·d·k), no copy of the data; for k ≪ min(n, d).
    case randomized
}

/// Principal component analysis: the orthonormal directions of largest variance of the centred
/// data, found by a singular value or eigen decomposition.
///
/// ```swift
/// let model = try PCA<Float>(components: .count(50)).fit(x)        // x: n × d
/// let z = try model.transform(x)                                    // n × 50
/// ```
///
/// Variances use the unbiased divisor n − 1, as scikit-learn. Components follow one sign
/// convention whatever the solver: in each component the entry of largest magnitude is positive
/// (the first such entry on ties) — scikit-learn's `svd_flip(…, u_based_decision=False)`.
public struct PCA<Scalar: BLASScalar>: Estimator {
    /// How many components to keep.
    public var components: PCAComponents
    /// Scale the projections to unit variance (divide by √explainedVariance) in `transform`.
    public var whiten: Bool
    /// The algorithm; `.auto` picks one from the data's shape.
    public var solver: PCASolver
    /// Extra random directions for `.randomized` (default 10).
    public var oversampling: Int
    /// Power iterations for `.randomized`; nil picks scikit-learn's rule (7 when k < 0.1·min(n, d), else 4).
    public var powerIterations: Int?
    /// Re-normalisation between power iterations for `.randomized`.
    public var normalizer: RandomizedSVD.Normalizer
    /// Seed of the random test matrix for `.randomized`.
    public var seed: UInt64
    /// Subtract the column means first (true: PCA). False decomposes the raw data, as
    /// scikit-learn's `TruncatedSVD` (latent semantic analysis, non-negative data): the model's
    /// mean is zero and "variances" are second moments about zero.
    public var centred: Bool

    /// A PCA configuration; nothing is computed until `fit`.
    public init(components: PCAComponents = .all, whiten: Bool = false, solver: PCASolver = .auto,
                oversampling: Int = 10, powerIterations: Int? = nil,
                normalizer: RandomizedSVD.Normalizer = .auto, seed: UInt64 = 0, centred: Bool = true) {
        self.centred = centred
        self.components = components
        self.whiten = whiten
        self.solver = solver
        self.oversampling = oversampling
        self.powerIterations = powerIterations
        self.normalizer = normalizer
        self.seed = seed
    }

    /// Shorthand for `PCA(components: .count(components), …)`.
    public init(components: Int, whiten: Bool = false, solver: PCASolver = .auto, seed: UInt64 = 0) {
        self.init(components: .count(components), whiten: whiten, solver: solver, seed: seed)
    }

    /// The solver `.auto` uses for n samples × d features:
    /// 1. `.covarianceEigen` when n ≥ 2·d and d ≤ 2000 (the d×d covariance is small and cheap);
    /// 2. else `.full` when max(n, d) ≤ 500, or all / a variance fraction of the components is wanted;
    /// 3. else `.randomized` when k < 0.8·min(n, d);
    /// 4. else `.full`.
    public func resolvedSolver(samples n: Int, features d: Int) -> PCASolver {
        guard solver == .auto else { return solver }
        if n >= 2 * d && d <= 2000 { return .covarianceEigen }
        guard case let .count(k) = components, Swift.max(n, d) > 500 else { return .full }
        return Double(k) < 0.8 * Double(Swift.min(n, d)) ? .randomized : .full
    }

    /// Centres `x` (n samples × d features) and finds its principal components.
    /// - Throws: `EstimatorError` when n < 2, k > min(n, d), the data hold NaN or infinity, or a
    ///   parameter is out of range; `LinearAlgebraError` when LAPACK fails.
    /// - Complexity: see `PCASolver`.
    public func fit(_ x: Matrix<Scalar>) throws -> PCAModel<Scalar> {
        let (n, d) = (x.rows, x.columns)
        let smaller = Swift.min(n, d)
        if n < 2 { throw EstimatorError.tooFewSamples(method: "PCA", samples: n, needed: 2) }
        if d < 1 { throw EstimatorError.invalidData(method: "PCA", reason: "the data have no features") }
        let method = resolvedSolver(samples: n, features: d)
        switch components {
        case let .count(k):
            if k < 1 { throw EstimatorError.invalidParameter(method: "PCA", name: "components", reason: "must be at least 1, got \(k)") }
            if k > d { throw EstimatorError.invalidParameter(method: "PCA", name: "components", reason: "\(k) exceeds the \(d) features") }
            if k > n { throw EstimatorError.tooFewSamples(method: "PCA", samples: n, needed: k) }
        case let .varianceFraction(f):
            if !(f > 0 && f < 1) { throw EstimatorError.invalidParameter(method: "PCA", name: "components", reason: "variance fraction must be in (0, 1), got \(f)") }
            if method == .randomized { throw EstimatorError.invalidParameter(method: "PCA", name: "components", reason: "a variance fraction needs the full spectrum: use the .full or .covarianceEigen solver") }
        case .all: break
        }
        if oversampling < 0 { throw EstimatorError.invalidParameter(method: "PCA", name: "oversampling", reason: "must be non-negative, got \(oversampling)") }
        if let q = powerIterations, q < 0 { throw EstimatorError.invalidParameter(method: "PCA", name: "powerIterations", reason: "must be non-negative, got \(q)") }
        var mean = try x.meanRequiringFinite(for: "PCA")
        if !centred { mean = [Scalar](repeating: 0, count: d) }
        let wanted: Int? = { if case let .count(k) = components { return k }; return nil }()
        let spectrum: PCASpectrum<Scalar>
        switch method {
        case .auto, .full: spectrum = try PCASpectrum.full(x, mean: mean)
        case .covarianceEigen: spectrum = try PCASpectrum.covarianceEigen(x, mean: mean, top: wanted)
        case .randomized:
            spectrum = try PCASpectrum.randomized(x, mean: mean, rank: wanted ?? smaller, oversampling: oversampling,
                                                  powerIterations: powerIterations, normalizer: normalizer, seed: seed)
        }
        // Degenerate data: no finite ratios exist, so stop instead of returning NaN or infinity.
        guard spectrum.totalVariance.isFinite, spectrum.explainedVariance.allSatisfy({ $0.isFinite }) else {
            throw EstimatorError.invalidData(method: "PCA", reason: "the variance overflows (values too large to square, above about 1e154); rescale the data")
        }
        guard spectrum.totalVariance > 0 else {
            throw EstimatorError.invalidData(method: "PCA", reason: "every feature is constant (zero variance), so there are no principal directions")
        }
        let ratios = spectrum.explainedVariance.map { $0 / spectrum.totalVariance }
        let k: Int
        switch components {
        case let .count(c): k = c
        case .all: k = smaller
        case let .varianceFraction(f):
            // scikit-learn: searchsorted(cumsum(ratio), f, side="right") + 1.
            var cumulative = 0.0, below = 0
            for r in ratios {
                cumulative += Double(r)
                if cumulative <= f { below += 1 } else { break }
            }
            k = Swift.min(below + 1, spectrum.explainedVariance.count)
        }
        let kept = Array(spectrum.explainedVariance[0..<k])
        let keptSum = kept.reduce(0.0) { $0 + Double($1) }
        let noise: Scalar = k < smaller
            ? Scalar(Swift.max(0, Double(spectrum.totalVariance) - keptSum) / Double(smaller - k)) : 0
        var componentsMatrix = spectrum.components.rows(0..<k)
        componentsMatrix.flipSignsSoLargestEntryIsPositive()
        return PCAModel(components: componentsMatrix, explainedVariance: kept, explainedVarianceRatio: Array(ratios[0..<k]),
                        singularValues: Array(spectrum.singularValues[0..<k]), mean: mean, noiseVariance: noise,
                        whiten: whiten, samples: n, method: PCAModel<Scalar>.Method(method))
    }
}

extension Matrix {
    /// Negates each row whose entry of largest magnitude (the first, on ties) is negative, so that
    /// entry becomes positive: the deterministic sign convention of Latent's PCA components.
    /// - Complexity: O(rows·columns).
    public mutating func flipSignsSoLargestEntryIsPositive() {
        let c = columns
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows {
                var best = 0
                for j in 0..<c where Swift.abs(p[i * c + j]) > Swift.abs(p[i * c + best]) { best = j }
                if c > 0 && p[i * c + best] < 0 { for j in 0..<c { p[i * c + j] = -p[i * c + j] } }
            }
        }
    }
}
