import LatentCore

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// exactly as `torch.optim.SGD`:
///
///     g ← ∇ + λ·θ;   v ← μ·v + g (v = g on the first step);   d = g + μ·v (Nesterov) or v;   θ ← θ − η·d
///
/// (Sutskever et al. 2013 for the Nesterov form.) Sparse row gradients (`Embedding(sparse: true)`)
/// update only their rows, `θ_r ← θ_r − η·g_r`, and need a group without momentum and weight decay
/// (as PyTorch). - Complexity: O(parameters) per step; O(rows · D) for a sparse one.
public final class SGD<Scalar: BLASScalar>: Optimizer {
    public let parameters: [Tensor<Scalar>]
    public var learningRate: Double
    public let momentum: Double
    public let nesterov: Bool
    /// The weight decay of parameters not given one by their group.
    public let weightDecay: Double
    /// Each parameter's weight decay and learning-rate scale (from its group).
    public let parameterWeightDecay: [Double], learningRateScales: [Double]
    public private(set) var stepCount = 0
    private var velocity: [[Scalar]?]

    /// SGD over one group of `parameters`.
    public convenience init(parameters: [Tensor<Scalar>], learningRate: Double, momentum: Double = 0, nesterov: Bool = false,
                            weightDecay: Double = 0) {
        self.init(groups: [ParameterGroup(parameters)], learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                  weightDecay: weightDecay)
    }

    /// SGD over parameter groups; a group without its own decay takes `weightDecay`.
    public init(groups: [ParameterGroup<Scalar>], learningRate: Double, momentum: Double = 0, nesterov: Bool = false,
                weightDecay: Double = 0) {
        precondition(learningRate >= 0, "SGD: learning rate \(learningRate) < 0")
        precondition(momentum >= 0, "SGD: momentum \(momentum) < 0")
        precondition(weightDecay >= 0, "SGD: weight decay \(weightDecay) < 0")
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
        let flat = ParameterGroup.flatten(groups, defaultDecay: weightDecay)
        self.parameters = flat.parameters
        self.parameterWeightDecay = flat.decay
        self.learningRateScales = flat.scale
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.velocity = Array(repeating: nil, count: flat.parameters.count)
    }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func step() {
        let mu = Scalar(momentum)
        for (i, p) in parameters.enumerated() {
            let lr = Scalar(learningRate * learningRateScales[i]), wd = Scalar(parameterWeightDecay[i])
            if let sparse = p.sparseGradient, !sparse.isEmpty {
                precondition(momentum == 0 && wd == 0, "SGD: sparse gradients need momentum 0 and weight decay 0 (parameter \(i))")
                let d = sparse.rowSize
                p.storage.withUnsafeMutableBufferPointer { w in
                    sparse.values.withUnsafeBufferPointer { g in
                        for (k, r) in sparse.rows.enumerated() {
                            Scalar.axpy(n: d, alpha: -lr, x: g.baseAddress! + k * d, incx: 1, y: w.baseAddress! + r * d, incy: 1)
                        }
                    }
                }
            }
            guard let grad = p.grad else { continue }
            var g = grad
            if wd != 0 { for j in g.indices { g[j] += wd * p.storage[j] } }
            if momentum != 0 {
                if var v = velocity[i] {
                    for j in v.indices { v[j] = mu * v[j] + g[j] }
                    velocity[i] = v
                } else {
                    velocity[i] = g
                }
                let v = velocity[i]!
                if nesterov { for j in g.indices { g[j] += mu * v[j] } } else { g = v }
            }
            p.storage.withUnsafeMutableBufferPointer { w in
                g.withUnsafeBufferPointer { d in for j in w.indices { w[j] -= lr * d[j] } }
            }
        }
        stepCount += 1
    }

    public func stateTensors() -> [(name: String, values: [Scalar])] {
        var out: [(String, [Scalar])] = [("step", [Scalar(stepCount)])]
        for (i, v) in velocity.enumerated() { if let v { out.append(("\(i).momentum_buffer", v)) } }
        return out
    }

    public func loadState(_ state: [String: [Scalar]]) throws {
        stepCount = try OptimizerState.restoreStep(state)
        for i in parameters.indices {
            velocity[i] = state["\(i).momentum_buffer"] == nil ? nil
                : try OptimizerState.restore(state, name: "\(i).momentum_buffer", count: parameters[i].count)
        }
    }
}
