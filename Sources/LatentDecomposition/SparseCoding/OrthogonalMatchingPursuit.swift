import LatentCore

/// Orthogonal matching pursuit of one sample on the Gram matrix ("batch OMP", Rubinstein, Zibulevsky
/// & Elad 2008, algorithm 3; scikit-learn's `_gram_omp`).
///
/// With `G = D·Dᵀ` (k × k) and `c = D·x` (k), each step picks the atom with the largest residual
/// correlation `|c − G·z|`, extends the Cholesky factor of `G[active, active]` by one row, and
/// re-solves `G[active, active]·z_active = c_active` by two triangular solves. Nothing touches
/// the feature dimension, so a step costs O(k·|active|).
enum OrthogonalMatchingPursuit {
    /// Writes the code of one sample into `code` (length k, zeroed first).
    /// - Parameters:
    ///   - maxAtoms: the target number of nonzeros (ignored when `squaredResidual` is given).
    ///   - squaredResidual: stop once `‖x − z·D‖² ≤ squaredResidual`; needs `normSquared = ‖x‖²`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func encode<S: BLASScalar>(gram g: UnsafePointer<S>, atoms k: Int, cov c: UnsafePointer<S>,
                                      maxAtoms: Int, squaredResidual: S?, normSquared: S,
                                      code: UnsafeMutablePointer<S>, workspace ws: SparseCodingWorkspace<S>) {
        let corr = ws.corr, chol = ws.chol, active = ws.active, isActive = ws.isActive
        let gamma = ws.gammaBuffer, cActive = ws.rhs, beta = ws.direction
        for j in 0..<k { corr[j] = c[j]; code[j] = 0 }
        let minFloat = S.ulpOfOne
        let maxFeatures = squaredResidual == nil ? maxAtoms : k
        var tolCurrent = normSquared, delta: S = 0
        var n = 0
        while true {
            // The atom most correlated with the residual.
            var lam = 0, best: S = -1
            for j in 0..<k where abs(corr[j]) > best { best = abs(corr[j]); lam = j }
            if isActive[lam] || corr[lam] * corr[lam] < minFloat { break }   // no progress possible
            // Extend the Cholesky factor: L[n, :n] = L⁻¹·G[active, lam], L[n, n] = √(G[lam, lam] − ‖·‖²).
            let rowN = chol + n * k
            if n > 0 {
                let gl = g + lam * k
                for a in 0..<n { rowN[a] = gl[active[a]] }
                SparseKernels.forwardSolve(chol, ld: k, n: n, rowN)
                var v: S = 0
                for a in 0..<n { v += rowN[a] * rowN[a] }
                let lkk = g[lam * k + lam] - v
                if lkk <= minFloat { break }   // the new atom depends on the active ones
                rowN[n] = lkk.squareRoot()
            } else {
                rowN[0] = g[lam * k + lam].squareRoot()
            }
            active[n] = lam; isActive[lam] = true; cActive[n] = c[lam]
            n += 1
            // γ = G[A, A]⁻¹ c_A by LLᵀ.
            for a in 0..<n { gamma[a] = cActive[a] }
            SparseKernels.forwardSolve(chol, ld: k, n: n, gamma)
            SparseKernels.backwardSolve(chol, ld: k, n: n, gamma)
            // β = G[:, A]·γ, residual correlations c − β.
            for j in 0..<k { beta[j] = 0 }
            for a in 0..<n { SparseKernels.axpy(k, gamma[a], g + active[a] * k, beta) }
            for j in 0..<k { corr[j] = c[j] - beta[j] }
            if let tol = squaredResidual {
                // ‖r‖² = ‖x‖² − γᵀβ_A, tracked incrementally as in Rubinstein et al. (step 11).
                tolCurrent += delta
                delta = 0
                for a in 0..<n { delta += gamma[a] * beta[active[a]] }
                tolCurrent -= delta
                if abs(tolCurrent) <= tol { break }
            } else if n == maxFeatures {
                break
            }
        }
        for a in 0..<n { code[active[a]] = gamma[a]; isActive[active[a]] = false }
    }
}
