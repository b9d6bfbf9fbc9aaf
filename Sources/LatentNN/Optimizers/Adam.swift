import LatentCore

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as `torch.optim.Adam`/`AdamW`:
///
///     m ← β₁m + (1−β₁)g;   v ← β₂v + (1−β₂)g²;   m̂ = m/(1−β₁ᵗ);   v̂ = v/(1−β₂ᵗ)
///     θ ← θ − η·m̂/(√v̂ + ε)
///
/// Weight decay λ is *coupled* for Adam (`g ← g + λθ` before the moments) and *decoupled* for
/// AdamW (`θ ← θ − ηλθ` before the update); parameter groups set λ (and a learning-rate scale)
/// per group, e.g. AdamW without decay on biases and norm gains (`Module.parameterGroups`).
///
/// Sparse row gradients (`Embedding(sparse: true)`) follow `torch.optim.SparseAdam` exactly: only
/// the rows present update their moments and weights (bias correction by the global step, ε added
/// to √v rather than √v̂), so a step costs O(rows · D); their group must not decay.
/// - Complexity: O(parameters) per step.
public final class Adam<Scalar: BLASScalar>: Optimizer {
    public let parameters: [Tensor<Scalar>]
    public var learningRate: Double
    public let beta1: Double, beta2: Double, epsilon: Double
    /// The weight decay of parameters not given one by their group.
    public let weightDecay: Double
    /// Each parameter's weight decay and learning-rate scale (from its group).
    public let parameterWeightDecay: [Double], learningRateScales: [Double]
    /// `true` for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private var m: [[Scalar]], v: [[Scalar]]

    /// Adam with coupled L2 weight decay (default 0) over one group of `parameters`.
    public convenience init(parameters: [Tensor<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                            epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.init(groups: [ParameterGroup(parameters)], learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay)
    }

    /// Adam over parameter groups; a group without its own decay takes `weightDecay`.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        precondition(learningRate >= 0, "Adam: learning rate \(learningRate) < 0")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: betas (\(beta1), \(beta2)) outside [0, 1)")
        precondition(epsilon >= 0 && weightDecay >= 0, "Adam: epsilon \(epsilon) and weight decay \(weightDecay) must be ≥ 0")
        let flat = ParameterGroup.flatten(groups, defaultDecay: weightDecay)
        self.parameters = flat.parameters
        self.parameterWeightDecay = flat.decay
        self.learningRateScales = flat.scale
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.m = flat.parameters.map { [Scalar](repeating: 0, count: $0.count) }
        self.v = flat.parameters.map { [Scalar](repeating: 0, count: $0.count) }
    }

    /// AdamW over parameter groups (decoupled decay; a group without its own takes `weightDecay`).
    public static func adamW(groups: [ParameterGroup<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9,
                             beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01) -> Adam {
        Adam(groups: groups, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// AdamW: decoupled weight decay, default 0.01 as in PyTorch.
    public static func adamW(parameters: [Tensor<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9,
                             beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let b1 = Scalar(beta1), b2 = Scalar(beta2), eps = Scalar(epsilon)
        for (i, p) in parameters.enumerated() {
            let wd = Scalar(parameterWeightDecay[i])
            if let sparse = p.sparseGradient, !sparse.isEmpty {
                precondition(wd == 0, "Adam: sparse gradients need a parameter group without weight decay (parameter \(i))")
                let d = sparse.rowSize
                // SparseAdam's arrangement: step η·√(1−β₂ᵗ)/(1−β₁ᵗ), ε added to √v (not to √v̂)
                let sparseStep = Scalar(learningRate * learningRateScales[i] * (1 - Double.pow(beta2, t)).squareRoot() / (1 - Double.pow(beta1, t)))
                sparse.values.withUnsafeBufferPointer { g in
                    m[i].withUnsafeMutableBufferPointer { m in
                        v[i].withUnsafeMutableBufferPointer { v in
                            p.storage.withUnsafeMutableBufferPointer { w in
                                for (k, r) in sparse.rows.enumerated() {
                                    for c in 0..<d {
                                        let j = r * d + c, gj = g[k * d + c]
                                        m[j] += (1 - b1) * (gj - m[j])
                                        v[j] += (1 - b2) * (gj * gj - v[j])
                                        w[j] -= sparseStep * m[j] / (v[j].squareRoot() + eps)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            guard let grad = p.grad else { continue }
            let update = AdamUpdate<Scalar>(learningRate: learningRate * learningRateScales[i], beta1: beta1, beta2: beta2, epsilon: epsilon,
                                            step: stepCount, weightDecay: parameterWeightDecay[i], decoupled: decoupledWeightDecay)
            grad.withUnsafeBufferPointer { g in
                m[i].withUnsafeMutableBufferPointer { m in
                    v[i].withUnsafeMutableBufferPointer { v in
                        p.storage.withUnsafeMutableBufferPointer { w in
                            let (n, g, m, v, w) = (w.count, g.baseAddress!, m.baseAddress!, v.baseAddress!, w.baseAddress!)
                            // Elements are independent: splitting over threads changes no bit.
                            Parallel.forEachChunk(count: n, minimumPerThread: 1 << 15) { range in
                                update.apply(range, weights: w, gradient: g, m: m, v: v)
                            }
                        }
                    }
                }
            }
        }
    }

    public func stateTensors() -> [(name: String, values: [Scalar])] {
        var out: [(String, [Scalar])] = [("step", [Scalar(stepCount)])]
        for i in parameters.indices {
            out.append(("\(i).exp_avg", m[i]))
            out.append(("\(i).exp_avg_sq", v[i]))
        }
        return out
    }

    public func loadState(_ state: [String: [Scalar]]) throws {
        stepCount = try OptimizerState.restoreStep(state)
        for i in parameters.indices {
            m[i] = try OptimizerState.restore(state, name: "\(i).exp_avg", count: parameters[i].count)
            v[i] = try OptimizerState.restore(state, name: "\(i).exp_avg_sq", count: parameters[i].count)
        }
    }
}

import RealModule
