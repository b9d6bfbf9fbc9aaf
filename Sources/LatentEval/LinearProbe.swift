import LatentCore

/// Linear-probe evaluation: logistic regression on a fraction of the training labels.
///
/// The protocol: features are standardised (when `standardize`) with the mean and standard
/// deviation (divisor n, zero deviations left at 1, as scikit-learn's `StandardScaler`) of **all**
/// training features — they are unlabelled, so every fraction may use them — applied to train and
/// test alike. For each fraction `f`, a stratified subset keeps `max(1, round(f · m_c))` of the
/// `m_c` training rows of every class `c`, drawn by `rng.choice(m_c, count:)` in ascending class
/// order with `rng = Xoshiro256StarStar(seed: LinearProbe.subsetSeed(seed, fraction: f))`
/// (fraction 1 takes every row); `regression` is fitted on that subset and scored on the whole
/// test split.
/// - Complexity: one logistic-regression fit per fraction (O(n_f·d·K) per L-BFGS evaluation)
///   plus O(n_test·d·K) to score.
public struct LinearProbe: Sendable, Equatable, Codable {
    /// Fractions of the training labels to use (default 1%, 10%, 100%).
    public var fractions: [Double]
    /// The classifier and its solver settings (default `C = 1`, tolerance 1e-4, 1000 iterations).
    public var regression: LogisticRegression
    /// Whether to standardise the features first (default true).
    public var standardize: Bool
    /// Seed of the label subsets.
    public var seed: UInt64

    /// A probe over the given label fractions.
    public init(fractions: [Double] = [0.01, 0.1, 1], regression: LogisticRegression = LogisticRegression(maxIterations: 1000),
                standardize: Bool = true, seed: UInt64 = 0) {
        self.fractions = fractions
        self.regression = regression
        self.standardize = standardize
        self.seed = seed
    }

    /// The seed of the subset for `fraction`: SplitMix64's finaliser of `seed` xor the fraction's bits,
    /// so each fraction's subset does not depend on which other fractions are run.
    public static func subsetSeed(_ seed: UInt64, fraction: Double) -> UInt64 {
        var z = (seed ^ fraction.bitPattern) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Row indices (ascending) of the stratified subset for `fraction` of `labels`.
    public static func stratifiedSubset(labels: [Int], fraction: Double, seed: UInt64) -> [Int] {
        precondition(fraction > 0 && fraction <= 1, "stratifiedSubset: fraction \(fraction) is not in (0, 1]")
        if fraction == 1 { return Array(labels.indices) }
        var rng = Xoshiro256StarStar(seed: subsetSeed(seed, fraction: fraction))
        return ClassIndex(labels).members(of: labels).flatMap { rows -> [Int] in
            let count = Swift.min(rows.count, Swift.max(1, Int((fraction * Double(rows.count)).rounded())))
            return rng.choice(rows.count, count: count).map { rows[$0] }
        }.sorted()
    }

    /// Fits and scores one probe per fraction.
    /// - Parameters: train n_train × d with labels, test n_test × d with labels.
    /// - Returns: one result per fraction, in order.
    /// - Throws: `EstimatorError` for a fraction outside (0, 1], a subset with fewer than two
    ///   classes, or what `LogisticRegression.fit` throws.
    public func evaluate<Scalar: BLASScalar>(trainFeatures: Matrix<Scalar>, trainLabels: [Int], testFeatures: Matrix<Scalar>,
                                             testLabels: [Int]) throws -> [LinearProbeResult] {
        precondition(trainFeatures.rows == trainLabels.count, "LinearProbe: \(trainFeatures.rows) training rows, \(trainLabels.count) labels")
        precondition(testFeatures.rows == testLabels.count, "LinearProbe: \(testFeatures.rows) test rows, \(testLabels.count) labels")
        precondition(trainFeatures.columns == testFeatures.columns, "LinearProbe: train \(trainFeatures.shapeDescription), test \(testFeatures.shapeDescription)")
        if let bad = fractions.first(where: { !($0 > 0 && $0 <= 1) }) {
            throw EstimatorError.invalidParameter(method: "LinearProbe", name: "fractions", reason: "must lie in (0, 1], got \(bad)")
        }
        var (train, test) = (trainFeatures, testFeatures)
        if standardize {
            let (scaled, mean, scale) = trainFeatures.standardized()
            train = scaled
            test = testFeatures.subtracting(row: mean).dividing(row: scale)
        }
        return try fractions.map { fraction in
            let rows = Self.stratifiedSubset(labels: trainLabels, fraction: fraction, seed: seed)
            let model = try regression.fit(train.rows(at: rows), labels: rows.map { trainLabels[$0] })
            return LinearProbeResult(fraction: fraction, labelledSamples: rows.count,
                                     accuracy: model.accuracy(test, labels: testLabels), report: model.report)
        }
    }
}

/// The test accuracy of a probe trained on one fraction of the labels.
public struct LinearProbeResult: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Fraction of training labels requested.
    public let fraction: Double
    /// Labelled rows actually used (the stratified subset's size).
    public let labelledSamples: Int
    /// Accuracy on the whole test split, in [0, 1].
    public let accuracy: Double
    /// The solver's report for this fit.
    public let report: LBFGSReport

    /// `"10% (6000 labels): 84.12 %"`.
    public var description: String {
        "\(fraction * 100)% (\(labelledSamples) labels): \((accuracy * 10000).rounded() / 100) %"
    }
}
