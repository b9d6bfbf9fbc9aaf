import LatentCore

/// Least angle regression of one sample on the Gram matrix (Efron, Hastie, Johnstone & Tibshirani
/// 2004, "Least angle regression"), plain or with the lasso modification, following
/// scikit-learn's `lars_path_gram` step for step.
///
/// With `G = D·Dᵀ` and `c = D·x`, the correlations `c − G·z` of the active atoms stay equal in
/// magnitude (`C`) while `z` moves along the equiangular direction `w = A·G_AA⁻¹·s_A`; each step
/// goes until an inactive atom's correlation catches up (it joins) or, for the lasso, an active
/// coefficient reaches zero (it leaves). The lasso variant stops when `C` falls to `alpha` and
/// interpolates back to it, giving the exact minimiser of `½‖x − z·D‖² + alpha‖z‖₁`.
/// A step costs O(k·|active|); the Cholesky factor of `G_AA` grows by one row per join.
enum LARS {
    /// Writes the code of one sample into `code` (length k).
    /// - Parameters:
    ///   - lasso: `true` for the lasso path (drops at zero crossings), `false` for plain LARS.
    ///   - alphaMin: stop when the maximal correlation reaches this value (0 for plain LARS).
    ///   - maxIterations: at most this many steps (the nonzero count for plain LARS).
    ///   - scale: scikit-learn's `n_samples` of the regression (the number of features), used only
    ///     for its equality tolerance on the scaled `alpha = C / scale`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func encode<S: BLASScalar>(gram g: UnsafePointer<S>, atoms k: Int, cov c: UnsafePointer<S>,
                                      lasso: Bool, alphaMin: S, maxIterations: Int, positive: Bool, scale: S,
                                      code z: UnsafeMutablePointer<S>, workspace ws: SparseCodingWorkspace<S>) {
        let corr = ws.corr, dirCorr = ws.direction, prev = ws.previous, w = ws.gammaBuffer
        let sign = ws.rhs, chol = ws.chol, active = ws.active, isActive = ws.isActive
        for j in 0..<k { corr[j] = c[j]; z[j] = 0; prev[j] = 0 }
        let eps = S.ulpOfOne                                  // LARS's `eps` argument (machine precision)
        let tiny32 = S(Float.leastNormalMagnitude)
        let equalityTolerance = S(Float.ulpOfOne) * scale     // on C rather than on C / scale
        var excluded = [Bool]()                               // degenerate atoms (rare), allocated lazily
        var n = 0, iteration = 0
        var drop = false
        var prevC: S = 0, level: S = 0
        var cMax: S = 0
        defer { for a in 0..<n { isActive[active[a]] = false } }

        while true {
            // The largest correlation among the inactive atoms.
            var pick = -1, signedC: S = 0
            cMax = 0
            for j in 0..<k where !isActive[j] && (excluded.isEmpty || !excluded[j]) {
                let v = positive ? corr[j] : abs(corr[j])
                if pick < 0 || v > cMax { cMax = v; pick = j; signedC = corr[j] }
            }
            // The active atoms' common correlation `level` is the path's real position. It equals the
            // largest inactive correlation except when no inactive atom is left, or, for
            // non-negative codes, after the final step to the least-squares point when every
            // inactive correlation is negative. scikit-learn then stops early or interpolates
            // towards the wrong end point (its positive lasso can miss the optimum); we use `level`.
            if iteration > 0 && (pick < 0 || (positive && cMax < level)) { cMax = level }
            if pick < 0 && iteration == 0 { cMax = 0 }
            if cMax <= alphaMin + equalityTolerance {
                if abs(cMax - alphaMin) > equalityTolerance && iteration > 0 {
                    // Interpolate back to where the correlation equals alphaMin.
                    let ss = (prevC - alphaMin) / (prevC - cMax)
                    for j in 0..<k { z[j] = prev[j] + ss * (z[j] - prev[j]) }
                }
                break
            }
            if iteration >= maxIterations { break }
            if !drop && pick >= 0 {
                // Extend the Cholesky factor of G_AA by the new atom.
                let rowN = chol + n * k
                let gp = g + pick * k
                for a in 0..<n { rowN[a] = gp[active[a]] }
                if n > 0 { SparseKernels.forwardSolve(chol, ld: k, n: n, rowN) }
                var v: S = 0
                for a in 0..<n { v += rowN[a] * rowN[a] }
                let diag = Swift.max(abs(gp[pick] - v).squareRoot(), eps)
                if diag < 1e-7 {
                    // Degenerate regressor: never pick it again (scikit-learn zeroes its covariance).
                    if excluded.isEmpty { excluded = [Bool](repeating: false, count: k) }
                    excluded[pick] = true
                    corr[pick] = 0
                    continue
                }
                rowN[n] = diag
                sign[n] = positive ? 1 : (signedC > 0 ? 1 : (signedC < 0 ? -1 : 0))
                active[n] = pick; isActive[pick] = true
                n += 1
            }
            if lasso && iteration > 0 && prevC < cMax { break }   // ill-conditioned: alpha went up

            // Equiangular direction: w = G_AA⁻¹ s, AA = 1/√(sᵀw), w ← AA·w.
            for a in 0..<n { w[a] = sign[a] }
            SparseKernels.forwardSolve(chol, ld: k, n: n, w)
            SparseKernels.backwardSolve(chol, ld: k, n: n, w)
            var aa: S
            if n == 1 && w[0] == 0 {
                w[0] = 1; aa = 1
            } else {
                var s: S = 0
                for a in 0..<n { s += w[a] * sign[a] }
                aa = 1 / s.squareRoot()
                if !aa.isFinite { aa = 1 / Swift.max(s, eps).squareRoot() }
                for a in 0..<n { w[a] *= aa }
            }
            // Correlation of every atom with the direction: G[:, A]·w.
            for j in 0..<k { dirCorr[j] = 0 }
            for a in 0..<n { SparseKernels.axpy(k, w[a], g + active[a] * k, dirCorr) }

            // Step length: the first inactive atom to tie, or the end of the path.
            var gamma = cMax / aa
            for j in 0..<k where !isActive[j] {
                let g1 = (cMax - corr[j]) / (aa - dirCorr[j] + tiny32)
                if g1 > 0 && g1 < gamma { gamma = g1 }
                if !positive {
                    let g2 = (cMax + corr[j]) / (aa + dirCorr[j] + tiny32)
                    if g2 > 0 && g2 < gamma { gamma = g2 }
                }
            }
            // Lasso modification: the first active coefficient to cross zero.
            drop = false
            var zPos = S.greatestFiniteMagnitude
            for a in 0..<n {
                let t = -z[active[a]] / (w[a] + tiny32)
                if t > 0 && t < zPos { zPos = t }
            }
            var dropCount = 0
            if zPos < gamma {
                for a in 0..<n where -z[active[a]] / (w[a] + tiny32) == zPos {
                    sign[a] = -sign[a]
                    dropCount += 1
                }
                if lasso { gamma = zPos }
                drop = true
            }
            iteration += 1
            prevC = cMax
            // Move: z_A += γ·w, correlations −= γ·G[:, A]·w; inactive coefficients are exactly 0.
            for j in 0..<k { prev[j] = z[j] }
            for a in 0..<n { z[active[a]] += gamma * w[a] }
            for j in 0..<k { corr[j] -= gamma * dirCorr[j] }
            level = cMax - gamma * aa

            if drop && lasso {
                // Remove the zero-crossing atoms and refactorise G_AA (drops are rare).
                var kept = 0
                for a in 0..<n {
                    let j = active[a]
                    if -prev[j] / (w[a] + tiny32) == zPos {
                        isActive[j] = false
                        z[j] = 0
                    } else {
                        active[kept] = j; sign[kept] = sign[a]; kept += 1
                    }
                }
                precondition(kept == n - dropCount, "LARS: inconsistent drop bookkeeping")
                n = kept
                // Exact correlations c_j − G_j·z of the inactive atoms (the dropped ones re-enter the pool).
                for j in 0..<k where !isActive[j] {
                    var s = c[j]
                    let gj = g + j * k
                    for a in 0..<n { s -= gj[active[a]] * z[active[a]] }
                    corr[j] = s
                }
                if !SparseKernels.refactor(gram: g, atoms: k, active: active, count: n, chol: chol) { break }
            }
        }
    }
}
