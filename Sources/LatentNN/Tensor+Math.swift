import LatentCore

/// Elementwise functions: exp, log, sqrt, powers, absolute value, clamping.
/// Each is O(n), parallel for large tensors; backward is `g ⊙ f′(x)` from the saved input/output.
extension Tensor {
    /// `eˣ` elementwise. Backward: `g ⊙ eˣ` (the saved output).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func exp() -> Tensor { map("exp", ExpFunction<Scalar>()) }

    /// Natural logarithm elementwise (`−∞` at 0, NaN below). Backward: `g / x`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func log() -> Tensor { map("log", LogFunction<Scalar>()) }

    /// `√x` elementwise. Backward: `g / (2√x)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sqrt() -> Tensor { map("sqrt", SquareRootFunction<Scalar>()) }

    /// `xᵖ` elementwise for a constant exponent (integer exponents also for negative `x`; NaN for
    /// negative `x` with a fractional exponent). Backward: `g ⊙ p·xᵖ⁻¹`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func pow(_ p: Scalar) -> Tensor {
        if p == 2 { return map("square", SquareFunction<Scalar>()) }
        if p == p.rounded(), Swift.abs(p) < Scalar(1 << 30) {
            // Integer exponents are defined for negative bases too.
            let k = Int(p)
            return map("pow", IntegerPowerFunction(k: k, exponent: p))
        }
        return map("pow", PowerFunction(exponent: p))
    }

    /// `x²` elementwise. Backward: `2x·g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func squared() -> Tensor { pow(2) }

    /// `|x|` elementwise. Backward: `sign(x)·g` (0 at 0).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func abs() -> Tensor {
        map("abs", AbsoluteValueFunction<Scalar>())
    }

    /// `x` clamped to `[low, high]`. Backward: `g` inside the interval, 0 outside.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func clamped(min low: Scalar = -.infinity, max high: Scalar = .infinity) -> Tensor {
        precondition(low <= high, "clamped: min \(low) > max \(high)")
        return map("clamp", ClampFunction(low: low, high: high))
    }
}
