import LatentCore

/// Updates parameters in place from their accumulated gradients.
///
/// An optimizer holds references to the parameters it was made with (in `namedParameters` order)
/// and whatever per-parameter state its method needs (momentum, moment estimates). `step()` reads
/// each parameter's `grad` — or, for a sparse embedding, its `sparseGradient`, updating only
/// those rows — (a parameter with neither is skipped) and leaves the gradients alone: call
/// `zeroGrad()` on the model before the next backward pass. Parameter groups
/// (`ParameterGroup`) give parts of the model their own weight decay and learning-rate scale.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: BLASScalar
    /// The parameters being optimised.
    var parameters: [Tensor<Scalar>] { get }
    /// The step size used by the next `step()`; schedules set it before each step.
    var learningRate: Double { get set }
    /// Number of `step()` calls so far.
    var stepCount: Int { get }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// The per-parameter state by name (`"<index>.<kind>"`, e.g. `"3.exp_avg"`) plus `"step"`, so a
    /// checkpoint can save it and `loadState` can resume exactly.
    func stateTensors() -> [(name: String, values: [Scalar])]
    /// Restores what `stateTensors()` returned.
    /// - Throws: `OptimizerStateError` when a name is missing or a size differs.
    func loadState(_ state: [String: [Scalar]]) throws
}

/// Parameters that share optimizer settings (`torch.optim` parameter groups), e.g. AdamW with
/// decay on weight matrices but not on biases and normalisation gains (`Module.parameterGroups`).
public struct ParameterGroup<Scalar: BLASScalar> {
    /// The group's parameters.
    public var parameters: [Tensor<Scalar>]
    /// Weight decay λ for this group, or `nil` for the optimizer's.
    public var weightDecay: Double?
    /// Multiplies the optimizer's learning rate (and so a schedule's) for this group.
    public var learningRateScale: Double

    public init(_ parameters: [Tensor<Scalar>], weightDecay: Double? = nil, learningRateScale: Double = 1) {
        precondition(weightDecay.map { $0 >= 0 } ?? true, "ParameterGroup: weight decay \(weightDecay!) < 0")
        precondition(learningRateScale >= 0, "ParameterGroup: learning-rate scale \(learningRateScale) < 0")
        self.parameters = parameters
        self.weightDecay = weightDecay
        self.learningRateScale = learningRateScale
    }

    /// The groups' parameters in order, with each parameter's decay and learning-rate scale.
    static func flatten(_ groups: [ParameterGroup], defaultDecay: Double) -> (parameters: [Tensor<Scalar>], decay: [Double], scale: [Double]) {
        var p: [Tensor<Scalar>] = [], d: [Double] = [], s: [Double] = []
        for g in groups {
            p += g.parameters
            d += Array(repeating: g.weightDecay ?? defaultDecay, count: g.parameters.count)
            s += Array(repeating: g.learningRateScale, count: g.parameters.count)
        }
        precondition(Set(p.map(ObjectIdentifier.init)).count == p.count, "ParameterGroup: a parameter is in two groups")
        return (p, d, s)
    }
}

/// A checkpoint's optimizer state does not fit the optimizer.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "optimizer state: \(message)" }
}

extension Optimizer {
    /// Clears every parameter's gradient, dense and sparse.
    public func zeroGrad() { for p in parameters { p.zeroGrad(); p.sparseGradient?.removeAll() } }
}

/// Rescales all gradients (dense and sparse) together so that their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
/// - Complexity: O(total number of parameters).
@discardableResult
@_specialize(where S == Float) @_specialize(where S == Double)
public func clipGradientNorm<S: BLASScalar>(_ parameters: [Tensor<S>], maxNorm: Double) -> Double {
    var total = 0.0
    for p in parameters {
        if let g = p.grad { for v in g { total += Double(v) * Double(v) } }
        if let sparse = p.sparseGradient { for v in sparse.values { total += Double(v) * Double(v) } }
    }
    let norm = total.squareRoot()
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        let s = S(scale)
        for p in parameters {
            if p.grad != nil { p.withGradBuffer { g in for i in g.indices { g[i] *= s } } }
            p.sparseGradient?.scale(by: s)
        }
    }
    return norm
}

/// Shared helpers for optimizer state bookkeeping.
enum OptimizerState {
    static func restore<S>(_ state: [String: [S]], name: String, count: Int) throws -> [S] {
        guard let values = state[name] else { throw OptimizerStateError(message: "missing \(name)") }
        guard values.count == count else {
            throw OptimizerStateError(message: "\(name) has \(values.count) values, parameter has \(count)")
        }
        return values
    }

    static func restoreStep<S: BLASScalar>(_ state: [String: [S]]) throws -> Int {
        guard let s = state["step"], s.count == 1 else { throw OptimizerStateError(message: "missing step") }
        return Int(Double(s[0]))
    }
}
