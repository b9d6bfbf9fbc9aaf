import LatentCore

/// Updates parameters in place from their accumulated gradients.
///
/// An optimizer holds references to the parameters it was made with (in `namedParameters` order)
/// and whatever per-parameter state its method needs (momentum, moment estimates). `step()` reads
/// each parameter's `grad` (a parameter without one is skipped) and leaves the gradients alone:
/// call `zeroGrad()` on the model before the next backward pass.
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

/// A checkpoint's optimizer state does not fit the optimizer.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "optimizer state: \(message)" }
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Rescales all gradients together so that their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
/// - Complexity: O(total number of parameters).
@discardableResult
@_specialize(where S == Float) @_specialize(where S == Double)
public func clipGradientNorm<S: BLASScalar>(_ parameters: [Tensor<S>], maxNorm: Double) -> Double {
    var total = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        for v in g { total += Double(v) * Double(v) }
    }
    let norm = total.squareRoot()
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for p in parameters where p.grad != nil {
            let s = S(scale)
            p.withGradBuffer { g in for i in g.indices { g[i] *= s } }
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
