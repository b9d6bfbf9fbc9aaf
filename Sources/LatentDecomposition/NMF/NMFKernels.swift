import LatentCore

/// Elementwise loops of the NMF solvers: unsafe pointers, split over `Parallel.threadCount`
/// threads in fixed blocks whose partial sums are added in block order (so results do not
/// depend on the thread count's timing).
enum NMFKernels {
    /// scikit-learn's `EPSILON`: single-precision machine epsilon, used as a floor for `W·H` and
    /// for zero denominators whatever the element type.
    static let floor = Double(Float.ulpOfOne)

    /// `Σ body(block)` over blocks of `block` indices covering `0..<count`, computed in parallel
    /// and added in block order. - Complexity: that of `body` over all indices.
    static func blockSum(count: Int, block: Int = 1 << 14, _ body: (Range<Int>) -> Double) -> Double {
        let blocks = (count + block - 1) / block
        guard blocks > 1 else { return count > 0 ? body(0..<count) : 0 }
        var partial = [Double](repeating: 0, count: blocks)
        partial.withUnsafeMutableBufferPointer { out in
            let p = out.baseAddress!
            Parallel.forEachChunk(count: blocks, minimumPerThread: 2) { range in
                for b in range { p[b] = body(b * block ..< Swift.min(count, (b + 1) * block)) }
            }
        }
        return partial.reduce(0, +)
    }

    /// The multiplicative step `m ← m ⊙ numerator ⊘ (denominator + l1 + l2·m)`, a zero
    /// denominator replaced by `floor` (Lee & Seung 2001 with scikit-learn's regularisation).
    static func multiplicativeStep<Scalar: BLASScalar>(_ m: inout Matrix<Scalar>, numerator: Matrix<Scalar>,
                                                       denominator: Matrix<Scalar>, l1: Double, l2: Double) {
        let (a, b, eps) = (Scalar(l1), Scalar(l2), Scalar(floor))
        let count = m.count
        numerator.storage.withUnsafeBufferPointer { num in
            denominator.storage.withUnsafeBufferPointer { den in
                m.storage.withUnsafeMutableBufferPointer { out in
                    let (pn, pd, po) = (num.baseAddress!, den.baseAddress!, out.baseAddress!)
                    Parallel.forEachChunk(count: count, minimumPerThread: 1 << 15) { range in
                        for i in range {
                            var d = pd[i] + a + b * po[i]
                            if d == 0 { d = eps }
                            po[i] *= pn[i] / d
                        }
                    }
                }
            }
        }
    }

    /// `wh ← x ⊘ max(wh, floor)`, in place: the ratio of the generalised Kullback–Leibler updates.
    static func klRatio<Scalar: BLASScalar>(_ x: Matrix<Scalar>, into wh: inout Matrix<Scalar>) {
        let eps = Scalar(floor)
        let count = x.count
        x.storage.withUnsafeBufferPointer { px in
            wh.storage.withUnsafeMutableBufferPointer { pw in
                let (sx, sw) = (px.baseAddress!, pw.baseAddress!)
                Parallel.forEachChunk(count: count, minimumPerThread: 1 << 15) { range in
                    for i in range { sw[i] = sx[i] / Swift.max(sw[i], eps) }
                }
            }
        }
    }

    /// Sets elements below `threshold` to zero.
    static func zeroBelow<Scalar: BLASScalar>(_ m: inout Matrix<Scalar>, _ threshold: Double) {
        let t = Scalar(threshold)
        m.apply { $0 < t ? 0 : $0 }
    }

    /// `Σ a[i]·b[i]` accumulated in Double.
    static func dot<Scalar: BLASScalar>(_ a: Matrix<Scalar>, _ b: Matrix<Scalar>) -> Double {
        precondition(a.count == b.count, "NMF dot: \(a.shapeDescription) and \(b.shapeDescription)")
        return a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                let (sa, sb) = (pa.baseAddress!, pb.baseAddress!)
                return blockSum(count: a.count) { range in
                    var s = 0.0
                    for i in range { s += Double(sa[i]) * Double(sb[i]) }
                    return s
                }
            }
        }
    }
}
