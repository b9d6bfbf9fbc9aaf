import LatentCore

/// Cyclic coordinate descent for Frobenius NMF (Cichocki & Phan 2009; Hsieh & Dhillon 2011),
/// scikit-learn's `solver='cd'`.
///
/// With `H` fixed, `½‖X − WH‖² + l1·ΣW + ½·l2·‖W‖²` is a separate non-negative least-squares
/// problem for each row `w` of W, with Gram matrix `G = HHᵀ` (k×k) and right side `b = X·Hᵀ`:
/// coordinate `t` moves to `max(0, w_t − ∇_t / (G_tt + l2))`, `∇ = G·w + l2·w − (b − l1)`. Updating H
/// is the same problem for `Hᵀ` with `WᵀW` and `XᵀW`. Rows are independent, so they are spread over
/// threads; within a row the coordinates go in order `0..<k`, which gives scikit-learn's updates
/// (its loop order is coordinate-major, but each row only reads itself) up to rounding.
enum NMFCoordinateDescent {
    /// One pass over all coordinates of `w` (m×k) for Gram `g` (k×k) and right side `b` (m×k).
    /// Returns the sum of |projected gradient| before each move (scikit-learn's violation).
    ///
    /// The gradients of all rows start as one GEMM, `∇ = W·(G + l2·I) − B + l1`; after coordinate
    /// `t` of a row moves by δ, that row's gradient is updated by `δ·(G + l2·I)[t, :]` (an axpy
    /// that vectorises, skipped when the coordinate stays at zero). This is the same arithmetic as
    /// recomputing each gradient by a dot product (scikit-learn's loop), in a cache-friendly order.
    /// - Complexity: O(m·k²), a third of it in the GEMM.
    static func sweep<Scalar: BLASScalar>(_ w: inout Matrix<Scalar>, gram g: Matrix<Scalar>, rhs b: Matrix<Scalar>,
                                          l1: Double, l2: Double, gradient: inout Matrix<Scalar>) -> Double {
        let (m, k) = (w.rows, w.columns)
        var shifted = g                                               // G + l2·I
        if l2 != 0 { for t in 0..<k { shifted.storage[t * k + t] += Scalar(l2) } }
        Matrix.gemm(w, shifted, into: &gradient)                      // W·(G + l2·I), m×k
        let a1 = Scalar(l1)
        return shifted.storage.withUnsafeBufferPointer { pg in
            b.storage.withUnsafeBufferPointer { pb in
                w.storage.withUnsafeMutableBufferPointer { pw in
                    gradient.storage.withUnsafeMutableBufferPointer { pd in
                        let (sg, sb, sw, sd) = (pg.baseAddress!, pb.baseAddress!, pw.baseAddress!, pd.baseAddress!)
                        return NMFKernels.blockSum(count: m, block: Swift.max(16, (1 << 15) / Swift.max(1, k * k))) { rows in
                            var violation = 0.0
                            for i in rows {
                                let row = sw + i * k, grad = sd + i * k, rhs = sb + i * k
                                for r in 0..<k { grad[r] += a1 - rhs[r] }
                                for t in 0..<k {
                                    let current = row[t], gt = grad[t]
                                    let projected = current == 0 ? Swift.min(0, gt) : gt
                                    violation += Double(Swift.abs(projected))
                                    let gRow = sg + t * k
                                    let hess = gRow[t]
                                    guard hess != 0 else { continue }
                                    let next = Swift.max(current - gt / hess, 0)
                                    let delta = next - current
                                    if delta != 0 {
                                        row[t] = next
                                        for r in 0..<k { grad[r] += delta * gRow[r] }
                                    }
                                }
                            }
                            return violation
                        }
                    }
                }
            }
        }
    }

    /// Alternating coordinate descent from `w` (n×k), `h` (k×d). Stops when the violation falls
    /// to `tolerance` × the first iteration's violation, as scikit-learn. With `updateH` false only
    /// W moves (used by `transform`). The objective trace (½‖X − WH‖², unpenalised) is computed
    /// after each iteration from the products already formed, when `updateH` is true; `onEvent`
    /// hears a `.step` per iteration with that objective as its cost.
    /// - Complexity: per iteration two GEMMs of O(n·d·k) plus O((n + d)·k²).
    static func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>, w: inout Matrix<Scalar>, h: inout Matrix<Scalar>,
                                        updateH: Bool, penalty: NMFPenalty, tolerance: Double,
                                        maxIterations: Int, onEvent: (FitEvent) -> Void = { _ in }) -> FitReport {
        let (n, d) = (x.rows, x.columns)
        let k = w.columns
        var ht = h.transposed                                   // d×k, rows are the H-problem's unknowns
        var xht = Matrix<Scalar>.zeros(n, k), xtw = Matrix<Scalar>.zeros(d, k)
        var gradientW = Matrix<Scalar>.zeros(n, k), gradientH = Matrix<Scalar>.zeros(d, k)
        let normX = updateH ? NMFKernels.dot(x, x) : 0
        var objective = [Double]()
        var violationInit = 0.0, ratio = Double.infinity, iterations = 0, converged = false
        for iteration in 1...maxIterations {
            iterations = iteration
            // W step: G = HHᵀ, b = X·Hᵀ
            Matrix.gemm(x, ht, into: &xht)
            var violation = sweep(&w, gram: ht.gram(transpose: true), rhs: xht, l1: penalty.l1W, l2: penalty.l2W, gradient: &gradientW)
            if updateH {
                // H step: G = WᵀW, b = Xᵀ·W
                Matrix.gemm(x, w, into: &xtw, transposeA: true)
                let wtw = w.gram(transpose: true)
                violation += sweep(&ht, gram: wtw, rhs: xtw, l1: penalty.l1H, l2: penalty.l2H, gradient: &gradientH)
                // ½‖X − WH‖² = ½(‖X‖² − 2⟨Hᵀ, XᵀW⟩ + ⟨HHᵀ, WᵀW⟩)
                let cross = NMFKernels.dot(ht, xtw), quadratic = NMFKernels.dot(ht.gram(transpose: true), wtw)
                objective.append(Swift.max(0, (normX - 2 * cross + quadratic) / 2))
            }
            onEvent(.step(step: iteration, steps: maxIterations, epoch: iteration, cost: objective.last))
            if iteration == 1 { violationInit = violation }
            if violationInit == 0 { ratio = 0; converged = true; break }
            ratio = violation / violationInit
            if ratio <= tolerance { converged = true; break }
        }
        if updateH { h = ht.transposed }
        return FitReport(iterations: iterations, finalChange: ratio, converged: converged, objective: objective)
    }
}
