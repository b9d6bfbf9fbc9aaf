/// One Adam step (Kingma & Ba 2015) on flat arrays, in PyTorch's arrangement — the one update
/// shared by LatentNN's `Adam` optimizer and the classic learners trained by gradient (the linear
/// autoencoder):
///
///     g ← g + λθ (coupled decay);   m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²
///     θ ← θ·(1 − ηλ_decoupled) − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
///
/// Every element is independent, so callers may split a range over threads without changing a bit;
/// the loops vectorise (square roots and divisions in SIMD, `-fno-math-errno` in Package.swift).
public struct AdamUpdate<Scalar: BLASScalar>: Sendable {
    let b1: Scalar, b2: Scalar, eps: Scalar, c1: Scalar, c2: Scalar, lr: Scalar, coupledDecay: Scalar, decay: Scalar

    /// The update of step `step` (counting from 1) with learning rate η, moments β₁, β₂, ε and
    /// weight decay λ, coupled (Adam's L2 on the gradient) or decoupled (AdamW).
    public init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, step: Int,
                weightDecay: Double = 0, decoupled: Bool = false) {
        let t = Double(step)
        b1 = Scalar(beta1); b2 = Scalar(beta2); eps = Scalar(epsilon)
        c1 = Scalar(1 - Double.pow(beta1, t)); c2 = Scalar(1 - Double.pow(beta2, t))
        lr = Scalar(learningRate)
        coupledDecay = decoupled ? 0 : Scalar(weightDecay)
        decay = decoupled ? 1 - lr * Scalar(weightDecay) : 1
    }

    /// Updates elements `range` of the weights `w` and moments `m`, `v` from the gradient `g`.
    /// - Complexity: O(range.count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func apply(_ range: Range<Int>, weights w: UnsafeMutablePointer<Scalar>, gradient g: UnsafePointer<Scalar>,
                      m: UnsafeMutablePointer<Scalar>, v: UnsafeMutablePointer<Scalar>) {
        @inline(__always) func update(_ j: Int, _ gj: Scalar) {
            let mj = b1 * m[j] + (1 - b1) * gj, vj = b2 * v[j] + (1 - b2) * gj * gj
            m[j] = mj
            v[j] = vj
            w[j] = w[j] * decay - lr * ((mj / c1) / ((vj / c2).squareRoot() + eps))
        }
        if coupledDecay != 0 {
            for j in range { update(j, g[j] + coupledDecay * w[j]) }
        } else {
            for j in range { update(j, g[j]) }
        }
    }
}
