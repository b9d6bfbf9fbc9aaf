import CKernels
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
    public func tanh() -> Tensor {
        map("tanh", TanhFunction<Scalar>())
    }

    /// The logistic function `1 / (1 + e⁻ˣ)`, evaluated without overflow for either sign.
    /// Backward: `g ⊙ y(1 − y)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sigmoid() -> Tensor {
        map("sigmoid", SigmoidFunction<Scalar>())
    }

    /// `max(x, 0)`. Backward: `g` where `x > 0`, else 0.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func relu() -> Tensor {
        let n = count
        let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            storage.withUnsafeBufferPointer { src in
                let o = buf.baseAddress!, x = src.baseAddress!
                Parallel.forEachChunk(count: n) { range in
                    for i in range { (o + i).initialize(to: Swift.max(x[i], 0)) }
                }
            }
            initialized = n
        }
        // Written out (not through `unary`) so that the backward loop is branch-free and inlined.
        return Tensor(shape: shape, storage: out, op: "relu", parents: [self]) { [self] g in
            self.withGradDestination { dst, fresh in     // a fresh gradient is written, not zeroed and added
                out.withUnsafeBufferPointer { py in
                    let d = dst.baseAddress!, y = py.baseAddress!, gp = g.baseAddress!
                    Parallel.forEachChunk(count: n) { range in
                        if fresh {
                            for i in range { let gi = gp[i], yi = y[i]; d[i] = yi > 0 ? gi : 0 }   // both loaded: a select
                        } else {
                            for i in range {
                                let gi = gp[i], yi = y[i]     // both loaded unconditionally: a select, not a branch
                                d[i] += yi > 0 ? gi : 0
                            }
                        }
                    }
                }
            }
        }
    }

    /// `x` for `x > 0`, `slope·x` otherwise. Backward: `g` or `slope·g`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func leakyRelu(slope: Scalar = 0.01) -> Tensor {
        map("leakyRelu", LeakyReLUFunction(slope: slope))
    }

    /// `log(1 + eˣ)`, computed as `max(x, 0) + log1p(e^−|x|)` so it neither overflows nor loses
    /// small values. Backward: `g ⊙ sigmoid(x)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func softplus() -> Tensor {
        map("softplus", SoftplusFunction<Scalar>())
    }

    /// The Gaussian error linear unit `x·Φ(x)` (Hendrycks & Gimpel 2016), exactly through `erf`
    /// (`.none`, the default, as in PyTorch) or by the `tanh` formula (`.tanh`, as in GPT-2).
    /// Backward: `Φ(x) + x·φ(x)` for `.none`; the derivative of the tanh formula for `.tanh`.
    /// `Float` with `.none` runs the AVX2 + FMA kernels of `CKernels` where the processor has them
    /// (the same formulas, 8 lanes, fused multiply-adds: the last bits differ from the SSE2 path).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gelu(approximation: GELUApproximation = .none) -> Tensor {
        switch approximation {
        case .none:
            if Scalar.self == Float.self && cpuHasAVX2FMA { return mapFloatKernel("gelu", forward: latent_gelu_forward_avx2, backward: latent_gelu_backward_avx2) }
            return map("gelu", GELUFunction<Scalar>())
        case .tanh: return map("geluTanh", GELUTanhFunction<Scalar>())
        }
    }

    /// `x·sigmoid(x)` (SiLU / swish). Backward: `g ⊙ (s + x·s(1 − s))` with `s = sigmoid(x)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func silu() -> Tensor {
        map("silu", SiLUFunction<Scalar>())
    }
}
