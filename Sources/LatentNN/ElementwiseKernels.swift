import CKernels
import LatentCore

/// A differentiable scalar function for the elementwise kernels: `value(x)` and its derivative
/// given `x` and `y = value(x)`.
///
/// The hot activations are written as such structs rather than closures: the forward *and* the
/// backward loop are specialised on the concrete type, so both inline the math and vectorise
/// (a closure saved for the backward pass would be called once per element).
@usableFromInline
protocol ElementwiseFunction {
    associatedtype Scalar: BLASScalar
    /// `f(x)`.
    func value(_ x: Scalar) -> Scalar
    /// `f′(x)`, given `x` and the saved `y = f(x)`.
    func derivative(_ x: Scalar, _ y: Scalar) -> Scalar
}

/// A scalar function of two arguments for `broadcastMap`, as a type for the same reason: the
/// loop inside the parallel chunks is specialised on it and inlines it (a closure argument was
/// called through a pointer per element, 3 ns each, more than the transformer's residual adds).
@usableFromInline
protocol BinaryElementwiseFunction {
    associatedtype Scalar: BLASScalar
    func callAsFunction(_ a: Scalar, _ b: Scalar) -> Scalar
}

extension Tensor {
    /// `f(x)` elementwise with the backward `g ⊙ f′(x)`, both loops specialised on `F`.
    @inlinable @inline(__always)
    func map<F: ElementwiseFunction>(_ name: String, _ f: F) -> Tensor where F.Scalar == Scalar {
        let n = count
        let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            storage.withUnsafeBufferPointer { src in
                let o = buf.baseAddress!, x = src.baseAddress!
                Parallel.forEachChunk(count: n) { range in
                    for i in range { (o + i).initialize(to: f.value(x[i])) }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, storage: out, op: name, parents: [self]) { [self] g in
            Tensor.mapBackward(f, input: self, output: out, g)
        }
    }

    /// `y = f(x)` and `∂x += g ⊙ f′(x)` through C kernels over `Float` ranges (`forward(x, y, n)`,
    /// `backward(x, g, ∂x, n, accumulate)`), each called on whole chunks of the parallel loops.
    /// Only for `Scalar == Float`.
    func mapFloatKernel(_ name: String,
                        forward: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                        backward: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int32) -> Void) -> Tensor {
        precondition(Scalar.self == Float.self, "mapFloatKernel: Float only, got \(Scalar.self)")
        let n = count
        let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            storage.withUnsafeBufferPointer { src in
                let o = UnsafeMutableRawPointer(buf.baseAddress!).assumingMemoryBound(to: Float.self)
                let x = UnsafeRawPointer(src.baseAddress!).assumingMemoryBound(to: Float.self)
                Parallel.forEachChunk(count: n) { range in forward(x + range.lowerBound, o + range.lowerBound, range.count) }
            }
            initialized = n
        }
        return Tensor(shape: shape, storage: out, op: name, parents: [self]) { [self] g in
            let saved = self.storage
            self.withGradDestination { dst, fresh in
                saved.withUnsafeBufferPointer { px in
                    let d = UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: Float.self)
                    let x = UnsafeRawPointer(px.baseAddress!).assumingMemoryBound(to: Float.self)
                    let gp = UnsafeRawPointer(g.baseAddress!).assumingMemoryBound(to: Float.self)
                    Parallel.forEachChunk(count: n) { range in
                        backward(x + range.lowerBound, gp + range.lowerBound, d + range.lowerBound, range.count, fresh ? 0 : 1)
                    }
                }
            }
        }
    }

    /// `∂x += g ⊙ f′(x)` (written, not added, when `∂x` is fresh: no zero-fill pass).
    @inlinable
    static func mapBackward<F: ElementwiseFunction>(_ f: F, input: Tensor, output: [Scalar], _ g: UnsafeBufferPointer<Scalar>)
    where F.Scalar == Scalar {
        let n = input.count
        let saved = input.storage
        input.withGradDestination { dst, fresh in
            saved.withUnsafeBufferPointer { px in
                output.withUnsafeBufferPointer { py in
                    let d = dst.baseAddress!, x = px.baseAddress!, y = py.baseAddress!, gp = g.baseAddress!
                    Parallel.forEachChunk(count: n) { range in
                        if fresh {
                            for i in range { d[i] = gp[i] * f.derivative(x[i], y[i]) }
                        } else {
                            for i in range { d[i] += gp[i] * f.derivative(x[i], y[i]) }
                        }
                    }
                }
            }
        }
    }
}

/// Whether the processor and the operating system run AVX2 + FMA (`CKernels`), checked once.
let cpuHasAVX2FMA = latent_cpu_has_avx2_fma() != 0

// MARK: - The functions

struct ExpFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar { fastExp(x) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { y }
}

struct TanhFunction<Scalar: BLASScalar>: ElementwiseFunction {
    /// `tanh x = sign(x)·(1 − e^(−2|x|)) / (1 + e^(−2|x|))`, through `fastExp`; for `|x| < 0.0625`
    /// the odd Taylor polynomial to x⁹ (relative error < 1e-13), which avoids cancellation.
    @inline(__always) func value(_ x: Scalar) -> Scalar {
        let a = Swift.abs(x)
        let e = fastExp(-2 * a)
        let big = (1 - e) / (1 + e)
        let x2 = x * x
        var p: Scalar = 62 / 2835
        p = p * x2 - 17 / 315
        p = p * x2 + 2 / 15
        p = p * x2 - 1 / 3
        let small = x + x * x2 * p
        let t = x < 0 ? -big : big
        return a < 0.0625 ? small : t
    }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { 1 - y * y }
}

struct SigmoidFunction<Scalar: BLASScalar>: ElementwiseFunction {
    /// `1/(1 + e⁻ˣ)` for `x ≥ 0`, `eˣ/(1 + eˣ)` otherwise: no overflow for either sign.
    @inline(__always) func value(_ x: Scalar) -> Scalar {
        let e = fastExp(-Swift.abs(x))
        let r = 1 / (1 + e)
        return x >= 0 ? r : e * r
    }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { y * (1 - y) }
}

struct SoftplusFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar {
        Swift.max(x, 0) + fastLog1p(fastExp(-Swift.abs(x)))
    }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar {
        SigmoidFunction<Scalar>().value(x)
    }
}

struct SiLUFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar { x * SigmoidFunction<Scalar>().value(x) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar {
        let s = SigmoidFunction<Scalar>().value(x)
        return s + x * s * (1 - s)
    }
}

struct GELUFunction<Scalar: BLASScalar>: ElementwiseFunction {
    /// `x·Φ(x)`, `Φ(x) = (1 + erf(x/√2))/2`.
    @inline(__always) func value(_ x: Scalar) -> Scalar {
        let cdf: Scalar = (1 + fastErf(x * 0.707_106_781_186_547_5)) / 2
        return x * cdf
    }
    /// `Φ(x) + x·φ(x)`, `φ(x) = e^(−x²/2)/√(2π)`.
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar {
        let cdf: Scalar = (1 + fastErf(x * 0.707_106_781_186_547_5)) / 2
        let density: Scalar = 0.398_942_280_401_432_7 * fastExp(-x * x / 2)
        return cdf + x * density
    }
}

struct GELUTanhFunction<Scalar: BLASScalar>: ElementwiseFunction {
    /// `½x(1 + tanh(u))`, `u = √(2/π)(x + 0.044715x³)`.
    @inline(__always) func value(_ x: Scalar) -> Scalar {
        let u: Scalar = 0.797_884_560_802_865_4 * (x + 0.044715 * x * x * x)
        return x * (1 + TanhFunction<Scalar>().value(u)) / 2
    }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar {
        let u: Scalar = 0.797_884_560_802_865_4 * (x + 0.044715 * x * x * x)
        let t = TanhFunction<Scalar>().value(u)
        let du: Scalar = 0.797_884_560_802_865_4 * (1 + 3 * 0.044715 * x * x)
        return (1 + t) / 2 + x * (1 - t * t) * du / 2
    }
}

struct LogFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar { Scalar.log(x) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { 1 / x }
}

struct SquareRootFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar { x.squareRoot() }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { 1 / (2 * y) }
}

struct LeakyReLUFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let slope: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { x > 0 ? x : slope * x }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { x > 0 ? 1 : slope }
}

/// `x·s` (also `x / s` as `x·(1/s)`, and `−x` as `x·(−1)`, which is exact).
struct ScaleFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let factor: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { x * factor }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { factor }
}

/// `x + s` (also `x − s` as `x + (−s)`, which is exact).
struct ShiftFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let offset: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { x + offset }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { 1 }
}

/// `s − x`.
struct SubtractFromConstantFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let constant: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { constant - x }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { -1 }
}

/// `s / x`; derivative `−s/x² = −y/x`.
struct DivideConstantFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let numerator: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { numerator / x }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { -y / x }
}

struct SquareFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar { x * x }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { 2 * x }
}

/// `xᵏ` for an integer `k` (defined for negative `x`); `exponent` is `k` as a scalar.
struct IntegerPowerFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let k: Int, exponent: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { Scalar.pow(x, k) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { exponent * Scalar.pow(x, k - 1) }
}

struct PowerFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let exponent: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { Scalar.pow(x, exponent) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { exponent * Scalar.pow(x, exponent - 1) }
}

struct AbsoluteValueFunction<Scalar: BLASScalar>: ElementwiseFunction {
    @inline(__always) func value(_ x: Scalar) -> Scalar { Swift.abs(x) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}

struct ClampFunction<Scalar: BLASScalar>: ElementwiseFunction {
    let low: Scalar, high: Scalar
    @inline(__always) func value(_ x: Scalar) -> Scalar { Swift.min(Swift.max(x, low), high) }
    @inline(__always) func derivative(_ x: Scalar, _ y: Scalar) -> Scalar { x >= low && x <= high ? 1 : 0 }
}

// MARK: - Binary functions

@usableFromInline struct AddFunction<Scalar: BLASScalar>: BinaryElementwiseFunction {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ a: Scalar, _ b: Scalar) -> Scalar { a + b }
}

@usableFromInline struct SubtractFunction<Scalar: BLASScalar>: BinaryElementwiseFunction {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ a: Scalar, _ b: Scalar) -> Scalar { a - b }
}

@usableFromInline struct MultiplyFunction<Scalar: BLASScalar>: BinaryElementwiseFunction {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ a: Scalar, _ b: Scalar) -> Scalar { a * b }
}

@usableFromInline struct DivideFunction<Scalar: BLASScalar>: BinaryElementwiseFunction {
    @inlinable init() {}
    @inlinable @inline(__always) func callAsFunction(_ a: Scalar, _ b: Scalar) -> Scalar { a / b }
}

/// 1 where `predicate(a, b)` holds, else 0 (masks; not on a hot path, so the predicate stays a closure).
struct IndicatorFunction<Scalar: BLASScalar>: BinaryElementwiseFunction {
    let predicate: (Scalar, Scalar) -> Bool
    @inline(__always) func callAsFunction(_ a: Scalar, _ b: Scalar) -> Scalar { predicate(a, b) ? 1 : 0 }
}
