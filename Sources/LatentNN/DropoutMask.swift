import LatentCore

/// Inverted-dropout masks drawn in parallel (Srivastava et al. 2014): each element is 0 with
/// probability `p` and `1/(1 − p)` otherwise.
///
/// The mask is cut into blocks of `blockSize` elements; block `b` draws from its own generator,
/// seeded by `(one draw of generator) + b·φ` (SplitMix64 spreads nearby seeds), two elements per
/// 64-bit draw (each 32-bit half against `p·2³²`). So the same generator state gives the same mask
/// on any number of threads, and `generator` advances by one draw per mask, whatever its size.
/// - Complexity: O(count), over the threads of `Parallel`.
enum DropoutMask {
    static let blockSize = 1 << 14

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func draw<Scalar: BLASScalar>(count: Int, probability p: Double,
                                         generator: inout Xoshiro256StarStar) -> [Scalar] {
        precondition(p >= 0 && p < 1, "dropout: probability \(p) outside [0, 1)")
        let base = generator.next()
        let threshold = UInt32(Swift.min(p * 4_294_967_296, 4_294_967_295))
        let keep = Scalar(1 / (1 - p))
        let blocks = (count + blockSize - 1) / blockSize
        return [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            let mask = buffer.baseAddress!
            Parallel.forEachChunk(count: blocks, minimumPerThread: 4) { range in
                for b in range {
                    var rng = Xoshiro256StarStar(seed: base &+ UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
                    let lo = b * blockSize, hi = Swift.min(count, lo + blockSize)
                    var i = lo
                    while i < hi {
                        let bits = rng.next()
                        (mask + i).initialize(to: UInt32(truncatingIfNeeded: bits) >= threshold ? keep : 0)
                        if i + 1 < hi { (mask + i + 1).initialize(to: UInt32(truncatingIfNeeded: bits >> 32) >= threshold ? keep : 0) }
                        i += 2
                    }
                }
            }
            initialized = count
        }
    }
}
