import LatentCore

/// Proximal-gradient lasso for one sample: ISTA and FISTA (Beck & Teboulle 2009, "A fast iterative
/// shrinkage-thresholding algorithm for linear inverse problems", SIAM J. Imaging Sci. 2(1)).
///
/// On `½zᵀGz − cᵀz + alpha‖z‖₁` (`G = D·Dᵀ`, `c = D·x`) the gradient of the smooth part is `G·y − c`
/// and its Lipschitz constant is `L = λ_max(G)`. Each iteration takes the step
/// `z⁺ = soft(y − (G·y − c)/L, alpha/L)` (clipped at 0 for non-negative codes); FISTA extrapolates
/// `y = z⁺ + ((t − 1)/t⁺)(z⁺ − z)` with `t⁺ = (1 + √(1 + 4t²))/2`, ISTA uses `y = z⁺`. An iteration
/// costs O(k²); the objective gap decays like O(1/t²) for FISTA and O(1/t) for ISTA. Stops when
/// `max|z⁺ − z| ≤ tolerance·max(1, max|z⁺|)`. `code` holds the warm start on entry.
enum ISTA {
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    @discardableResult
    static func encode<S: BLASScalar>(gram g: UnsafePointer<S>, atoms k: Int, cov c: UnsafePointer<S>,
                                      alpha: S, lipschitz: S, accelerated: Bool, maxIterations: Int, tolerance: S,
                                      positive: Bool, code z: UnsafeMutablePointer<S>,
                                      workspace ws: SparseCodingWorkspace<S>) -> Int {
        let y = ws.previous, grad = ws.direction, next = ws.extra
        guard lipschitz > 0 else {
            for j in 0..<k { z[j] = 0 }
            return 0
        }
        let step = 1 / lipschitz, shrink = alpha / lipschitz
        for j in 0..<k { y[j] = z[j] }
        var t: S = 1
        var iterations = 0
        for it in 0..<maxIterations {
            iterations = it + 1
            // grad = G·y − c (G symmetric: sum of rows scaled by y).
            for j in 0..<k { grad[j] = -c[j] }
            for a in 0..<k where y[a] != 0 { SparseKernels.axpy(k, y[a], g + a * k, grad) }
            var change: S = 0, largest: S = 0
            for j in 0..<k {
                let v = y[j] - step * grad[j]
                var s: S = 0
                let m = abs(v) - shrink
                if m > 0 { s = v < 0 ? -m : m }
                if positive && s < 0 { s = 0 }
                next[j] = s
                change = Swift.max(change, abs(s - z[j]))
                largest = Swift.max(largest, abs(s))
            }
            if accelerated {
                let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
                let momentum = (t - 1) / tNext
                for j in 0..<k { y[j] = next[j] + momentum * (next[j] - z[j]); z[j] = next[j] }
                t = tNext
            } else {
                for j in 0..<k { z[j] = next[j]; y[j] = next[j] }
            }
            if change <= tolerance * Swift.max(1, largest) { break }
        }
        return iterations
    }
}
