import LatentCore

/// How `gelu` evaluates the Gaussian CDF.
public enum GELUApproximation: String, Sendable, Codable, CaseIterable {
    /// `x·Φ(x) = ½x(1 + erf(x/√2))`, exact (PyTorch's default `approximate='none'`).
    case none
    /// `½x(1 + tanh(√(2/π)(x + 0.044715x³)))` (Hendrycks & Gimpel 2016, eq. 2; GPT-2's form,
    /// PyTorch `approximate='tanh'`).
    case tanh
}

/// Activation functions, elementwise (O(n), parallel for large tensors), plus softmax and
/// log-softmax along an axis. Each backward uses the saved input or output.
extension Tensor {
    /// `tanh(x)`. Backward: `g ⊙ (1 − y²)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func tanh() -> Tensor { unary("tanh", { Scalar.tanh($0) }, derivative: { _, y in 1 - y * y }) }

    /// The logistic function `1 / (1 + e⁻ˣ)`, evaluated without overflow for either sign.
    /// Backward: `g ⊙ y(1 − y)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sigmoid() -> Tensor {
        unary("sigmoid", { x in
            if x >= 0 { return 1 / (1 + Scalar.exp(-x)) }
            let e = Scalar.exp(x)
            return e / (1 + e)
        }, derivative: { _, y in y * (1 - y) })
    }

    /// `max(x, 0)`. Backward: `g` where `x > 0`, else 0.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func relu() -> Tensor {
        unary("relu", { $0 > 0 ? $0 : 0 }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    /// `x` for `x > 0`, `slope·x` otherwise. Backward: `g` or `slope·g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func leakyRelu(slope: Scalar = 0.01) -> Tensor {
        unary("leakyRelu", { $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }

    /// `log(1 + eˣ)`, computed as `max(x, 0) + log1p(e^−|x|)` so it neither overflows nor loses
    /// small values. Backward: `g ⊙ sigmoid(x)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func softplus() -> Tensor {
        unary("softplus", { x in Swift.max(x, 0) + Scalar.log(onePlus: Scalar.exp(-Swift.abs(x))) },
              derivative: { x, _ in
                  if x >= 0 { return 1 / (1 + Scalar.exp(-x)) }
                  let e = Scalar.exp(x)
                  return e / (1 + e)
              })
    }

    /// The Gaussian error linear unit `x·Φ(x)` (Hendrycks & Gimpel 2016), exactly through `erf`
    /// (`.none`, the default, as in PyTorch) or by the `tanh` formula (`.tanh`, as in GPT-2).
    /// Backward: `Φ(x) + x·φ(x)` for `.none`; the derivative of the tanh formula for `.tanh`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gelu(approximation: GELUApproximation = .none) -> Tensor {
        switch approximation {
        case .none:
            let invSqrt2 = 1 / Scalar(2).squareRoot()
            let invSqrt2Pi = 1 / (2 * Scalar.pi).squareRoot()
            return unary("gelu", { x in x * (1 + Scalar.erf(x * invSqrt2)) / 2 }, derivative: { x, _ in
                (1 + Scalar.erf(x * invSqrt2)) / 2 + x * invSqrt2Pi * Scalar.exp(-x * x / 2)
            })
        case .tanh:
            let c = (2 / Scalar.pi).squareRoot(), k: Scalar = 0.044715
            return unary("geluTanh", { x in x * (1 + Scalar.tanh(c * (x + k * x * x * x))) / 2 }, derivative: { x, _ in
                let t = Scalar.tanh(c * (x + k * x * x * x))
                return (1 + t) / 2 + x * (1 - t * t) * c * (1 + 3 * k * x * x) / 2
            })
        }
    }

    /// `x·sigmoid(x)` (SiLU / swish). Backward: `g ⊙ (s + x·s(1 − s))` with `s = sigmoid(x)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func silu() -> Tensor {
        unary("silu", { x in x / (1 + Scalar.exp(-x)) }, derivative: { x, _ in
            let s = 1 / (1 + Scalar.exp(-x))
            return s + x * s * (1 - s)
        })
    }
}
