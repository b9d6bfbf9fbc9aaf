import LatentCore

/// A gradient-boosted tree classifier, scikit-learn's `GradientBoostingClassifier` with its
/// defaults (Friedman 2001, "Greedy function approximation: a gradient boosting machine";
/// scikit-learn 1.9): log-loss, `stages` rounds of one regression tree per class (one tree in all
/// for two classes) of depth `maxDepth` fitted to the negative gradient `y − p`, each leaf set to
/// the Newton step `(K−1)/K · Σ(y − p) / Σ p(1 − p)` (without `(K−1)/K` for two classes) and added
/// with weight `learningRate`. The raw scores start at the log class priors (centred: the
/// symmetric multinomial logit), or the prior log-odds for two classes; no subsampling.
///
/// Used by `DCIScore` for `disentanglement_lib`'s importance model; `featureImportances` are
/// scikit-learn's `feature_importances_`.
public struct GradientBoostedTrees: Sendable, Equatable {
    /// Boosting rounds (scikit-learn's `n_estimators`, default 100).
    public var stages: Int
    /// Shrinkage of each tree (default 0.1).
    public var learningRate: Double
    /// Depth of each tree (default 3).
    public var maxDepth: Int

    public init(stages: Int = 100, learningRate: Double = 0.1, maxDepth: Int = 3) {
        self.stages = stages
        self.learningRate = learningRate
        self.maxDepth = maxDepth
    }

    /// Fits `x` (n × d) to `labels` (n integers, at least two distinct).
    /// - Throws: `EstimatorError` for bad settings, fewer than two classes or non-finite data.
    /// - Complexity: O(stages · K · maxDepth · d · n) after an O(d·n log n) sort (K classes; 1 for two).
    public func fit<S: BLASScalar>(_ x: Matrix<S>, labels: [Int]) throws -> GradientBoostedTreesModel {
        let method = "GradientBoostedTrees"
        precondition(x.rows == labels.count, "\(method): \(x.rows) rows, \(labels.count) labels")
        guard stages >= 1, maxDepth >= 1, learningRate > 0, learningRate.isFinite else {
            throw EstimatorError.invalidParameter(method: method, name: "stages/maxDepth/learningRate",
                                                  reason: "must be ≥ 1, ≥ 1, > 0; got \(stages), \(maxDepth), \(learningRate)")
        }
        try x.requireFiniteInput(for: method)
        let index = ClassIndex(labels)
        guard index.classes.count >= 2 else { throw EstimatorError.invalidData(method: method, reason: "needs at least two classes, got \(index.classes)") }
        let y = try index.indices(of: labels, method: method)
        let (n, classes) = (x.rows, index.classes.count)
        let features = TreeFeatures(x)
        let priors = (0..<classes).map { c in
            Swift.min(Swift.max(Double(y.lazy.filter { $0 == c }.count) / Double(n), Double.ulpOfOne), 1 - Double.ulpOfOne)
        }
        let outputs = classes == 2 ? 1 : classes
        let initial: [Double]
        if classes == 2 {
            initial = [Double.log(priors[1] / (1 - priors[1]))]
        } else {
            let logs = priors.map { Double.log($0) }
            let mean = logs.reduce(0, +) / Double(classes)
            initial = logs.map { $0 - mean }
        }
        var raw = [Double](repeating: 0, count: n * outputs)
        for i in 0..<n { for k in 0..<outputs { raw[i * outputs + k] = initial[k] } }
        var trees: [[RegressionTree]] = []
        for _ in 0..<stages {
            let probability = Self.probabilities(raw, outputs: outputs)
            var stage: [RegressionTree] = []
            for k in 0..<outputs {
                let target = (0..<n).map { i -> Double in
                    let hit = outputs == 1 ? y[i] == 1 : y[i] == k
                    return (hit ? 1 : 0) - probability[i * outputs + k]
                }
                var tree = RegressionTree(features: features, targets: target, maxDepth: maxDepth)
                var numerator = [Double](repeating: 0, count: tree.nodes.count), denominator = numerator
                for i in 0..<n {
                    let leaf = tree.trainingLeaves[i], p = probability[i * outputs + k]
                    numerator[leaf] += target[i]
                    denominator[leaf] += p * (1 - p)
                }
                let factor = outputs == 1 ? 1 : Double(classes - 1) / Double(classes)
                for leaf in tree.leaves {
                    // means over the leaf in scikit-learn; the counts cancel; a vanishing Hessian gives 0
                    let (g, h) = (numerator[leaf], denominator[leaf])
                    tree.setValue(Swift.abs(h) < 1e-150 ? 0 : factor * g / h, ofLeaf: leaf)
                }
                for i in 0..<n { raw[i * outputs + k] += learningRate * tree.nodes[tree.trainingLeaves[i]].value }
                stage.append(tree)
            }
            trees.append(stage)
        }
        // scikit-learn averages the split trees' decreases (each over n) and normalises the mean to
        // sum 1; the averaging and the 1/n cancel in the normalisation
        var importance = [Double](repeating: 0, count: x.columns)
        for tree in trees.joined() where tree.isSplit { for f in importance.indices { importance[f] += tree.impurityDecrease[f] } }
        let total = importance.reduce(0, +)
        if total > 0 { importance = importance.map { $0 / total } }
        return GradientBoostedTreesModel(classes: index.classes, initial: initial, trees: trees, learningRate: learningRate,
                                         featureImportances: importance)
    }

    /// Softmax of each row of `raw` (n × outputs), or the logistic sigmoid for one output.
    static func probabilities(_ raw: [Double], outputs: Int) -> [Double] {
        if outputs == 1 { return raw.map { 1 / (1 + Double.exp(-$0)) } }
        var p = raw
        for start in stride(from: 0, to: raw.count, by: outputs) {
            let row = start..<(start + outputs)
            let top = raw[row].max()!
            var total = 0.0
            for j in row { p[j] = Double.exp(raw[j] - top); total += p[j] }
            for j in row { p[j] /= total }
        }
        return p
    }
}

/// A fitted `GradientBoostedTrees` classifier.
public struct GradientBoostedTreesModel: Sendable {
    /// The distinct training labels, ascending.
    public let classes: [Int]
    let initial: [Double]
    let trees: [[RegressionTree]]
    let learningRate: Double
    /// Normalised impurity-based importance of each feature (sums to 1; all 0 when no tree split).
    public let featureImportances: [Double]

    /// Raw scores, n × K (one column for two classes, the log-odds of `classes[1]`).
    /// - Complexity: O(n · stages · K · depth).
    public func decisionFunction<S: BLASScalar>(_ x: Matrix<S>) -> Matrix<Double> {
        precondition(x.columns == featureImportances.count, "GradientBoostedTreesModel: fitted on \(featureImportances.count) features, got \(x.shapeDescription)")
        let outputs = initial.count
        var out = Matrix<Double>(rows: x.rows, columns: outputs) { _, k in initial[k] }
        for i in 0..<x.rows {
            let row = (0..<x.columns).map { Float(Double(x[i, $0])) }
            for stage in trees { for (k, tree) in stage.enumerated() { out[i, k] += learningRate * tree.value(row) } }
        }
        return out
    }

    /// The predicted label of each row (the largest score, first on ties; for two classes
    /// `classes[1]` when the log-odds are ≥ 0, as scikit-learn).
    public func predict<S: BLASScalar>(_ x: Matrix<S>) -> [Int] {
        let scores = decisionFunction(x)
        if scores.columns == 1 { return (0..<scores.rows).map { classes[scores[$0, 0] >= 0 ? 1 : 0] } }
        return scores.argmax(over: .columns).map { classes[$0] }
    }

    /// The fraction of rows whose predicted label equals `labels`.
    public func accuracy<S: BLASScalar>(_ x: Matrix<S>, labels: [Int]) -> Double {
        precondition(x.rows == labels.count, "accuracy: \(x.rows) rows, \(labels.count) labels")
        return Double(zip(predict(x), labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}
