import LatentCore

/// Elementwise arithmetic with NumPy broadcasting, and the scalar forms.
///
/// Each forward has its backward beside it; the gradient of a broadcast operand is summed over
/// the dimensions it was stretched along. All are O(n) in the output size, parallel for large n.
extension Tensor {
    // MARK: - Helpers

    /// `g ⊙ other` broadcast to `outShape`, summed into this tensor's gradient.
    @inline(__always)
    func accumulateProductGrad<F: BinaryElementwiseFunction>(_ g: UnsafeBufferPointer<Scalar>, outShape: [Int], times other: Tensor,
                                                             _ f: F) where F.Scalar == Scalar {
        guard requiresGrad else { return }
        let gt = Tensor(shape: outShape, storage: Array(g))
        let (_, prod) = Tensor.broadcastMap(gt, other, f)
        prod.withUnsafeBufferPointer { accumulateBroadcastGrad($0, from: outShape) }
    }

    // MARK: - Tensor ⊕ Tensor

    /// `a + b` with broadcasting. Backward: `∂a = ∂b = g` (summed over broadcast dims).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, AddFunction())
        return Tensor(shape: shape, storage: values, op: "add", parents: [a, b]) { g in
            a.accumulateBroadcastGrad(g, from: shape)
            b.accumulateBroadcastGrad(g, from: shape)
        }
    }

    /// `a − b` with broadcasting. Backward: `∂a = g`, `∂b = −g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, SubtractFunction())
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
        let (shape, values) = broadcastMap(a, b, MultiplyFunction())
        return Tensor(shape: shape, storage: values, op: "mul", parents: [a, b]) { g in
            a.accumulateProductGrad(g, outShape: shape, times: b, MultiplyFunction())
            b.accumulateProductGrad(g, outShape: shape, times: a, MultiplyFunction())
        }
    }

    /// `a ⊘ b` (elementwise quotient) with broadcasting. Backward: `∂a = g / b`, `∂b = −g·a / b²`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, DivideFunction())
        return Tensor(shape: shape, storage: values, op: "div", parents: [a, b]) { g in
            a.accumulateProductGrad(g, outShape: shape, times: b, DivideFunction())
            if b.requiresGrad {
                // −g · y / b with y = a / b the saved output.
                let gy = zip(g, values).map { -$0 * $1 }
                let t = Tensor(shape: shape, storage: gy)
                let (_, q) = broadcastMap(t, b, DivideFunction())
                q.withUnsafeBufferPointer { b.accumulateBroadcastGrad($0, from: shape) }
            }
        }
    }

    /// `−x`. Backward: `−g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static prefix func - (x: Tensor) -> Tensor {
        x.map("neg", ScaleFunction(factor: -1))
    }

    // MARK: - Tensor ⊕ scalar

    /// `x + s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (x: Tensor, s: Scalar) -> Tensor { x.map("addScalar", ShiftFunction(offset: s)) }
    /// `s + x` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (s: Scalar, x: Tensor) -> Tensor { x + s }
    /// `x − s` elementwise (as `x + (−s)`, the same in IEEE 754).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (x: Tensor, s: Scalar) -> Tensor { x.map("subScalar", ShiftFunction(offset: -s)) }
    /// `s − x` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (s: Scalar, x: Tensor) -> Tensor { x.map("rsubScalar", SubtractFromConstantFunction(constant: s)) }
    /// `x · s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (x: Tensor, s: Scalar) -> Tensor { x.map("mulScalar", ScaleFunction(factor: s)) }
    /// `s · x` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (s: Scalar, x: Tensor) -> Tensor { x * s }
    /// `x / s` elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (x: Tensor, s: Scalar) -> Tensor {
        x.map("divScalar", ScaleFunction(factor: 1 / s))
    }
    /// `s / x` elementwise. Backward: `−g·s / x²`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (s: Scalar, x: Tensor) -> Tensor {
        x.map("rdivScalar", DivideConstantFunction(numerator: s))
    }
}
