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
