import LatentCore

/// Disentanglement, completeness and informativeness (Eastwood & Williams 2018, "A framework for
/// the quantitative evaluation of disentangled representations"), with `disentanglement_lib`'s
/// formulas over an importance matrix `R` (codes × factors):
///
///     D = Σᵢ ρᵢ (1 − H_K(Rᵢ· / Σⱼ Rᵢⱼ)),   ρᵢ = Σⱼ Rᵢⱼ / Σ R          (K factors, entropy base K)
///     C = Σⱼ ρⱼ (1 − H_k(R·ⱼ / Σᵢ Rᵢⱼ)),   ρⱼ = Σᵢ Rᵢⱼ / Σ R          (k codes, entropy base k)
///     I = mean over factors of the predictor's test accuracy
///
/// (entropies of `R + 1e-11`, as `scipy.stats.entropy` there).
///
/// The importance matrix comes from one classifier per factor (`ImportanceModel`):
/// - `.gradientBoostedTrees` (the default, `disentanglement_lib`'s `compute_importance_gbt`):
///   scikit-learn's `GradientBoostingClassifier()` on the raw codes (`GradientBoostedTrees`), and
///   `Rᵢⱼ` its impurity-based `feature_importances_` (each factor's column sums to 1);
/// - `.logisticRegression(C:)`: a multinomial logistic regression (`LogisticRegression`, L2) on the
///   codes standardised by the training mean and standard deviation, `Rᵢⱼ` the mean over the
///   factor's classes of `|Wᶜᵢ|`. Much cheaper, but its scores are not comparable with papers.
/// Both are checked against scikit-learn with the same recipe (`scripts/fixtures/disentanglement.py`).
public struct DCIScore: Sendable, Equatable {
    /// D, in [0, 1].
    public let disentanglement: Double
    /// C, in [0, 1].
    public let completeness: Double
    /// I: mean test accuracy of the per-factor classifiers (`disentanglement_lib`'s `informativeness_test`).
    public let informativeness: Double
    /// Mean training accuracy of the per-factor classifiers.
    public let trainingAccuracy: Double
    /// `importance[i][j]`: importance of code i for factor j.
    public let importance: [[Double]]

    /// The classifier whose importances make the matrix `R`.
    public enum ImportanceModel: Sendable, Equatable {
        /// Gradient-boosted trees' impurity importances (`disentanglement_lib`).
        case gradientBoostedTrees(GradientBoostedTrees = GradientBoostedTrees())
        /// Mean |coefficient| of a logistic regression with inverse penalty `C` on standardised codes.
        case logisticRegression(C: Double)
    }

    /// DCI of a representation from training codes and factors (to fit the classifiers) and test
    /// codes and factors (for informativeness). Every factor needs at least 2 classes in training.
    /// - Throws: `EstimatorError` for mismatched or non-finite input, or what the classifier throws.
    /// - Complexity: one classifier fit per factor: for the trees O(100 · classes · 3 · k · n),
    ///   for the logistic regression O(n·k·classes) per L-BFGS evaluation.
    public static func compute<S: BLASScalar>(trainingCodes: Matrix<S>, trainingFactors: [[Int]],
                                              testCodes: Matrix<S>, testFactors: [[Int]],
                                              importance model: ImportanceModel = .gradientBoostedTrees()) throws -> DCIScore {
        let method = "DCI"
        try FactorData.validate(trainingCodes, trainingFactors, method: method)
        try FactorData.validate(testCodes, testFactors, method: method, minimumSamples: 1)
        guard testCodes.columns == trainingCodes.columns, testFactors[0].count == trainingFactors[0].count else {
            throw EstimatorError.invalidData(method: method, reason: "training and test sets have different code or factor counts")
        }
        let k = trainingCodes.columns, factorCount = trainingFactors[0].count
        var importance = [[Double]](repeating: [Double](repeating: 0, count: factorCount), count: k)
        var trainAccuracy = 0.0, testAccuracy = 0.0
        var standard: (train: Matrix<Double>, test: Matrix<Double>)?
        if case .logisticRegression = model { standard = standardised(trainingCodes, testCodes) }
        for j in 0..<factorCount {
            let y = FactorData.factor(trainingFactors, j), yTest = FactorData.factor(testFactors, j)
            guard Set(y).count >= 2 else {
                throw EstimatorError.invalidData(method: method, reason: "factor \(j) takes a single value in the training set")
            }
            switch model {
            case .gradientBoostedTrees(let trees):
                let fitted = try trees.fit(trainingCodes, labels: y)
                for i in 0..<k { importance[i][j] = Swift.abs(fitted.featureImportances[i]) }
                trainAccuracy += fitted.accuracy(trainingCodes, labels: y)
                testAccuracy += fitted.accuracy(testCodes, labels: yTest)
            case .logisticRegression(let C):
                let (train, test) = standard!
                let fitted = try LogisticRegression(C: C).fit(train, labels: y)
                for i in 0..<k {
                    importance[i][j] = (0..<fitted.weights.rows).reduce(0.0) { $0 + Swift.abs(fitted.weights[$1, i]) } / Double(fitted.weights.rows)
                }
                trainAccuracy += fitted.accuracy(train, labels: y)
                testAccuracy += fitted.accuracy(test, labels: yTest)
            }
        }
        return DCIScore(disentanglement: Self.disentanglement(importance), completeness: Self.completeness(importance),
                        informativeness: testAccuracy / Double(factorCount), trainingAccuracy: trainAccuracy / Double(factorCount),
                        importance: importance)
    }

    /// Training and test codes standardised by the training mean and population standard deviation
    /// (1 for a constant code), in `Double`.
    static func standardised<S: BLASScalar>(_ training: Matrix<S>, _ test: Matrix<S>) -> (Matrix<Double>, Matrix<Double>) {
        let k = training.columns
        let means = (0..<k).map { j in FactorData.code(training, j).reduce(0, +) / Double(training.rows) }
        let scales = (0..<k).map { j -> Double in
            let v = FactorData.code(training, j).reduce(0) { $0 + ($1 - means[j]) * ($1 - means[j]) } / Double(training.rows)
            return v > 0 ? v.squareRoot() : 1
        }
        func apply(_ z: Matrix<S>) -> Matrix<Double> { Matrix(rows: z.rows, columns: k) { (Double(z[$0, $1]) - means[$1]) / scales[$1] } }
        return (apply(training), apply(test))
    }

    /// `disentanglement_lib`'s `disentanglement(importance_matrix)` (codes × factors).
    static func disentanglement(_ r: [[Double]]) -> Double {
        let factors = r[0].count
        let perCode = r.map { 1 - entropy($0, base: factors) }
        let weights = rowSums(r.allSatisfy { $0.allSatisfy { $0 == 0 } } ? r.map { $0.map { _ in 1 } } : r)
        let total = weights.reduce(0, +)
        return zip(perCode, weights).reduce(0) { $0 + $1.0 * $1.1 / total }
    }

    /// `disentanglement_lib`'s `completeness(importance_matrix)` (codes × factors).
    static func completeness(_ r: [[Double]]) -> Double {
        let transposed = r[0].indices.map { j in r.map { $0[j] } }
        return disentanglement(transposed)
    }

    /// `scipy.stats.entropy(p + 1e-11, base:)`: the entropy of `p` normalised to sum 1.
    static func entropy(_ p: [Double], base: Int) -> Double {
        guard base > 1 else { return 0 }
        let q = p.map { $0 + 1e-11 }
        let total = q.reduce(0, +)
        return -q.reduce(0) { $0 + ($1 / total) * Double.log($1 / total) } / Double.log(Double(base))
    }

    private static func rowSums(_ r: [[Double]]) -> [Double] { r.map { $0.reduce(0, +) } }
}
