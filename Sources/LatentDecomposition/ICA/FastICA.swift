import LatentCore

/// Independent component analysis by the FastICA fixed-point algorithm (Hyvärinen 1999,
/// "Fast and robust fixed-point algorithms for independent component analysis"), with the options
/// of scikit-learn's `FastICA`.
///
/// The data are centred and whitened by PCA (`X₁ = K·Xcᵀ·√n`, so `X₁X₁ᵀ/n = I`), then an
/// orthogonal unmixing matrix `W` (k×k) is found that maximises the non-Gaussianity of `W·X₁`,
/// measured by the `contrast`. The sources of a centred sample `x` are `components · x`, where
/// `components = W·K` (k×d).
///
/// ```swift
/// let ica = try FastICA<Double>(components: 3, seed: 7).fit(x)   // x: n × d
/// let s = try ica.transform(x)                                     // n × 3 sources
/// ```
///
/// ICA is unique only up to the sign, order and scale of the sources.
/// - Complexity: whitening O(n·d·min(n, d)) (`.svd`) or O(n·d² + d³) (`.eigen`); each iteration
///   O(n·k²) in two GEMMs plus n·k evaluations of the contrast.
public struct FastICA<Scalar: BLASScalar>: Estimator, Codable, Equatable {
    /// How the rows of `W` are kept orthonormal.
    public enum Algorithm: String, Sendable, Codable {
        /// All components at once; after each step `W ← (WWᵀ)^(−1/2)·W` (symmetric decorrelation).
        case parallel
        /// One component at a time, Gram–Schmidt against those already found.
        case deflation
    }

    /// Whether and how the data are whitened before the rotation is sought.
    public enum Whitening: String, Sendable, Codable {
        /// Whiten, then rescale the recovered sources to unit variance (scikit-learn's `"unit-variance"`).
        case unitVariance
        /// Whiten and leave the sources with whatever variance the rotation gives (`"arbitrary-variance"`).
        case arbitraryVariance
        /// Use the data as given: no centring, no whitening; `components` must equal the features.
        case none
    }

    /// How the whitening matrix is computed.
    public enum WhiteningSolver: String, Sendable, Codable {
        /// Thin SVD of the centred data: accurate, O(n·d·min(n, d)).
        case svd
        /// Eigendecomposition of the d×d scatter matrix: faster when n ≫ d, squares the condition number.
        case eigen
    }

    /// Number of independent components `k` (≤ min(samples, features)); `nil` means all features.
    public var components: Int?
    /// Parallel (symmetric) or deflationary extraction.
    public var algorithm: Algorithm
    /// The contrast function `G`.
    public var contrast: FastICAContrast
    /// Whitening mode.
    public var whitening: Whitening
    /// Whitening solver.
    public var whiteningSolver: WhiteningSolver
    /// Stop when `max_i | |⟨w_i_new, w_i_old⟩| − 1 | < tolerance`.
    public var tolerance: Double
    /// Maximum number of fixed-point iterations (per component for `.deflation`).
    public var maxIterations: Int
    /// Initial unmixing matrix (k×k); when `nil`, standard normal entries drawn from `seed`.
    public var wInit: Matrix<Scalar>?
    /// Seed of the initial `W` when `wInit` is `nil`.
    public var seed: UInt64

    /// An ICA configuration with scikit-learn's defaults.
    public init(components: Int? = nil, algorithm: Algorithm = .parallel, contrast: FastICAContrast = .logcosh(),
                whitening: Whitening = .unitVariance, whiteningSolver: WhiteningSolver = .svd,
                tolerance: Double = 1e-4, maxIterations: Int = 200, wInit: Matrix<Scalar>? = nil, seed: UInt64 = 0) {
        self.components = components
        self.algorithm = algorithm
        self.contrast = contrast
        self.whitening = whitening
        self.whiteningSolver = whiteningSolver
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.wInit = wInit
        self.seed = seed
    }

    /// Fits the unmixing matrix to `x` (n samples × d features).
    /// - Throws: `EstimatorError` for NaN/infinite input, fewer than 2 samples, `components` out
    ///   of range, a `wInit` of the wrong shape or bad hyperparameters; `LinearAlgebraError` when
    ///   the whitening decomposition fails. Non-convergence is not an error: see `report`.
    public func fit(_ x: Matrix<Scalar>) throws -> FittedFastICA<Scalar> {
        let method = "FastICA"
        try x.requireFiniteInput(for: method)
        let (n, d) = (x.rows, x.columns)
        if n < 2 { throw EstimatorError.tooFewSamples(method: method, samples: n, needed: 2) }
        if maxIterations < 1 {
            throw EstimatorError.invalidParameter(method: method, name: "maxIterations", reason: "must be at least 1, got \(maxIterations)")
        }
        if !(tolerance >= 0) {
            throw EstimatorError.invalidParameter(method: method, name: "tolerance", reason: "must be non-negative, got \(tolerance)")
        }
        if case let .logcosh(alpha) = contrast, !(1...2).contains(alpha) {
            throw EstimatorError.invalidParameter(method: method, name: "alpha", reason: "must be in [1, 2], got \(alpha)")
        }
        let k = components ?? d
        if k < 1 || k > d {
            throw EstimatorError.invalidParameter(method: method, name: "components", reason: "must be in 1...\(d) (the number of features), got \(k)")
        }
        if k > n { throw EstimatorError.tooFewSamples(method: method, samples: n, needed: k) }
        if whitening == .none && k != d {
            throw EstimatorError.invalidParameter(method: method, name: "components",
                                                  reason: "must equal the \(d) features without whitening, got \(k)")
        }
        let w0: Matrix<Scalar>
        if let given = wInit {
            if given.rows != k || given.columns != k {
                throw EstimatorError.invalidParameter(method: method, name: "wInit", reason: "must be \(k)×\(k), got \(given.shapeDescription)")
            }
            try given.requireFiniteInput(for: method)
            w0 = given
        } else {
            w0 = Matrix.randomNormal(k, k, seed: seed)
        }

        // X₁: k × n, the whitened (or raw) data with samples as columns, as in the paper.
        var mean: [Scalar]? = nil
        var whiteningMatrix: Matrix<Scalar>? = nil
        let x1: Matrix<Scalar>
        if whitening == .none {
            x1 = x.transposed
        } else {
            let (centred, m) = x.centered()
            mean = m
            let kMatrix = try FastICAWhitening.matrix(centred, components: k, solver: whiteningSolver)
            whiteningMatrix = kMatrix
            x1 = Matrix.gemm(kMatrix, centred, transposeB: true, alpha: Scalar(n).squareRoot())
        }

        let (w, report): (Matrix<Scalar>, FitReport)
        switch algorithm {
        case .parallel:
            (w, report) = try FastICAIteration.parallel(x1, wInit: w0, contrast: contrast, tolerance: tolerance, maxIterations: maxIterations)
        case .deflation:
            (w, report) = FastICAIteration.deflation(x1, wInit: w0, contrast: contrast, tolerance: tolerance, maxIterations: maxIterations)
        }

        var unmixing = w
        if whitening == .unitVariance {
            // Sources S = W·X₁/√n; divide each row of W by its standard deviation (scikit-learn's S_std).
            let scale = FastICAIteration.rowStandardDeviations(of: unmixing, times: x1)
            let inv = scale.map { 1 / ($0 / Scalar(n).squareRoot()) }
            unmixing = unmixing.multiplying(column: inv)
        }
        let componentsMatrix = whiteningMatrix.map { Matrix.gemm(unmixing, $0) } ?? unmixing
        let mixing = try componentsMatrix.pseudoInverse()
        return FittedFastICA(components: componentsMatrix, mixing: mixing, mean: mean, whitening: whiteningMatrix,
                             unmixing: unmixing, report: report)
    }
}
