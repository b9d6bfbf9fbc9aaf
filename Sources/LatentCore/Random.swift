/// The seeded random number generator every random choice in Latent goes through.
///
/// xoshiro256** (Blackman & Vigna 2018): 256 bits of state, period 2²⁵⁶ − 1, seeded through
/// SplitMix64 so that nearby seeds give unrelated streams. The same seed gives the same numbers on
/// every machine and version: all derived draws (uniform, normal, permutation, …) are defined here
/// rather than borrowed from the standard library, whose algorithms may change.
///
/// For parallel work, `split(into:)` hands out streams that are 2¹²⁸ draws apart (the generator's
/// jump function), so each thread draws from its own stream and results do not depend on timing.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Codable, Equatable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    @usableFromInline var spareNormal: Double?

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareNormal = nil
    }

    /// A generator started from an explicit 256-bit state `(s0, s1, s2, s3)`, as in the reference
    /// C implementation's `s[4]` — for reproducing published streams. The state must not be all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "Xoshiro256StarStar: the all-zero state is a fixed point")
        (s0, s1, s2, s3) = state
        spareNormal = nil
    }

    /// The current 256-bit state `(s0, s1, s2, s3)`.
    public var state: (UInt64, UInt64, UInt64, UInt64) { (s0, s1, s2, s3) }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Advances the state by 2¹²⁸ draws (the published jump polynomial).
    public mutating func jump() {
        let polynomial: [UInt64] = [0x180E_C6D3_3CFD_0ABA, 0xD5A6_1266_F0C9_392C, 0xA958_2618_E03F_C9AA, 0x39AB_DC45_29B1_661C]
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0
        for word in polynomial {
            for bit in 0..<64 {
                if word & (1 << UInt64(bit)) != 0 { t0 ^= s0; t1 ^= s1; t2 ^= s2; t3 ^= s3 }
                _ = next()
            }
        }
        s0 = t0; s1 = t1; s2 = t2; s3 = t3
        spareNormal = nil
    }

    /// `count` independent generators, each 2¹²⁸ draws after the previous one (the first is `self`
    /// jumped once); `self` then moves past them all, so it overlaps none of them.
    /// - Complexity: O(count · 256) generator steps.
    public mutating func split(into count: Int) -> [Xoshiro256StarStar] {
        precondition(count >= 0, "split(into:): negative count \(count)")
        let streams = (0..<count).map { _ in
            jump()
            return self
        }
        jump()
        return streams
    }

    // MARK: - Draws

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform on [low, high) (`low` itself when `low == high`).
    @inlinable
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        precondition(low <= high, "uniform: empty interval [\(low), \(high))")
        let v = low + (high - low) * uniform()
        return v < high || low == high ? v : high.nextDown   // rounding may land on `high`
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's multiply-and-reject).
    @inlinable
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "integer(below:): bound must be positive, got \(bound)")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// A standard normal sample by the Box–Muller transform; draws come in pairs, the second is kept
    /// for the next call.
    @inlinable
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - uniform()   // (0, 1]: log is finite
        let u2 = uniform()
        let r = (-2 * Double.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = r * Double.sin(theta)
        return r * Double.cos(theta)
    }

    /// A normal sample with the given mean and standard deviation.
    @inlinable
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double { mean + standardDeviation * normal() }

    /// `true` with probability `p` (0 ≤ p ≤ 1).
    @inlinable
    public mutating func bernoulli(_ p: Double) -> Bool {
        precondition(p >= 0 && p <= 1, "bernoulli: probability \(p) outside [0, 1]")
        return uniform() < p
    }

    /// A uniformly random permutation of `0..<n` (Fisher–Yates). - Complexity: O(n).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }

    /// Shuffles `array` in place (Fisher–Yates, defined here so results never change with the toolchain).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    /// `k` distinct indices from `0..<n` in random order (a partial Fisher–Yates; O(n) memory).
    public mutating func choice(_ n: Int, count k: Int) -> [Int] {
        precondition(k >= 0 && k <= n, "choice: cannot pick \(k) distinct items from \(n)")
        var p = Array(0..<n)
        for i in 0..<k {
            let j = i + integer(below: n - i)
            p.swapAt(i, j)
        }
        return Array(p[0..<k])
    }
}

import RealModule
