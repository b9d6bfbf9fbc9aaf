import LatentCore

/// Multiplicative updates for NMF (Lee & Seung 2001; Févotte & Idier 2011 for the β-divergence),
/// scikit-learn's `solver='mu'` for the Frobenius (β = 2) and generalised Kullback–Leibler (β = 1) losses.
///
/// Frobenius: `W ← W ⊙ (XHᵀ) ⊘ (WHHᵀ + l1 + l2·W)`, `H ← H ⊙ (WᵀX) ⊘ (WᵀWH + l1 + l2·H)`.
/// Kullback–Leibler: `W ← W ⊙ ((X ⊘ WH)Hᵀ) ⊘ (1·Hᵀ + l1 + l2·W)`,
/// `H ← H ⊙ (Wᵀ(X ⊘ WH)) ⊘ (Wᵀ1 + l1 + l2·H)`, then entries of H below double-precision ε are zeroed.
enum NMFMultiplicativeUpdate {
    /// Runs up to `maxIterations` updates. Every 10 iterations (when `tolerance > 0`) the error
    /// `√(2·divergence)` is computed and the fit stops when it fell by less than
    /// `tolerance × the initial error` since the last check, as scikit-learn. The objective trace
    /// holds the divergence after every iteration for the Frobenius loss (from products already
    /// formed) and after every 10th iteration for Kullback–Leibler (each costs a GEMM and logarithms);
    /// `onEvent` hears a `.step` per iteration, with the trace's new value as its cost where there is one.
    /// - Complexity: per iteration O(n·d·k) in GEMMs (two for Frobenius, four for KL) plus
    ///   O(n·d) elementwise work for KL.
    static func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>, w: inout Matrix<Scalar>, h: inout Matrix<Scalar>,
                                        loss: NMFBetaLoss, updateH: Bool, penalty: NMFPenalty, tolerance: Double,
                                        maxIterations: Int, onEvent: (FitEvent) -> Void = { _ in }) -> FitReport {
        let (n, d) = (x.rows, x.columns)
        let k = w.columns
        let errorAtInit = tolerance > 0 ? NMFLoss.error(x, w, h, loss: loss) : 0
        var previousError = errorAtInit
        let normX = loss == .frobenius && updateH ? NMFKernels.dot(x, x) : 0
        var objective = [Double]()
        var iterations = 0, change = Double.infinity, converged = false

        // Buffers reused across iterations.
        var xht = Matrix<Scalar>.zeros(n, k), denominatorW = Matrix<Scalar>.zeros(n, k)
        var wtx = Matrix<Scalar>.zeros(k, d), denominatorH = Matrix<Scalar>.zeros(k, d)
        var wh = loss == .kullbackLeibler ? Matrix<Scalar>.zeros(n, d) : .zeros(0, 0)
        var hht = Matrix<Scalar>.zeros(k, k)
        var cached = false   // X·Hᵀ and HHᵀ stay valid while H is fixed

        for iteration in 1...maxIterations {
            iterations = iteration
            // --- W step
            switch loss {
            case .frobenius:
                if !cached {
                    Matrix.gemm(x, h, into: &xht, transposeB: true)
                    hht = h.gram(transpose: false)
                    cached = !updateH
                }
                Matrix.gemm(w, hht, into: &denominatorW)
                NMFKernels.multiplicativeStep(&w, numerator: xht, denominator: denominatorW, l1: penalty.l1W, l2: penalty.l2W)
            case .kullbackLeibler:
                Matrix.gemm(w, h, into: &wh)
                NMFKernels.klRatio(x, into: &wh)
                Matrix.gemm(wh, h, into: &xht, transposeB: true)
                let hSum = h.sum(over: .columns)                                   // k
                fillRows(&denominatorW, with: hSum)
                NMFKernels.multiplicativeStep(&w, numerator: xht, denominator: denominatorW, l1: penalty.l1W, l2: penalty.l2W)
            }
            // --- H step
            if updateH {
                switch loss {
                case .frobenius:
                    Matrix.gemm(w, x, into: &wtx, transposeA: true)
                    let wtw = w.gram(transpose: true)
                    Matrix.gemm(wtw, h, into: &denominatorH)
                    NMFKernels.multiplicativeStep(&h, numerator: wtx, denominator: denominatorH, l1: penalty.l1H, l2: penalty.l2H)
                    // ½‖X − WH‖² = ½(‖X‖² − 2⟨H, WᵀX⟩ + ⟨HHᵀ, WᵀW⟩) for the new H
                    let cross = NMFKernels.dot(h, wtx), quadratic = NMFKernels.dot(h.gram(transpose: false), wtw)
                    objective.append(Swift.max(0, (normX - 2 * cross + quadratic) / 2))
                case .kullbackLeibler:
                    Matrix.gemm(w, h, into: &wh)
                    NMFKernels.klRatio(x, into: &wh)
                    Matrix.gemm(w, wh, into: &wtx, transposeA: true)
                    let wSum = w.sum(over: .rows).map { $0 == 0 ? 1 : $0 }           // k
                    fillColumns(&denominatorH, with: wSum)
                    NMFKernels.multiplicativeStep(&h, numerator: wtx, denominator: denominatorH, l1: penalty.l1H, l2: penalty.l2H)
                    NMFKernels.zeroBelow(&h, Double.ulpOfOne)
                }
            }
            // --- convergence every 10 iterations
            let check = tolerance > 0 && iteration % 10 == 0
            var stop = false
            if check || (loss == .kullbackLeibler && updateH && iteration % 10 == 0) {
                let divergence = NMFLoss.divergence(x, w, h, loss: loss)
                if loss == .kullbackLeibler && updateH { objective.append(divergence) }
                if check {
                    let error = (2 * Swift.max(0, divergence)).squareRoot()
                    change = (previousError - error) / errorAtInit
                    if change < tolerance { converged = true; stop = true } else { previousError = error }
                }
            }
            let fresh = loss == .frobenius || iteration % 10 == 0        // KL's trace grows every 10th iteration only
            onEvent(.step(step: iteration, steps: maxIterations, epoch: iteration, cost: updateH && fresh ? objective.last : nil))
            if stop { break }
        }
        return FitReport(iterations: iterations, finalChange: change, converged: converged, objective: objective)
    }

    /// Every row of `m` set to `values` (one per column).
    private static func fillRows<Scalar: BLASScalar>(_ m: inout Matrix<Scalar>, with values: [Scalar]) {
        let c = m.columns
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<m.rows { for j in 0..<c { p[i * c + j] = values[j] } }
        }
    }

    /// Every column of `m` set to `values` (one per row).
    private static func fillColumns<Scalar: BLASScalar>(_ m: inout Matrix<Scalar>, with values: [Scalar]) {
        let c = m.columns
        m.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<m.rows { for j in 0..<c { p[i * c + j] = values[i] } }
        }
    }
}
