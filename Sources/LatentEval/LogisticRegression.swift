import LatentCore

/// Multinomial logistic regression with an L2 penalty, fitted by L-BFGS: the linear probe.
///
/// Minimises scikit-learn's objective (`LogisticRegression(C=C, solver="lbfgs")`, multinomial for
/// any number of classes, `fit_intercept=True`; scikit-learn 1.9)
///
///     J(W, b) = C · Σᵢ CEᵢ + ½‖W‖²_F,   CEᵢ = −log softmax(W xᵢ + b)_{yᵢ},
///
/// with the intercept `b` not penalised. As scikit-learn does, the solver works on the
/// equivalent `J / (C·n) = mean CE + ‖W‖²/(2Cn)`, and `tolerance` bounds the largest absolute
/// entry of *that* gradient (SciPy's `gtol`), so both stop at the same point. The class
/// probabilities and the optimum are those of scikit-learn (up to the tolerance; the intercept is
/// determined up to a common shift, which changes nothing, and is reported centred to mean 0).
///
/// With two classes scikit-learn fits the binomial model with a single weight vector; the
/// multinomial fit here is the same as the binomial one with `C` doubled.
///
/// Each evaluation costs two GEMMs: logits `X·Wᵀ` (n × K) and gradient `(P − Y)ᵀ·X` (K × d).
/// - Complexity: O(n·d·K) per evaluation, typically tens to hundreds of evaluations.
public struct LogisticRegression: Sendable, Equatable, Codable {
    /// Inverse regularisation strength `C > 0` (scikit-learn's `C`, default 1).
    public var C: Double
    /// Whether to fit the intercept `b` (default true); otherwise `b = 0`.
    public var fitIntercept: Bool
    /// Largest absolute gradient entry of `J/(C·n)` at which to stop (scikit-learn's `tol`, default 1e-4).
    public var tolerance: Double
    /// Largest number of L-BFGS iterations (scikit-learn's `max_iter`, default 100).
    public var maxIterations: Int
    /// L-BFGS history length (default 10, as SciPy).
    public var history: Int

    /// A probe with the given penalty and stopping rules.
    public init(C: Double = 1, fitIntercept: Bool = true, tolerance: Double = 1e-4, maxIterations: Int = 100, history: Int = 10) {
        self.C = C
        self.fitIntercept = fitIntercept
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.history = history
    }

    /// Fits the weights to `x` (n × d) and `labels` (n integers, at least two distinct).
    /// - Throws: `EstimatorError` for a bad `C`, fewer than two classes, or non-finite data.
    ///   Non-convergence is not an error: see `report`.
    public func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>, labels: [Int]) throws -> LogisticRegressionModel<Scalar> {
        let method = "LogisticRegression"
        precondition(x.rows == labels.count, "\(method): \(x.rows) rows, \(labels.count) labels")
        guard C > 0, C.isFinite else { throw EstimatorError.invalidParameter(method: method, name: "C", reason: "must be positive and finite, got \(C)") }
        guard tolerance >= 0, maxIterations >= 0, history >= 1 else {
            throw EstimatorError.invalidParameter(method: method, name: "tolerance/maxIterations/history", reason: "must be ≥ 0, ≥ 0, ≥ 1; got \(tolerance), \(maxIterations), \(history)")
        }
        try x.requireFiniteInput(for: method)
        let index = ClassIndex(labels)
        guard index.classes.count >= 2 else {
            throw EstimatorError.invalidData(method: method, reason: "needs at least two classes, got \(index.classes)")
        }
        let target = try index.indices(of: labels, method: method)
        let (k, d) = (index.classes.count, x.columns)
        var workspace = LogisticWorkspace<Scalar>(samples: x.rows, classes: k, features: d)
        let scale = 1 / (C * Double(x.rows))
        let solver = LBFGS(history: history, gradientTolerance: tolerance, maxIterations: maxIterations)
        let (theta, report) = solver.minimize(from: [Double](repeating: 0, count: k * d + k)) { theta, gradient in
            workspace.evaluate(theta, x: x, target: target, C: C, fitIntercept: fitIntercept, gradient: &gradient) * scale
        }
        let weights = Matrix(rows: k, columns: d, storage: theta[0..<(k * d)].map { Scalar($0) })
        var intercept = theta[(k * d)...].map { $0 }
        let shift = intercept.reduce(0, +) / Double(k)
        intercept = intercept.map { $0 - shift }
        let model = LogisticRegressionModel(index: index, weights: weights, intercept: intercept.map { Scalar($0) }, C: C, report: report,
                                           samples: x.rows)
        return model
    }
}

/// A fitted multinomial logistic regression: `p(y = c | x) = softmax(W x + b)_c`.
public struct LogisticRegressionModel<Scalar: BLASScalar>: Sendable, Codable {
    /// The class labels, ascending; row `c` of `weights` belongs to `classes[c]`.
    public let classes: [Int]
    /// Weights `W`, K × d (scikit-learn's `coef_`).
    public let weights: Matrix<Scalar>
    /// Intercepts `b`, K, centred to mean 0 (scikit-learn's `intercept_` minus its mean).
    public let intercept: [Scalar]
    /// The inverse regularisation strength it was fitted with.
    public let C: Double
    /// The solver's report; its `objective` is on the scaled `J/(C·n)`.
    public let report: LBFGSReport
    /// `J(W, b) = C·Σ CE + ½‖W‖²` at the fitted weights on the training data (scikit-learn's scale).
    public let objective: Double

    init(index: ClassIndex, weights: Matrix<Scalar>, intercept: [Scalar], C: Double, report: LBFGSReport, samples: Int) {
        self.classes = index.classes
        self.weights = weights
        self.intercept = intercept
        self.C = C
        self.report = report
        self.objective = (report.objective.last ?? .nan) * C * Double(samples)
    }

    /// A model from given weights (e.g. scikit-learn's `coef_`/`intercept_`), with no fit report.
    public init(classes: [Int], weights: Matrix<Scalar>, intercept: [Scalar], C: Double = 1) {
        precondition(weights.rows == classes.count && intercept.count == classes.count,
                     "LogisticRegressionModel: \(classes.count) classes, weights \(weights.shapeDescription), \(intercept.count) intercepts")
        self.classes = classes
        self.weights = weights
        self.intercept = intercept
        self.C = C
        self.report = LBFGSReport(iterations: 0, evaluations: 0, gradientMaxNorm: .nan, stop: .maxIterations, objective: [])
        self.objective = .nan
    }

    /// The logits `X·Wᵀ + b`, n × K. - Complexity: O(n·d·K), one GEMM.
    public func decisionFunction(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        precondition(x.columns == weights.columns, "LogisticRegressionModel: fitted on \(weights.columns) features, got \(x.shapeDescription)")
        return Matrix.gemm(x, weights, transposeB: true).adding(row: intercept)
    }

    /// Class probabilities `softmax(X·Wᵀ + b)` row by row, n × K (columns in `classes` order).
    public func probabilities(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        var z = decisionFunction(x)
        let k = z.columns
        z.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<z.rows {
                var top = -Scalar.infinity
                for c in 0..<k { top = Swift.max(top, p[i * k + c]) }
                var total: Scalar = 0
                for c in 0..<k { p[i * k + c] = Scalar.exp(p[i * k + c] - top); total += p[i * k + c] }
                for c in 0..<k { p[i * k + c] /= total }
            }
        }
        return z
    }

    /// The most probable label of each row (ties to the smaller label).
    public func predict(_ x: Matrix<Scalar>) -> [Int] {
        decisionFunction(x).argmax(over: .columns).map { classes[$0] }
    }

    /// The fraction of rows whose predicted label equals `labels`.
    public func accuracy(_ x: Matrix<Scalar>, labels: [Int]) -> Double {
        precondition(x.rows == labels.count, "accuracy: \(x.rows) rows, \(labels.count) labels")
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predict(x), labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// scikit-learn's objective `C·Σᵢ CEᵢ + ½‖W‖²` of these weights on `x` and `labels`.
    /// - Throws: `EstimatorError.invalidData` for a label outside `classes`.
    public func objective(_ x: Matrix<Scalar>, labels: [Int]) throws -> Double {
        let index = ClassIndex(classes)
        let target = try index.indices(of: labels, method: "LogisticRegressionModel")
        var workspace = LogisticWorkspace<Scalar>(samples: x.rows, classes: classes.count, features: x.columns)
        var gradient = [Double](repeating: 0, count: weights.count + classes.count)
        let theta = weights.storage.map { Double($0) } + intercept.map { Double($0) }
        return workspace.evaluate(theta, x: x, target: target, C: C, fitIntercept: true, gradient: &gradient)
    }
}

/// Buffers for one objective evaluation, reused across L-BFGS iterations.
struct LogisticWorkspace<Scalar: BLASScalar> {
    var weights: Matrix<Scalar>
    var logits: Matrix<Scalar>
    var weightGradient: Matrix<Scalar>

    init(samples: Int, classes: Int, features: Int) {
        weights = .zeros(classes, features)
        logits = .zeros(samples, classes)
        weightGradient = .zeros(classes, features)
    }

    /// `J = C·Σ CE + ½‖W‖²` at `theta = [W row-major; b]`; writes `∇(J/(C·n))` into `gradient`
    /// and returns `J / (C·n)`'s numerator `J`. The caller scales.
    mutating func evaluate(_ theta: [Double], x: Matrix<Scalar>, target: [Int], C: Double, fitIntercept: Bool,
                           gradient: inout [Double]) -> Double {
        let (n, k, d) = (x.rows, weights.rows, weights.columns)
        for i in 0..<(k * d) { weights.storage[i] = Scalar(theta[i]) }
        let b = (0..<k).map { fitIntercept ? Scalar(theta[k * d + $0]) : 0 }
        Matrix.gemm(x, weights, into: &logits, transposeB: true)                  // Z = X·Wᵀ   (n × K)
        var crossEntropy = 0.0
        var biasGradient = [Double](repeating: 0, count: k)
        logits.storage.withUnsafeMutableBufferPointer { z in
            for i in 0..<n {
                let row = i * k
                var top = -Scalar.infinity
                for c in 0..<k { z[row + c] += b[c]; top = Swift.max(top, z[row + c]) }
                var total: Scalar = 0
                for c in 0..<k { total += Scalar.exp(z[row + c] - top) }
                let logTotal = Scalar.log(total) + top
                crossEntropy += Double(logTotal - z[row + target[i]])
                for c in 0..<k { z[row + c] = Scalar.exp(z[row + c] - logTotal) }   // P
                z[row + target[i]] -= 1                                             // P − Y
                for c in 0..<k { biasGradient[c] += Double(z[row + c]) }
            }
        }
        let scale = 1 / (C * Double(n))
        Matrix.gemm(logits, x, into: &weightGradient, transposeA: true, alpha: Scalar(1 / Double(n)))   // (P − Y)ᵀ·X / n
        var penalty = 0.0
        for i in 0..<(k * d) {
            penalty += theta[i] * theta[i]
            gradient[i] = Double(weightGradient.storage[i]) + scale * theta[i]
        }
        for c in 0..<k { gradient[k * d + c] = fitIntercept ? biasGradient[c] / Double(n) : 0 }
        return C * crossEntropy + penalty / 2
    }
}
