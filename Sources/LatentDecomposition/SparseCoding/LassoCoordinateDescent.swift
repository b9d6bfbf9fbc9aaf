import LatentCore

/// The lasso `min_z ½‖x − z·D‖² + alpha‖z‖₁` for one sample by cyclic coordinate descent on the
/// Gram matrix (Friedman, Hastie & Tibshirani 2010; scikit-learn's `enet_coordinate_descent_gram`).
///
/// In Gram form the objective is `½zᵀGz − cᵀz + alpha‖z‖₁` with `G = D·Dᵀ`, `c = D·x`. The solver
/// keeps `h = G·z` up to date, so updating coordinate `j` is a soft threshold of `c_j − (h_j − G_jj z_j)`
/// and one O(k) correction of `h`. A sweep costs O(k·nnz). It stops when the largest coordinate
/// change relative to the largest coefficient is below `tolerance` *and* the duality gap is at
/// most `tolerance·‖x‖²`, or after `maxIterations` sweeps. `code` holds the warm start on entry.
/// The tolerances are floored at 16ε (step) and 64ε (gap), which only matters for `Float`.
enum LassoCoordinateDescent {
    /// Runs the sweeps in place on `code` (length k); returns the number of sweeps.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    @discardableResult
    static func encode<S: BLASScalar>(gram g: UnsafePointer<S>, atoms k: Int, cov c: UnsafePointer<S>,
                                      alpha: S, maxIterations: Int, tolerance: S, positive: Bool, normSquared: S,
                                      code w: UnsafeMutablePointer<S>, workspace ws: SparseCodingWorkspace<S>) -> Int {
        let h = ws.corr
        for j in 0..<k { h[j] = 0 }
        for a in 0..<k where w[a] != 0 { SparseKernels.axpy(k, w[a], g + a * k, h) }
        // Rounding limits how small the measured gap and relative step can get (≈ ε·‖x‖²), so the
        // tolerances are floored at a small multiple of ε: a Float solve with scikit-learn's 1e-8
        // would otherwise always run to maxIterations (as scikit-learn's float32 path does).
        let tolerance = Swift.max(tolerance, 16 * S.ulpOfOne)
        let gapTolerance = Swift.max(tolerance, 64 * S.ulpOfOne) * normSquared
        var sweeps = 0
        for sweep in 0..<maxIterations {
            sweeps = sweep + 1
            var wMax: S = 0, dwMax: S = 0
            for j in 0..<k {
                let gjj = g[j * k + j]
                if gjj == 0 { continue }
                let old = w[j]
                let gj = g + j * k
                if old != 0 { SparseKernels.axpy(k, -old, gj, h) }
                let t = c[j] - h[j]
                var new: S = 0
                if !(positive && t < 0) {
                    let m = abs(t) - alpha
                    if m > 0 { new = (t < 0 ? -m : m) / gjj }
                }
                w[j] = new
                if new != 0 { SparseKernels.axpy(k, new, gj, h) }
                dwMax = Swift.max(dwMax, abs(new - old))
                wMax = Swift.max(wMax, abs(new))
            }
            if wMax == 0 || dwMax / wMax < tolerance || sweep == maxIterations - 1 {
                // Duality gap (scikit-learn's formula with beta = 0).
                var cw: S = 0, wh: S = 0, l1: S = 0, dual: S = 0
                for j in 0..<k {
                    cw += c[j] * w[j]; wh += w[j] * h[j]; l1 += abs(w[j])
                    let r = c[j] - h[j]
                    dual = Swift.max(dual, positive ? r : abs(r))
                }
                let rNorm2 = normSquared + wh - 2 * cw
                var gap: S
                let scale: S
                if dual > alpha {
                    scale = alpha / dual
                    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale)
                } else {
                    scale = 1
                    gap = rNorm2
                }
                gap += alpha * l1 - scale * (normSquared - cw)
                if gap < gapTolerance { break }
            }
        }
        return sweeps
    }
}
