import LatentCore

/// A linear support vector classifier with the squared hinge loss, scikit-learn's `LinearSVC`
/// (liblinear's L2-regularised L2-loss SVC, one-vs-rest; scikit-learn 1.9): for each class c the
/// weights `w = (a, b)` over the features and a constant 1 (so the intercept is penalised too,
/// scikit-learn's `intercept_scaling=1`) minimise
///
///     ½‖w‖² + Σᵢ Cᵢ · max(0, 1 − yᵢ wᵀ(xᵢ, 1))²,   yᵢ = +1 for class c, −1 otherwise,
///
/// with `Cᵢ = C · weight_c` for the samples of class c and plain `C` for the others (liblinear's
/// one-vs-rest weighting); two classes make one problem with `C · weight` on both sides.
/// `balanced` weights are `n / (K · n_c)`. The problem is strictly convex, so its minimiser is
/// unique; it is solved here by Newton steps with backtracking to a gradient norm of 1e-10
/// (liblinear stops at a looser relative tolerance, 1e-4, so predictions can differ for points
/// next to a boundary).
///
/// Used by the SAP score's discrete variant (`disentanglement_lib`: `LinearSVC(C=0.01,
/// class_weight="balanced")` on single code dimensions).
public struct LinearSVC: Sendable, Equatable {
    /// Inverse regularisation strength (> 0).
    public var C: Double
    /// Whether classes are weighted by `n / (K · n_c)` (scikit-learn's `class_weight="balanced"`).
    public var balanced: Bool

    public init(C: Double = 1, balanced: Bool = false) {
        self.C = C
        self.balanced = balanced
    }

    /// Fits `x` (n × d) to `labels` (at least two distinct).
    /// - Throws: `EstimatorError` for a bad `C`, fewer than two classes or non-finite data.
    /// - Complexity: per class, a few Newton steps of O(n·d² + d³).
    public func fit<S: BLASScalar>(_ x: Matrix<S>, labels: [Int]) throws -> LinearSVCModel {
        let method = "LinearSVC"
        precondition(x.rows == labels.count, "\(method): \(x.rows) rows, \(labels.count) labels")
        guard C > 0, C.isFinite else { throw EstimatorError.invalidParameter(method: method, name: "C", reason: "must be positive and finite, got \(C)") }
        try x.requireFiniteInput(for: method)
        let index = ClassIndex(labels)
        let k = index.classes.count
        guard k >= 2 else { throw EstimatorError.invalidData(method: method, reason: "needs at least two classes, got \(index.classes)") }
        let y = try index.indices(of: labels, method: method)
        var counts = [Int](repeating: 0, count: k)
        for c in y { counts[c] += 1 }
        let weight = counts.map { balanced ? Double(x.rows) / Double(k * $0) : 1 }
        // rows with the constant feature appended
        let d = x.columns + 1
        let rows = (0..<x.rows).map { i in (0..<x.columns).map { Double(x[i, $0]) } + [1] }
        let problems = k == 2 ? [1] : Array(0..<k)
        let weights = problems.map { c -> [Double] in
            let sign = y.map { $0 == c ? 1.0 : -1.0 }
            let cost = y.map { $0 == c ? C * weight[c] : (k == 2 ? C * weight[$0] : C) }
            return Self.solve(rows, sign: sign, cost: cost, dimension: d)
        }
        return LinearSVCModel(classes: index.classes, weights: weights)
    }

    /// The minimiser of `½‖w‖² + Σ costᵢ max(0, 1 − signᵢ wᵀrowᵢ)²` by Newton's method.
    static func solve(_ rows: [[Double]], sign: [Double], cost: [Double], dimension d: Int) -> [Double] {
        func objective(_ w: [Double]) -> Double {
            var f = 0.5 * w.reduce(0) { $0 + $1 * $1 }
            for (i, row) in rows.enumerated() {
                let margin = 1 - sign[i] * zip(w, row).reduce(0) { $0 + $1.0 * $1.1 }
                if margin > 0 { f += cost[i] * margin * margin }
            }
            return f
        }
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<100 {
            // gradient w + 2 Σ_active cᵢ (wᵀxᵢ − yᵢ) xᵢ and generalised Hessian I + 2 Σ_active cᵢ xᵢxᵢᵀ
            var g = w
            var h = (0..<d).map { r in (0..<d).map { r == $0 ? 1.0 : 0 } }
            for (i, row) in rows.enumerated() {
                let score = zip(w, row).reduce(0) { $0 + $1.0 * $1.1 }
                guard 1 - sign[i] * score > 0 else { continue }
                for r in 0..<d {
                    g[r] += 2 * cost[i] * (score - sign[i]) * row[r]
                    for s in 0..<d { h[r][s] += 2 * cost[i] * row[r] * row[s] }
                }
            }
            if g.reduce(0, { $0 + $1 * $1 }).squareRoot() <= 1e-10 { break }
            let step = Self.solveSymmetric(h, g.map { -$0 })
            let slope = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            let f0 = objective(w)
            var t = 1.0
            while t > 1e-12 && objective(zip(w, step).map { $0 + t * $1 }) > f0 + 1e-4 * t * slope { t /= 2 }
            let moved = zip(w, step).map { $0 + t * $1 }
            if moved == w { break }
            w = moved
        }
        return w
    }

    /// `A⁻¹b` for a small symmetric positive-definite `A` (Gaussian elimination; no pivoting is needed).
    static func solveSymmetric(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var a = a, b = b
        let n = b.count
        for p in 0..<n {
            for r in (p + 1)..<n {
                let factor = a[r][p] / a[p][p]
                for c in p..<n { a[r][c] -= factor * a[p][c] }
                b[r] -= factor * b[p]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            x[r] = (b[r] - ((r + 1)..<n).reduce(0) { $0 + a[r][$1] * x[$1] }) / a[r][r]
        }
        return x
    }
}

/// A fitted `LinearSVC`: one weight vector (features, then intercept) per class, or one in all for two classes.
public struct LinearSVCModel: Sendable, Equatable {
    /// The distinct training labels, ascending.
    public let classes: [Int]
    /// `weights[c]`: the coefficients of class c's problem followed by its intercept.
    public let weights: [[Double]]

    /// The predicted label of each row: the largest one-vs-rest score (first on ties), or for two
    /// classes `classes[1]` when the score is > 0, as scikit-learn.
    public func predict<S: BLASScalar>(_ x: Matrix<S>) -> [Int] {
        precondition(x.columns + 1 == weights[0].count, "LinearSVCModel: fitted on \(weights[0].count - 1) features, got \(x.shapeDescription)")
        return (0..<x.rows).map { i in
            let scores = weights.map { w in (0..<x.columns).reduce(w[x.columns]) { $0 + w[$1] * Double(x[i, $1]) } }
            if scores.count == 1 { return classes[scores[0] > 0 ? 1 : 0] }
            return classes[scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!]
        }
    }

    /// The fraction of rows whose predicted label equals `labels`.
    public func accuracy<S: BLASScalar>(_ x: Matrix<S>, labels: [Int]) -> Double {
        precondition(x.rows == labels.count, "accuracy: \(x.rows) rows, \(labels.count) labels")
        return Double(zip(predict(x), labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}
