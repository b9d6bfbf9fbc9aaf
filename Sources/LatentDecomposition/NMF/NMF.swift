import LatentCore

/// The solver of NMF's alternating minimisation.
public enum NMFSolver: String, Sendable, Codable {
    /// Cyclic coordinate descent (Hsieh & Dhillon 2011), Frobenius loss only (scikit-learn's `'cd'`).
    case coordinateDescent
    /// Multiplicative updates (Lee & Seung 2001), Frobenius or Kullback–Leibler (scikit-learn's `'mu'`).
    case multiplicativeUpdate
}

/// The divergence between X and W·H that NMF minimises.
public enum NMFBetaLoss: String, Sendable, Codable {
    /// `½‖X − WH‖²_F` (β = 2).
    case frobenius
    /// The generalised Kullback–Leibler divergence `Σ x·log(x/wh) − x + wh` (β = 1); needs `.multiplicativeUpdate`.
    case kullbackLeibler
}

/// How NMF's factors start.
public enum NMFInitializationMethod: String, Sendable, Codable {
    /// Non-negative double SVD (Boutsidis & Gallopoulos 2008): deterministic, sparse; best with coordinate descent.
    case nndsvd
    /// NNDSVD with its zeros replaced by mean(X); suits multiplicative updates, which cannot move zeros.
    case nndsvda
    /// NNDSVD with its zeros replaced by small seeded random values |mean(X)·N(0,1)/100|.
    case nndsvdar
    /// Seeded `√(mean(X)/k)·|N(0,1)|` entries.
    case random
}

/// Non-negative matrix factorisation `X ≈ W·H` with W (n×k) and H (k×d) non-negative, with the
/// options of scikit-learn's `NMF`.
///
/// Minimises `divergence(X, WH) + l1W·ΣW + l1H·ΣH + ½·l2W·‖W‖² + ½·l2H·‖H‖²` where, as in
/// scikit-learn ≥ 1.0, `l1W = d·alphaW·l1Ratio`, `l2W = d·alphaW·(1 − l1Ratio)`,
/// `l1H = n·alphaH·l1Ratio`, `l2H = n·alphaH·(1 − l1Ratio)`.
///
/// ```swift
/// let nmf = try NMF<Float>(components: 50).fit(x)        // x ≥ 0: n × d
/// let w = try nmf.transform(x)                             // n × 50, H held fixed
/// ```
/// - Complexity: per iteration O(n·d·k) in GEMMs plus O((n + d)·k²) (coordinate descent) or
///   O(n·d) (Kullback–Leibler) elementwise work.
public struct NMF<Scalar: BLASScalar>: Estimator, Codable, Equatable {
    /// Number of components `k`.
    public var components: Int
    /// Coordinate descent (default) or multiplicative updates.
    public var solver: NMFSolver
    /// The divergence minimised.
    public var betaLoss: NMFBetaLoss
    /// Starting point; `nil` picks scikit-learn's default: `.nndsvda` when k ≤ min(n, d), else `.random`.
    public var initialization: NMFInitializationMethod?
    /// Relative stopping tolerance (see the solvers); 0 runs exactly `maxIterations` iterations.
    public var tolerance: Double
    /// Maximum number of iterations (each updates W, then H).
    public var maxIterations: Int
    /// Regularisation strength on W (≥ 0).
    public var alphaW: Double
    /// Regularisation strength on H (≥ 0); `nil` means the same as `alphaW` (scikit-learn's `"same"`).
    public var alphaH: Double?
    /// The L1 share of the penalty, in [0, 1] (0: pure L2, 1: pure L1).
    public var l1Ratio: Double
    /// Seed for `.random` and `.nndsvdar` initialisation.
    public var seed: UInt64

    /// An NMF configuration with scikit-learn's defaults.
    public init(components: Int, solver: NMFSolver = .coordinateDescent, betaLoss: NMFBetaLoss = .frobenius,
                initialization: NMFInitializationMethod? = nil, tolerance: Double = 1e-4, maxIterations: Int = 200,
                alphaW: Double = 0, alphaH: Double? = nil, l1Ratio: Double = 0, seed: UInt64 = 0) {
        self.components = components
        self.solver = solver
        self.betaLoss = betaLoss
        self.initialization = initialization
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.alphaW = alphaW
        self.alphaH = alphaH
        self.l1Ratio = l1Ratio
        self.seed = seed
    }

    /// Fits H (and the training W) to `x` (n × d, non-negative).
    /// - Throws: `EstimatorError` for negative, NaN or infinite input, an empty matrix or bad
    ///   hyperparameters; `LinearAlgebraError` if the NNDSVD eigensolver fails.
    public func fit(_ x: Matrix<Scalar>) throws -> FittedNMF<Scalar> {
        try fitTransform(x).model
    }

    /// Fits the model and also returns the training data's W (n×k), as scikit-learn's `fit_transform`.
    /// - Throws: as `fit`.
    public func fitTransform(_ x: Matrix<Scalar>) throws -> (model: FittedNMF<Scalar>, weights: Matrix<Scalar>) {
        try fitTransform(x, onEvent: { _ in })
    }

    /// `fit(x)`, calling `onEvent` after every iteration (`.step` with `epoch` equal to `step`,
    /// `steps` = `maxIterations`, and the objective as `cost` where the solver computed it).
    public func fit(_ x: Matrix<Scalar>, onEvent: (FitEvent) -> Void) throws -> FittedNMF<Scalar> {
        try fitTransform(x, onEvent: onEvent).model
    }

    /// `fitTransform(x)` with `fit(_:onEvent:)`'s events.
    public func fitTransform(_ x: Matrix<Scalar>, onEvent: (FitEvent) -> Void) throws -> (model: FittedNMF<Scalar>, weights: Matrix<Scalar>) {
        var (w, h) = try initialFactors(x)
        let (n, d) = (x.rows, x.columns)
        let penalty = NMFPenalty(samples: n, features: d, alphaW: alphaW, alphaH: alphaH ?? alphaW, l1Ratio: l1Ratio)
        let report: FitReport
        switch solver {
        case .coordinateDescent:
            report = NMFCoordinateDescent.fit(x, w: &w, h: &h, updateH: true, penalty: penalty,
                                              tolerance: tolerance, maxIterations: maxIterations, onEvent: onEvent)
        case .multiplicativeUpdate:
            report = NMFMultiplicativeUpdate.fit(x, w: &w, h: &h, loss: betaLoss, updateH: true, penalty: penalty,
                                                 tolerance: tolerance, maxIterations: maxIterations, onEvent: onEvent)
        }
        let error = NMFLoss.error(x, w, h, loss: betaLoss)
        let model = FittedNMF(components: h, reconstructionError: error, report: report, configuration: self)
        return (model, w)
    }

    /// The starting factors W (n×k) and H (k×d) that `fit` iterates from (deterministic for the NNDSVD
    /// variants, seeded otherwise).
    /// - Throws: as `fit`, and `EstimatorError.invalidParameter` when an NNDSVD variant is asked
    ///   for more than min(n, d) components.
    /// - Complexity: see `NMFInitializationMethod`; dominated by one `syrk` of O(n·d·min(n, d)/2).
    public func initialFactors(_ x: Matrix<Scalar>) throws -> (w: Matrix<Scalar>, h: Matrix<Scalar>) {
        try validate(x)
        let (n, d) = (x.rows, x.columns)
        let method = initialization ?? (components <= Swift.min(n, d) ? .nndsvda : .random)
        if method != .random && components > Swift.min(n, d) {
            throw EstimatorError.invalidParameter(method: "NMF", name: "initialization",
                                                  reason: "\(method) needs components ≤ min(samples, features) = \(Swift.min(n, d)), got \(components)")
        }
        return try NMFInitialization.factors(x, components: components, method: method, seed: seed)
    }

    func validate(_ x: Matrix<Scalar>) throws {
        let method = "NMF"
        if x.rows < 1 || x.columns < 1 { throw EstimatorError.tooFewSamples(method: method, samples: x.rows, needed: 1) }
        try x.requireFiniteInput(for: method)
        if let i = x.storage.firstIndex(where: { $0 < 0 }) {
            throw EstimatorError.invalidData(method: method,
                                             reason: "negative value \(x.storage[i]) at row \(i / x.columns), column \(i % x.columns); NMF needs non-negative data")
        }
        if components < 1 {
            throw EstimatorError.invalidParameter(method: method, name: "components", reason: "must be at least 1, got \(components)")
        }
        if maxIterations < 1 {
            throw EstimatorError.invalidParameter(method: method, name: "maxIterations", reason: "must be at least 1, got \(maxIterations)")
        }
        if !(tolerance >= 0) {
            throw EstimatorError.invalidParameter(method: method, name: "tolerance", reason: "must be non-negative, got \(tolerance)")
        }
        if !(alphaW >= 0) || !((alphaH ?? 0) >= 0) {
            throw EstimatorError.invalidParameter(method: method, name: "alphaW/alphaH", reason: "must be non-negative")
        }
        if !(0...1).contains(l1Ratio) {
            throw EstimatorError.invalidParameter(method: method, name: "l1Ratio", reason: "must be in [0, 1], got \(l1Ratio)")
        }
        if solver == .coordinateDescent && betaLoss != .frobenius {
            throw EstimatorError.invalidParameter(method: method, name: "betaLoss",
                                                  reason: "\(betaLoss) needs the multiplicative-update solver")
        }
    }
}
