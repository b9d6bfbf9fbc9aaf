/// scikit-learn's `_gradient_descent` for t-SNE: momentum with per-coordinate gains
/// (Jacobs 1988 "delta-bar-delta": +0.2 when the step direction flips, ×0.8 when it keeps, at
/// least `minGain`). Every `checkInterval` iterations (and on the last one) the objective is
/// evaluated; the phase stops when it has not improved for `iterationsWithoutProgress`
/// iterations or when the gain-scaled gradient norm falls to `minGradientNorm`.
struct TSNEGradientDescent {
    var momentum: Double
    var learningRate: Double
    var maxIterations: Int
    var iterationsWithoutProgress: Int
    var minGradientNorm: Double
    var minGain = 0.01
    var checkInterval = 50

    /// What one phase did.
    struct Outcome {
        /// Index of the last iteration run (scikit-learn's `it`).
        var lastIteration: Int
        /// The objective at the last evaluation (before that iteration's step).
        var error: Double
        /// Gain-scaled gradient norm at the last check.
        var gradientNorm: Double
        /// Whether the phase ended on the gradient-norm criterion.
        var converged: Bool
        /// Objective at each check, in order.
        var trace: [Double]
    }

    /// Runs iterations `start ..< maxIterations` on `y` (flat coordinates), fresh momentum and
    /// gains as each scikit-learn phase starts. `objective(y, computeError, &gradient)` fills the
    /// gradient and returns the objective (any value when `computeError` is false).
    func run(_ y: inout [Double], start: Int,
             objective: ([Double], Bool, inout [Double]) -> Double) -> Outcome {
        let count = y.count
        var update = [Double](repeating: 0, count: count)
        var gains = [Double](repeating: 1, count: count)
        var gradient = [Double](repeating: 0, count: count)
        var error = Double.greatestFiniteMagnitude, best = Double.greatestFiniteMagnitude
        var bestIteration = start
        var i = start
        var norm = Double.nan
        var converged = false
        var trace: [Double] = []
        while i < maxIterations {
            let check = (i + 1) % checkInterval == 0
            error = objective(y, check || i == maxIterations - 1, &gradient)
            for e in 0..<count {
                let g = gradient[e]
                if update[e] * g < 0 { gains[e] += 0.2 } else { gains[e] *= 0.8 }
                gains[e] = Swift.max(gains[e], minGain)
                gradient[e] = g * gains[e]
                update[e] = momentum * update[e] - learningRate * gradient[e]
                y[e] += update[e]
            }
            if check {
                var s = 0.0
                for g in gradient { s += g * g }
                norm = s.squareRoot()
                trace.append(error)
                if error < best {
                    best = error; bestIteration = i
                } else if i - bestIteration > iterationsWithoutProgress {
                    break
                }
                if norm <= minGradientNorm { converged = true; break }
            }
            i += 1
        }
        return Outcome(lastIteration: Swift.min(i, maxIterations - 1), error: error, gradientNorm: norm,
                       converged: converged, trace: trace)
    }
}
