/// A vectorised single-precision `tanh` for FastICA's logcosh contrast, where glibc's scalar
/// `tanhf` (through `expm1f`) would take most of each iteration.
///
/// The rational minimax approximation `tanh(x) ≈ x·P(x²)/Q(x²)` on the clamped range
/// |x| ≤ 7.9053 (beyond which tanh rounds to ±1 in Float), with Eigen's coefficients
/// (`generic_fast_tanh_float`, degree 13/6). Maximum absolute error 4·10⁻⁷ (about 3 ulp near ±1),
/// checked against double-precision `tanh` in `FastICATests`. Double keeps `Double.tanh`.
enum FastICATanh {
    @usableFromInline static let clamp: Float = 7.90531110763549805
    @usableFromInline static let alpha: (Float, Float, Float, Float, Float, Float, Float) =
        (4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05, 5.12229709037114e-08,
         -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16)
    @usableFromInline static let beta: (Float, Float, Float, Float) =
        (4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06)

    /// `tanh(x)` for one value, the same formula as the vector loop.
    static func scalar(_ x: Float) -> Float {
        let c = Swift.min(Swift.max(x, -clamp), clamp)
        let x2 = c * c
        var p = alpha.6
        p = p * x2 + alpha.5; p = p * x2 + alpha.4; p = p * x2 + alpha.3
        p = p * x2 + alpha.2; p = p * x2 + alpha.1; p = p * x2 + alpha.0
        var q = beta.3
        q = q * x2 + beta.2; q = q * x2 + beta.1; q = q * x2 + beta.0
        return c * p / q
    }

    /// Replaces each of the `count` values at `p` by `tanh(scale·value)` and returns `Σ tanh²`,
    /// eight lanes at a time. - Complexity: O(count), about 20 flops per element, no calls.
    static func apply(_ p: UnsafeMutablePointer<Float>, count: Int, scale: Float) -> Double {
        let raw = UnsafeMutableRawPointer(p)
        let lo = SIMD8<Float>(repeating: -clamp), hi = SIMD8<Float>(repeating: clamp)
        var sum = SIMD8<Float>(), total = 0.0
        var i = 0
        while i + 8 <= count {
            if i & 511 == 0 { total += Double(sum.sum()); sum = SIMD8<Float>() }   // keep Float partial sums short
            var x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * scale
            x = pointwiseMin(pointwiseMax(x, lo), hi)
            let x2 = x * x
            var num = SIMD8<Float>(repeating: alpha.6)
            num = num * x2 + alpha.5; num = num * x2 + alpha.4; num = num * x2 + alpha.3
            num = num * x2 + alpha.2; num = num * x2 + alpha.1; num = num * x2 + alpha.0
            var den = SIMD8<Float>(repeating: beta.3)
            den = den * x2 + beta.2; den = den * x2 + beta.1; den = den * x2 + beta.0
            let t = x * num / den
            raw.storeBytes(of: t, toByteOffset: i * 4, as: SIMD8<Float>.self)
            sum += t * t
            i += 8
        }
        total += Double(sum.sum())
        while i < count {
            let t = scalar(scale * p[i])
            p[i] = t
            total += Double(t * t)
            i += 1
        }
        return total
    }
}

/// Element types with a vectorised `tanh` for the logcosh contrast (Float only).
protocol FastICAVectorTanh {
    /// Replaces the `count` values at `p` by `tanh(scale·value)`; returns `Σ tanh²`.
    static func tanhInPlace(_ p: UnsafeMutableRawPointer, count: Int, scale: Double) -> Double
}

extension Float: FastICAVectorTanh {
    static func tanhInPlace(_ p: UnsafeMutableRawPointer, count: Int, scale: Double) -> Double {
        FastICATanh.apply(p.assumingMemoryBound(to: Float.self), count: count, scale: Float(scale))
    }
}
