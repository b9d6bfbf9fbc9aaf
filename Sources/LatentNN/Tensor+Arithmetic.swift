import LatentCore

/// Elementwise arithmetic with NumPy broadcasting, and the scalar forms.
///
/// Each forward has its backward beside it; the gradient of a broadcast operand is summed over
/// the dimensions it was stretched along. All are O(n) in the output size, parallel for large n.
extension Tensor {
    // MARK: - Helpers

    /// `f(x)` elementwise; backward multiplies the incoming gradient by `derivative(x, y)` where
    /// `y = f(x)` is the saved output.
    @inlinable @inline(__always)
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func unary(_ name: String, _ f: (Scalar) -> Scalar,
               derivative: @escaping (_ x: Scalar, _ y: Scalar) -> Scalar) -> Tensor {
        let n = count
        let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            storage.withUnsafeBufferPointer { src in
                let o = buf.baseAddress!, x = src.baseAddress!
                Parallel.forEachChunk(count: n) { range in
                    for i in range { (o + i).initialize(to: f(x[i])) }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, storage: out, op: name, parents: [self]) { [self] g in
            let input = self.storage
            self.withGradBuffer { dst in
                input.withUnsafeBufferPointer { px in
                    out.withUnsafeBufferPointer { py in
                        let d = dst.baseAddress!, x = px.baseAddress!, y = py.baseAddress!, gp = g.baseAddress!
                        Parallel.forEachChunk(count: n) { range in
                            for i in range { d[i] += gp[i] * derivative(x[i], y[i]) }
                        }
                    }
                }
            }
        }
    }

    /// `g ⊙ other` broadcast to `outShape`, summed into this tensor's gradient.
    @usableFromInline
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func accumulateProductGrad(_ g: UnsafeBufferPointer<Scalar>, outShape: [Int], times other: Tensor,
                               _ f: (Scalar, Scalar) -> Scalar) {
        guard requiresGrad else { return }
        let gt = Tensor(shape: outShape, storage: Array(g))
        let (_, prod) = Tensor.broadcastMap(gt, other, f)
        prod.withUnsafeBufferPointer { accumulateBroadcastGrad($0, from: outShape) }
    }

    // MARK: - Tensor ⊕ Tensor

    /// `a + b` with broadcasting. Backward: `∂a = ∂b = g` (summed over broadcast dims).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, +)
        return Tensor(shape: shape, storage: values, op: "add", parents: [a, b]) { g in
            a.accumulateBroadcastGrad(g, from: shape)
            b.accumulateBroadcastGrad(g, from: shape)
        }
    }

    /// `a − b` with broadcasting. Backward: `∂a = g`, `∂b = −g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, -)
        return Tensor(shape: shape, storage: values, op: "sub", parents: [a, b]) { g in
            a.accumulateBroadcastGrad(g, from: shape)
            if b.requiresGrad {
                let neg = g.map { -$0 }
                neg.withUnsafeBufferPointer { b.accumulateBroadcastGrad($0, from: shape) }
            }
        }
    }

    /// `a ⊙ b` (elementwise product) with broadcasting. Backward: `∂a = g ⊙ b`, `∂b = g ⊙ a`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, *)
        return Tensor(shape: shape, storage: values, op: "mul", parents: [a, b]) { g in
            a.accumulateProductGrad(g, outShape: shape, times: b, *)
            b.accumulateProductGrad(g, outShape: shape, times: a, *)
        }
    }

    /// `a ⊘ b` (elementwise quotient) with broadcasting. Backward: `∂a = g / b`, `∂b = −g·a / b²`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, /)
        return Tensor(shape: shape, storage: values, op: "div", parents: [a, b]) { g in
            a.accumulateProductGrad(g, outShape: shape, times: b, /)
            if b.requiresGrad {
                // −g · y / b with y = a / b the saved output.
                let gy = zip(g, values).map { -$0 * $1 }
                let t = Tensor(shape: shape, storage: gy)
                let (_, q) = broadcastMap(t, b, /)
                q.withUnsafeBufferPointer { b.accumulateBroadcastGrad($0, from: shape) }
            }
        }
    }

    /// `−x`. Backward: `−g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static prefix func - (x: Tensor) -> Tensor {
        x.unary("neg", { -$0 }, derivative: { _, _ in -1 })
    }

    // MARK: - Tensor ⊕ scalar

    /// `x + s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (x: Tensor, s: Scalar) -> Tensor { x.unary("addScalar", { $0 + s }, derivative: { _, _ in 1 }) }
    /// `s + x` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (s: Scalar, x: Tensor) -> Tensor { x + s }
    /// `x − s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (x: Tensor, s: Scalar) -> Tensor { x.unary("subScalar", { $0 - s }, derivative: { _, _ in 1 }) }
    /// `s − x` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (s: Scalar, x: Tensor) -> Tensor { x.unary("rsubScalar", { s - $0 }, derivative: { _, _ in -1 }) }
    /// `x · s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (x: Tensor, s: Scalar) -> Tensor { x.unary("mulScalar", { $0 * s }, derivative: { _, _ in s }) }
    /// `s · x` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (s: Scalar, x: Tensor) -> Tensor { x * s }
    /// `x / s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (x: Tensor, s: Scalar) -> Tensor {
        let r = 1 / s
        return x.unary("divScalar", { $0 * r }, derivative: { _, _ in r })
    }
    /// `s / x` elementwise. Backward: `−g·s / x²`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (s: Scalar, x: Tensor) -> Tensor {
        x.unary("rdivScalar", { s / $0 }, derivative: { x, y in -y / x })
    }
}
