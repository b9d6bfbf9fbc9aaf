import LatentCore

/// Cyclic coordinate descent for Frobenius NMF (Cichocki & Phan 2009; Hsieh & Dhillon 2011),
/// scikit-learn's `solver='cd'`.
///
/// With `H` fixed, `½‖X − WH‖² + l1·ΣW + ½·l2·‖W‖²` is a separate non-negative least-squares
/// problem for each row `w` of W, with Gram matrix `G = HHᵀ` (k×k) and right side `b = X·Hᵀ`:
/// coordinate `t` moves to `max(0, w_t − ∇_t / G_tt)`, `∇ = G·w + l2·w − (b − l1)`. Updating H is the
/// same problem for `Hᵀ` with `WᵀW` and `XᵀW`. Rows are independent, so they are spread over
/// threads; within a row the coordinates go in order `0..<k`, which gives exactly scikit-learn's
/// updates (its loop order is coordinate-major, but each row only reads itself).
enum NMFCoordinateDescent {
    /// One pass over all coordinates of `w` (m×k) for Gram `g` (k×k) and right side `b` (m×k).
    /// Returns the sum of |projected gradient| before each move (scikit-learn's violation).
    /// - Complexity: O(m·k²).
    static func sweep<Scalar: BLASScalar>(_ w: inout Matrix<Scalar>, gram g: Matrix<Scalar>, rhs b: Matrix<Scalar>,
                                          l1: Double, l2: Double) -> Double {
        let (m, k) = (w.rows, w.columns)
        let (a1, a2) = (Scalar(l1), Scalar(l2))
        return g.storage.withUnsafeBufferPointer { pg in
            b.storage.withUnsafeBufferPointer { pb in
                w.storage.withUnsafeMutableBufferPointer { pw in
                    let (sg, sb, sw) = (pg.baseAddress!, pb.baseAddress!, pw.baseAddress!)
                    return NMFKernels.blockSum(count: m, block: Swift.max(16, (1 << 15) / Swift.max(1, k * k))) { rows in
                        var violation = 0.0
                        for i in rows {
                            let row = sw + i * k
                            for t in 0..<k {
                                let gt = sg + t * k
                                // ∇_t = G[t,:]·w + l2·w_t − b_t + l1, four accumulators for ILP
                                var s0: Scalar = 0, s1: Scalar = 0, s2: Scalar = 0, s3: Scalar = 0
                                var r = 0
                                while r + 4 <= k {
                                    s0 += gt[r] * row[r]; s1 += gt[r + 1] * row[r + 1]
                                    s2 += gt[r + 2] * row[r + 2]; s3 += gt[r + 3] * row[r + 3]
                                    r += 4
                                }
                                while r < k { s0 += gt[r] * row[r]; r += 1 }
                                let current = row[t]
                                let grad = (s0 + s1) + (s2 + s3) + a2 * current - sb[i * k + t] + a1
                                let projected = current == 0 ? Swift.min(0, grad) : grad
                                violation += Double(Swift.abs(projected))
                                let hess = gt[t] + a2
                                if hess != 0 { row[t] = Swift.max(current - grad / hess, 0) }
                            }
                        }
                        return violation
                    }
                }
            }
        }
    }

    /// Alternating coordinate descent from `w` (n×k), `h` (k×d). Stops when the violation falls
    /// to `tolerance` × the first iteration's violation, as scikit-learn. With `updateH` false only
    /// W moves (used by `transform`). The objective trace (½‖X − WH‖², unpenalised) is computed
    /// after each iteration from the products already formed, when `updateH` is true.
    /// - Complexity: per iteration two GEMMs of O(n·d·k) plus O((n + d)·k²).
    static func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>, w: inout Matrix<Scalar>, h: inout Matrix<Scalar>,
                                        updateH: Bool, penalty: NMFPenalty, tolerance: Double,
                                        maxIterations: Int) -> FitReport {
        let (n, d) = (x.rows, x.columns)
        let k = w.columns
        var ht = h.transposed                                   // d×k, rows are the H-problem's unknowns
        var xht = Matrix<Scalar>.zeros(n, k), xtw = Matrix<Scalar>.zeros(d, k)
        let normX = updateH ? NMFKernels.dot(x, x) : 0
        var objective = [Double]()
        var violationInit = 0.0, ratio = Double.infinity, iterations = 0, converged = false
        for iteration in 1...maxIterations {
            iterations = iteration
            // W step: G = HHᵀ, b = X·Hᵀ
            Matrix.gemm(x, ht, into: &xht)
            var violation = sweep(&w, gram: ht.gram(transpose: true), rhs: xht, l1: penalty.l1W, l2: penalty.l2W)
            if updateH {
                // H step: G = WᵀW, b = Xᵀ·W
                Matrix.gemm(x, w, into: &xtw, transposeA: true)
                let wtw = w.gram(transpose: true)
                violation += sweep(&ht, gram: wtw, rhs: xtw, l1: penalty.l1H, l2: penalty.l2H)
                // ½‖X − WH‖² = ½(‖X‖² − 2⟨Hᵀ, XᵀW⟩ + ⟨HHᵀ, WᵀW⟩)
                let cross = NMFKernels.dot(ht, xtw), quadratic = NMFKernels.dot(ht.gram(transpose: true), wtw)
                objective.append(Swift.max(0, (normX - 2 * cross + quadratic) / 2))
            }
            if iteration == 1 { violationInit = violation }
            if violationInit == 0 { ratio = 0; converged = true; break }
            ratio = violation / violationInit
            if ratio <= tolerance { converged = true; break }
        }
        if updateH { h = ht.transposed }
        return FitReport(iterations: iterations, finalChange: ratio, converged: converged, objective: objective)
    }
}
