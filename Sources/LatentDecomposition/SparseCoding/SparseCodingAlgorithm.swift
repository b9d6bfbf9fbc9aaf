import LatentCore

/// How `SparseCoder` finds the code `z` (one row per sample, one entry per atom) of a sample `x`
/// against a dictionary `D` (atoms × features, rows of unit norm), as scikit-learn's `sparse_encode`.
///
/// The lasso algorithms all minimise the same per-sample objective
/// `½‖x − z·D‖² + alpha·‖z‖₁` (scikit-learn's `regularization`; its `Lasso`/`LassoLars` see
/// `alpha / n_features` because they divide the squared error by `n_features`).
public enum SparseCodingAlgorithm: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Orthogonal matching pursuit with exactly `nonzeros` greedy atoms (fewer when the residual
    /// vanishes), by Cholesky updates on the Gram matrix (Rubinstein et al. 2008, "Efficient
    /// implementation of the K-SVD algorithm using batch OMP"; scikit-learn's `orthogonal_mp_gram`).
    case omp(nonzeros: Int)
    /// Orthogonal matching pursuit that adds atoms until the squared residual `‖x − z·D‖²` is at
    /// most `squaredResidual` (`orthogonal_mp_gram(tol=…)`).
    case ompTolerance(squaredResidual: Double)
    /// Least angle regression (Efron et al. 2004) stopped after `nonzeros` steps (`Lars(n_nonzero_coefs=…)`).
    case lars(nonzeros: Int)
    /// The exact lasso solution by the LARS homotopy with the lasso modification (`LassoLars`).
    case lassoLARS(alpha: Double, maxIterations: Int = 1000)
    /// The lasso by cyclic coordinate descent on the Gram matrix (`Lasso(precompute=gram)`), stopping
    /// when the duality gap is at most `tolerance · ‖x‖²`; warm-startable.
    case lassoCD(alpha: Double, maxIterations: Int = 1000, tolerance: Double = 1e-8)
    /// Iterative shrinkage-thresholding with step `1/L`, `L` the largest eigenvalue of `D·Dᵀ`.
    case ista(alpha: Double, maxIterations: Int = 1000, tolerance: Double = 1e-8)
    /// ISTA with Nesterov momentum (Beck & Teboulle 2009, "A fast iterative shrinkage-thresholding
    /// algorithm", FISTA with constant step `1/L`).
    case fista(alpha: Double, maxIterations: Int = 1000, tolerance: Double = 1e-8)
    /// Soft thresholding of the correlations: `sign(x·Dᵀ)·max(|x·Dᵀ| − alpha, 0)` (no solve).
    case threshold(alpha: Double)

    /// The l1 weight of the lasso-type algorithms, `nil` for the greedy ones.
    public var alpha: Double? {
        switch self {
        case let .lassoLARS(alpha, _), let .lassoCD(alpha, _, _), let .ista(alpha, _, _),
             let .fista(alpha, _, _), let .threshold(alpha):
            return alpha
        case .omp, .ompTolerance, .lars:
            return nil
        }
    }

    /// Whether the algorithm supports non-negative codes (`positive=True` in scikit-learn).
    public var supportsPositive: Bool {
        switch self {
        case .omp, .ompTolerance, .lars: return false
        default: return true
        }
    }

    /// The case and its main parameter, e.g. `lassoLARS(alpha: 0.1)`.
    public var description: String {
        switch self {
        case let .omp(k): return "omp(nonzeros: \(k))"
        case let .ompTolerance(t): return "omp(squaredResidual: \(t))"
        case let .lars(k): return "lars(nonzeros: \(k))"
        case let .lassoLARS(a, _): return "lassoLARS(alpha: \(a))"
        case let .lassoCD(a, _, _): return "lassoCD(alpha: \(a))"
        case let .ista(a, _, _): return "ista(alpha: \(a))"
        case let .fista(a, _, _): return "fista(alpha: \(a))"
        case let .threshold(a): return "threshold(alpha: \(a))"
        }
    }

    /// Throws `EstimatorError.invalidParameter` for out-of-range settings, given the number of atoms.
    func validate(atoms: Int, positive: Bool, method: String) throws {
        func bad(_ name: String, _ reason: String) -> EstimatorError {
            .invalidParameter(method: method, name: name, reason: reason)
        }
        switch self {
        case let .omp(k), let .lars(k):
            guard k >= 1 && k <= atoms else { throw bad("nonzeros", "must be in 1...\(atoms) (the number of atoms), got \(k)") }
        case let .ompTolerance(t):
            guard t >= 0 && t.isFinite else { throw bad("squaredResidual", "must be finite and ≥ 0, got \(t)") }
        case let .lassoLARS(a, it):
            guard a >= 0 && a.isFinite else { throw bad("alpha", "must be finite and ≥ 0, got \(a)") }
            guard it >= 1 else { throw bad("maxIterations", "must be ≥ 1, got \(it)") }
        case let .lassoCD(a, it, tol), let .ista(a, it, tol), let .fista(a, it, tol):
            guard a >= 0 && a.isFinite else { throw bad("alpha", "must be finite and ≥ 0, got \(a)") }
            guard it >= 1 else { throw bad("maxIterations", "must be ≥ 1, got \(it)") }
            guard tol >= 0 && tol.isFinite else { throw bad("tolerance", "must be finite and ≥ 0, got \(tol)") }
        case let .threshold(a):
            guard a >= 0 && a.isFinite else { throw bad("alpha", "must be finite and ≥ 0, got \(a)") }
        }
        if positive && !supportsPositive {
            throw bad("positive", "is not supported by \(self) (as in scikit-learn)")
        }
    }
}
