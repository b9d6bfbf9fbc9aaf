import LatentCore

/// The beta-divergence between `X` and `W·H` that NMF minimises, computed exactly from the data
/// (scikit-learn's `_beta_divergence`).
enum NMFLoss {
    /// `½‖X − WH‖²_F` (Frobenius) or the generalised Kullback–Leibler divergence
    /// `Σ x·log(x / wh) − x + wh`, with `wh` floored at `NMFKernels.floor` and the logarithm
    /// taken only where `x > floor`, as scikit-learn does.
    /// - Complexity: one n×k×d GEMM and one pass over the n×d elements.
    static func divergence<Scalar: BLASScalar>(_ x: Matrix<Scalar>, _ w: Matrix<Scalar>, _ h: Matrix<Scalar>,
                                               loss: NMFBetaLoss) -> Double {
        let wh = Matrix.gemm(w, h)
        let count = x.count
        return x.storage.withUnsafeBufferPointer { px in
            wh.storage.withUnsafeBufferPointer { pw in
                let (sx, sw) = (px.baseAddress!, pw.baseAddress!)
                switch loss {
                case .frobenius:
                    return NMFKernels.blockSum(count: count) { range in
                        var s = 0.0
                        for i in range { let r = Double(sx[i]) - Double(sw[i]); s += r * r }
                        return s
                    } / 2
                case .kullbackLeibler:
                    let eps = NMFKernels.floor
                    let logPart = NMFKernels.blockSum(count: count) { range in
                        var s = 0.0
                        for i in range {
                            let xi = Double(sx[i])
                            if xi > eps { s += xi * Double.log(xi / Swift.max(Double(sw[i]), eps)) }
                        }
                        return s
                    }
                    // Σ WH over all elements = (column sums of W) · (row sums of H)
                    let wSum = w.sum(over: .rows), hSum = h.sum(over: .columns)
                    var sumWH = 0.0
                    for t in wSum.indices { sumWH += Double(wSum[t]) * Double(hSum[t]) }
                    var sumX = 0.0
                    for i in 0..<count where Double(sx[i]) > eps { sumX += Double(sx[i]) }
                    return logPart + sumWH - sumX
                }
            }
        }
    }

    /// `√(2·divergence)`: scikit-learn's `reconstruction_err_` (the Frobenius norm of `X − WH`
    /// for the Frobenius loss).
    static func error<Scalar: BLASScalar>(_ x: Matrix<Scalar>, _ w: Matrix<Scalar>, _ h: Matrix<Scalar>,
                                          loss: NMFBetaLoss) -> Double {
        (2 * Swift.max(0, divergence(x, w, h, loss: loss))).squareRoot()
    }
}

/// The L1 and L2 penalties on W and H, scaled as in scikit-learn ≥ 1.0:
/// `l1W = d·αW·ρ`, `l2W = d·αW·(1 − ρ)`, `l1H = n·αH·ρ`, `l2H = n·αH·(1 − ρ)` for n samples, d features.
struct NMFPenalty: Sendable {
    var l1W = 0.0, l2W = 0.0, l1H = 0.0, l2H = 0.0

    init(samples n: Int, features d: Int, alphaW: Double, alphaH: Double, l1Ratio: Double) {
        l1W = Double(d) * alphaW * l1Ratio
        l2W = Double(d) * alphaW * (1 - l1Ratio)
        l1H = Double(n) * alphaH * l1Ratio
        l2H = Double(n) * alphaH * (1 - l1Ratio)
    }
}
