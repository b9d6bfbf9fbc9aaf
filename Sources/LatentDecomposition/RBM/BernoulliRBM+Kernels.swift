import LatentCore

/// The elementwise kernels of the Bernoulli RBM: logistic sigmoid with a broadcast bias, softplus,
/// and Bernoulli sampling. Each runs over raw buffers, split across `Parallel.threadCount` threads
/// for large matrices; the sampler gives the same bits whatever the thread count. The loops are
/// pre-specialised for `Float` and `Double` (`@_specialize`), so callers that stay generic across
/// module boundaries still run concrete code rather than witness-table calls per element.
enum RBMKernels {
    /// Elements per parallel chunk below which a loop stays on one thread: `exp` costs a few
    /// nanoseconds, so ~8k elements outweigh the ~10 µs it takes to wake a thread.
    static let minimumPerThread = 8192

    /// Elements drawn from one derived generator in `sampleBernoulli`; fixed, so the samples do not
    /// depend on how many threads run.
    static let samplingBlock = 4096

    /// `σ(x) = 1 / (1 + e^{−x})`, written so that neither branch overflows.
    @inline(__always)
    static func sigmoid<S: BLASScalar>(_ x: S) -> S {
        if x >= 0 { return 1 / (1 + S.exp(-x)) }
        let e = S.exp(x)
        return e / (1 + e)
    }

    /// `e^x` for Float without branches or calls, so that loops over it vectorise: Cephes' `expf`
    /// (Moshier 1989). x = n·ln 2 + r with |r| ≤ ln 2 / 2 (n by the 1.5·2²³ rounding trick, ln 2 split
    /// in two for an exact product), e^r by a degree-7 polynomial, 2ⁿ built in the exponent bits.
    /// Relative error below 2·10⁻⁷ (about 2 ulp); the input is clamped to [−87, 88], so the result
    /// stays a normal, finite number (e^−87 ≈ 1.6·10⁻³⁸, e^88 ≈ 1.7·10³⁸).
    @inline(__always)
    static func fastExp(_ x: Float) -> Float {
        let clamped = x < -87 ? -87 : (x > 88 ? 88 : x)
        let shifter: Float = 12_582_912            // 1.5·2²³: adding it rounds to an integer
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter                  // round(x / ln 2)
        var r = clamped - n * 0.693_359_375        // ln 2 = 0.693359375 − 2.12194440e−4
        r = r + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 0.166_666_655
        p = p * r + 0.500_000_01
        p = p * r * r + r + 1
        let exponent = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: shifter.bitPattern)   // n
        let scale = Float(bitPattern: UInt32(bitPattern: (exponent &+ 127) &<< 23))
        return p * scale
    }

    /// `softplus(x) = log(1 + e^x)`, stable for large |x|: `max(x, 0) + log1p(e^{−|x|})`.
    @inline(__always)
    static func softplus<S: BLASScalar>(_ x: S) -> S {
        Swift.max(x, 0) + S.log(onePlus: S.exp(-Swift.abs(x)))
    }

    /// `m[i, j] ← σ(m[i, j] + bias[j])` in place (the bias is a row vector, one value per column).
    /// - Complexity: O(rows·columns) exponentials.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func addBiasAndSigmoid<S: BLASScalar>(_ m: inout Matrix<S>, bias: [S]) {
        precondition(bias.count == m.columns, "addBiasAndSigmoid: bias of \(bias.count) for \(m.shapeDescription)")
        let (rows, columns) = (m.rows, m.columns)
        guard rows > 0 && columns > 0 else { return }
        bias.withUnsafeBufferPointer { b in
            m.storage.withUnsafeMutableBufferPointer { buffer in
                let p = buffer.baseAddress!, pb = b.baseAddress!
                Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, minimumPerThread / columns)) { range in
                    if S.self == Float.self {
                        // Float: the branch-free exponential below, which the compiler vectorises.
                        let (pf, bf) = (UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self),
                                        UnsafeRawPointer(pb).assumingMemoryBound(to: Float.self))
                        for i in range {
                            let row = pf + i * columns
                            for j in 0..<columns { row[j] = 1 / (1 + fastExp(-(row[j] + bf[j]))) }
                        }
                        return
                    }
                    for i in range {
                        let row = p + i * columns
                        for j in 0..<columns { row[j] = sigmoid(row[j] + pb[j]) }
                    }
                }
            }
        }
    }

    /// `out[i] ← 1` with probability `p[i]`, else `0`: a uniform 32-bit draw `u` gives 1 when
    /// `u·2⁻³² < p[i]` (so probabilities below 2⁻³² round to 0). Blocks of `samplingBlock` elements
    /// each draw from their own generator, seeded by `seed` and the block index, so the result is
    /// fixed by `seed` alone and the blocks run in parallel.
    /// - Complexity: O(count), one 64-bit draw per two elements.
    static func sampleBernoulli<S: BLASScalar>(_ p: Matrix<S>, into out: inout Matrix<S>, seed: UInt64) {
        precondition(p.rows == out.rows && p.columns == out.columns,
                     "sampleBernoulli: probabilities \(p.shapeDescription), output \(out.shapeDescription)")
        guard p.count > 0 else { return }
        p.storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                sampleBlocks(src.baseAddress!, dst.baseAddress!, count: src.count, seed: seed)
            }
        }
    }

    /// `m[i] ← 1` with probability `m[i]`, else `0`, in place (see `sampleBernoulli(_:into:seed:)`).
    static func sampleBernoulliInPlace<S: BLASScalar>(_ m: inout Matrix<S>, seed: UInt64) {
        guard m.count > 0 else { return }
        m.storage.withUnsafeMutableBufferPointer { buffer in
            sampleBlocks(UnsafePointer(buffer.baseAddress!), buffer.baseAddress!, count: buffer.count, seed: seed)
        }
    }

    /// The sampling loop behind both entry points; `src` and `dst` may be the same buffer.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sampleBlocks<S: BLASScalar>(_ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<S>, count n: Int, seed: UInt64) {
        let blocks = (n + samplingBlock - 1) / samplingBlock
        let scale = 0x1.0p-32
        Parallel.forEachChunk(count: blocks, minimumPerThread: 4) { range in
            for block in range {
                var rng = Xoshiro256StarStar(seed: seed &+ UInt64(block) &* 0xD1B5_4A32_D192_ED03)
                let lo = block * samplingBlock, hi = Swift.min(n, lo + samplingBlock)
                var i = lo
                while i + 1 < hi {
                    let bits = rng.next()
                    dst[i] = Double(UInt32(truncatingIfNeeded: bits)) * scale < Double(src[i]) ? 1 : 0
                    dst[i + 1] = Double(UInt32(truncatingIfNeeded: bits >> 32)) * scale < Double(src[i + 1]) ? 1 : 0
                    i += 2
                }
                if i < hi { dst[i] = Double(UInt32(truncatingIfNeeded: rng.next())) * scale < Double(src[i]) ? 1 : 0 }
            }
        }
    }
}
