/// Limited-memory BFGS for smooth unconstrained minimisation, in `Double`.
///
/// The search direction comes from the two-loop recursion over the last `history` curvature
/// pairs `(s, y)` (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.4), with the
/// initial Hessian scaled by `sᵀy / yᵀy` (eq. 7.20); the step length satisfies the strong Wolfe
/// conditions (`c₁ = 1e-4`, `c₂ = 0.9`; Algorithms 3.5 and 3.6, with safeguarded cubic
/// interpolation in the zoom phase). A pair with `sᵀy ≤ ε·yᵀy` is skipped, keeping the
/// approximation positive definite.
///
/// It stops when `max_i |∇f_i| ≤ gradientTolerance` (SciPy's `gtol`, which scikit-learn sets to
/// its `tol`), when the relative decrease `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)` falls to
/// `functionTolerance` (SciPy's `ftol`; scikit-learn passes `64·ε`), or when the line search can
/// make no progress (reported as not converged unless the gradient test holds).
public struct LBFGS: Sendable, Equatable, Codable {
    /// Number of curvature pairs kept (`m`, default 10).
    public var history: Int
    /// Stop when the largest absolute gradient entry is at most this.
    public var gradientTolerance: Double
    /// Stop when the relative decrease of the objective in one iteration is at most this.
    public var functionTolerance: Double
    /// Largest number of iterations (line searches).
    public var maxIterations: Int
    /// Largest number of objective evaluations per line search.
    public var maxLineSearchSteps: Int

    /// A solver with the given history and stopping rules.
    public init(history: Int = 10, gradientTolerance: Double = 1e-5, functionTolerance: Double = 64 * Double.ulpOfOne,
                maxIterations: Int = 1000, maxLineSearchSteps: Int = 50) {
        self.history = history
        self.gradientTolerance = gradientTolerance
        self.functionTolerance = functionTolerance
        self.maxIterations = maxIterations
        self.maxLineSearchSteps = maxLineSearchSteps
    }

    /// Minimises `objective` from `start`.
    /// - Parameter objective: returns `f(x)` and writes `∇f(x)` into its second argument (same length as `x`).
    /// - Returns: the final point and what happened.
    /// - Complexity: per iteration O(history · p) plus the evaluations, `p = start.count`.
    public func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) -> (x: [Double], report: LBFGSReport) {
        precondition(history >= 1 && maxIterations >= 0 && maxLineSearchSteps >= 1, "LBFGS: history \(history), maxIterations \(maxIterations), maxLineSearchSteps \(maxLineSearchSteps)")
        let p = start.count
        var x = start
        var g = [Double](repeating: 0, count: p)
        var f = objective(x, &g)
        var evaluations = 1
        var values = [f]
        var sHistory = [[Double]](), yHistory = [[Double]](), rhoHistory = [Double]()
        var iterations = 0
        var stop: LBFGSReport.Stop = .maxIterations
        var gMax = g.reduce(0) { Swift.max($0, Swift.abs($1)) }
        if !f.isFinite || g.contains(where: { !$0.isFinite }) { stop = .nonFinite }
        else if gMax <= gradientTolerance { stop = .gradientTolerance }
        else {
            while iterations < maxIterations {
                // Two-loop recursion: direction = −H·g.
                var q = g.map { -$0 }
                var alphas = [Double](repeating: 0, count: sHistory.count)
                for i in stride(from: sHistory.count - 1, through: 0, by: -1) {
                    alphas[i] = rhoHistory[i] * dot(sHistory[i], q)
                    axpy(-alphas[i], yHistory[i], &q)
                }
                if let s = sHistory.last, let y = yHistory.last {
                    let gamma = dot(s, y) / dot(y, y)
                    for i in 0..<p { q[i] *= gamma }
                } else {
                    let scale = 1 / Swift.max(1, dot(g, g).squareRoot())   // first step of length ≤ 1
                    for i in 0..<p { q[i] *= scale }
                }
                for i in 0..<sHistory.count {
                    let beta = rhoHistory[i] * dot(yHistory[i], q)
                    axpy(alphas[i] - beta, sHistory[i], &q)
                }
                var slope = dot(g, q)
                if slope >= 0 {   // not a descent direction (round-off): restart from steepest descent
                    sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                    q = g.map { -$0 / Swift.max(1, dot(g, g).squareRoot()) }
                    slope = dot(g, q)
                }
                guard let step = strongWolfe(objective, x: x, f: f, g: g, direction: q, slope: slope, evaluations: &evaluations) else {
                    stop = .lineSearchFailed
                    break
                }
                iterations += 1
                let s = (0..<p).map { step.x[$0] - x[$0] }
                let y = (0..<p).map { step.g[$0] - g[$0] }
                let sy = dot(s, y), yy = dot(y, y)
                if sy > Double.ulpOfOne * yy && yy > 0 {
                    if sHistory.count == history { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
                    sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
                }
                let decrease = (f - step.f) / Swift.max(Swift.abs(f), Swift.abs(step.f), 1)
                (x, f, g) = (step.x, step.f, step.g)
                values.append(f)
                gMax = g.reduce(0) { Swift.max($0, Swift.abs($1)) }
                if gMax <= gradientTolerance { stop = .gradientTolerance; break }
                if decrease <= functionTolerance { stop = .functionTolerance; break }
            }
        }
        if stop == .lineSearchFailed && gMax <= gradientTolerance { stop = .gradientTolerance }
        return (x, LBFGSReport(iterations: iterations, evaluations: evaluations, gradientMaxNorm: gMax, stop: stop, objective: values))
    }

    /// A step `x + α·d` satisfying the strong Wolfe conditions, or `nil` when none is found.
    private func strongWolfe(_ objective: ([Double], inout [Double]) -> Double, x: [Double], f: Double, g: [Double],
                             direction d: [Double], slope: Double, evaluations: inout Int) -> (x: [Double], f: Double, g: [Double])? {
        let c1 = 1e-4, c2 = 0.9
        let p = x.count
        var gTrial = [Double](repeating: 0, count: p)
        func evaluate(_ alpha: Double) -> (f: Double, slope: Double, x: [Double], g: [Double]) {
            let xTrial = (0..<p).map { x[$0] + alpha * d[$0] }
            let fTrial = objective(xTrial, &gTrial)
            evaluations += 1
            return (fTrial, dot(gTrial, d), xTrial, gTrial)
        }
        var (alphaLow, fLow, slopeLow) = (0.0, f, slope)
        var alpha = 1.0
        var steps = 0
        // Bracketing phase (Algorithm 3.5).
        var bracketHigh: (alpha: Double, f: Double, slope: Double)? = nil
        while steps < maxLineSearchSteps {
            steps += 1
            let t = evaluate(alpha)
            if !t.f.isFinite || t.slope.isNaN {   // overshoot into overflow: shrink
                bracketHigh = nil
                alpha = alphaLow + 0.1 * (alpha - alphaLow)
                continue
            }
            if t.f > f + c1 * alpha * slope || (steps > 1 && t.f >= fLow) {
                bracketHigh = (alpha, t.f, t.slope)
                break
            }
            if Swift.abs(t.slope) <= -c2 * slope { return (t.x, t.f, t.g) }
            if t.slope >= 0 {
                bracketHigh = (alphaLow, fLow, slopeLow)
                (alphaLow, fLow, slopeLow) = (alpha, t.f, t.slope)
                break
            }
            (alphaLow, fLow, slopeLow) = (alpha, t.f, t.slope)
            alpha *= 2
        }
        guard var high = bracketHigh else { return nil }
        // Zoom phase (Algorithm 3.6) between alphaLow and high.alpha.
        while steps < maxLineSearchSteps {
            steps += 1
            let lo = Swift.min(alphaLow, high.alpha), hi = Swift.max(alphaLow, high.alpha)
            let width = hi - lo
            if width <= 1e-16 * Swift.max(1, hi) { break }
            var trial = cubicMinimizer(alphaLow, fLow, slopeLow, high.alpha, high.f, high.slope) ?? (lo + hi) / 2
            if !(trial > lo + 0.1 * width && trial < hi - 0.1 * width) { trial = (lo + hi) / 2 }
            let t = evaluate(trial)
            if !t.f.isFinite || t.f > f + c1 * trial * slope || t.f >= fLow {
                high = (trial, t.f.isFinite ? t.f : .greatestFiniteMagnitude, t.slope.isFinite ? t.slope : 0)
            } else {
                if Swift.abs(t.slope) <= -c2 * slope { return (t.x, t.f, t.g) }
                if t.slope * (high.alpha - alphaLow) >= 0 { high = (alphaLow, fLow, slopeLow) }
                (alphaLow, fLow, slopeLow) = (trial, t.f, t.slope)
            }
        }
        // No Wolfe point found: accept the best sufficient-decrease point, if it moved at all.
        if alphaLow > 0 && fLow < f {
            let t = evaluate(alphaLow)
            return (t.x, t.f, t.g)
        }
        return nil
    }

    /// The minimiser of the cubic through two points with their slopes (N&W eq. 3.59), if real.
    private func cubicMinimizer(_ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double, _ db: Double) -> Double? {
        let d1 = da + db - 3 * (fa - fb) / (a - b)
        let radicand = d1 * d1 - da * db
        guard radicand >= 0, a != b else { return nil }
        let d2 = (b > a ? 1.0 : -1.0) * radicand.squareRoot()
        let denominator = db - da + 2 * d2
        guard denominator != 0 else { return nil }
        let value = b - (b - a) * (db + d2 - d1) / denominator
        return value.isFinite ? value : nil
    }
}

/// What an L-BFGS run did.
public struct LBFGSReport: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Why the iterations stopped.
    public enum Stop: String, Sendable, Codable {
        /// The largest gradient entry met `gradientTolerance` (converged).
        case gradientTolerance
        /// The relative decrease of the objective met `functionTolerance` (converged).
        case functionTolerance
        /// `maxIterations` was reached.
        case maxIterations
        /// No step satisfying the line-search conditions could be found.
        case lineSearchFailed
        /// The objective or gradient at the start was NaN or infinite.
        case nonFinite
    }
    /// Iterations (accepted steps) taken.
    public let iterations: Int
    /// Objective and gradient evaluations, the start included.
    public let evaluations: Int
    /// `max_i |∇f_i|` at the final point.
    public let gradientMaxNorm: Double
    /// Why it stopped.
    public let stop: Stop
    /// The objective at the start and after each iteration.
    public let objective: [Double]
    /// Whether a tolerance was met.
    public var converged: Bool { stop == .gradientTolerance || stop == .functionTolerance }

    /// `"converged (gradientTolerance) after 23 iterations, 25 evaluations, |g|∞ 3e-6"`.
    public var description: String {
        "\(converged ? "converged" : "did not converge") (\(stop.rawValue)) after \(iterations) iterations, \(evaluations) evaluations, |g|∞ \(gradientMaxNorm)"
    }
}

@inline(__always) private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var total = 0.0
    for i in a.indices { total += a[i] * b[i] }
    return total
}

@inline(__always) private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += alpha * x[i] }
}
