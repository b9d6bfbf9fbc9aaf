import LatentCore

/// Few-shot evaluation of fixed representations by nearest class mean ("SimpleShot").
///
/// The protocol, fixed so that numbers compare across methods and tools:
/// 1. Features are learned without labels on the training split; this type receives them.
/// 2. Both splits are centred by the mean of **all** training features (not just the shots) and
///    each row is divided by its Euclidean norm (after centring; zero rows stay zero).
/// 3. An episode draws `n` labelled training examples per class with its own generator,
///    `Xoshiro256StarStar(seed: FewShotEvaluation.episodeSeed(seed, shots: n, episode: e))`:
///    for each class in ascending label order, `rng.choice(m_c, count: n)` picks positions among
///    that class's `m_c` training rows (taken in their order in the data).
/// 4. The class mean of the normalised shots is **not** re-normalised (as in SimpleShot); each
///    test item gets the class whose mean is nearest in Euclidean distance, computed for the
///    whole test set at once as `argmax_c (2·t·μ_c − ‖μ_c‖²)` from one GEMM `T·Mᵀ`.
///    Ties go to the lower class index.
/// 5. The accuracy over the whole test set is recorded per episode; the report gives the mean
///    and the 95% half-width `1.96 · s / √E`, with `s` the sample standard deviation (ddof = 1)
///    of the `E` episode accuracies (0 when `E = 1`).
///
/// Reference: Y. Wang, W.-L. Chao, K. Q. Weinberger, L. van der Maaten, "SimpleShot: Revisiting
/// Nearest-Neighbor Classification for Few-Shot Learning", arXiv:1911.04623 (2019), "CL2N".
///
/// - Complexity: O((n_train + n_test)·d) once, then per episode O(C·n·d + n_test·C·d) (the GEMM).
///   On raw Fashion-MNIST (60000 + 10000 × 784) the default 4 × 50 episodes take seconds.
public struct FewShotEvaluation: Sendable, Equatable, Codable {
    /// Labelled examples per class in an episode, one result each (default 1, 2, 4, 8).
    public var shots: [Int]
    /// Episodes per shot count (default 50).
    public var episodes: Int
    /// Seed from which every episode's generator is derived.
    public var seed: UInt64

    /// A protocol with the given shot counts, episodes and seed.
    public init(shots: [Int] = [1, 2, 4, 8], episodes: Int = 50, seed: UInt64 = 0) {
        self.shots = shots
        self.episodes = episodes
        self.seed = seed
    }

    /// The seed of episode `episode` with `shots` examples per class: SplitMix64's finaliser applied
    /// in turn to `seed`, then xor `shots`, then xor `episode`, so every (seed, n, episode) has its
    /// own stream, independent of which other shot counts or episodes are run.
    public static func episodeSeed(_ seed: UInt64, shots: Int, episode: Int) -> UInt64 {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return mix(mix(mix(seed) ^ UInt64(shots)) ^ UInt64(episode))
    }

    /// Runs every episode for every shot count.
    /// - Parameters:
    ///   - trainFeatures: n_train × d representations of the training split.
    ///   - trainLabels: n_train labels (any integers); every class needs at least `max(shots)` rows.
    ///   - testFeatures: n_test × d representations of the test split.
    ///   - testLabels: n_test labels, each among the training classes.
    /// - Returns: one `FewShotResult` per entry of `shots`, in that order.
    /// - Throws: `EstimatorError` for bad parameters, NaN features, a class with too few
    ///   training rows, or a test label absent from training.
    public func evaluate<Scalar: BLASScalar>(trainFeatures: Matrix<Scalar>, trainLabels: [Int],
                                             testFeatures: Matrix<Scalar>, testLabels: [Int]) throws -> [FewShotResult] {
        let method = "FewShotEvaluation"
        precondition(trainFeatures.rows == trainLabels.count, "\(method): \(trainFeatures.rows) training rows, \(trainLabels.count) labels")
        precondition(testFeatures.rows == testLabels.count, "\(method): \(testFeatures.rows) test rows, \(testLabels.count) labels")
        precondition(trainFeatures.columns == testFeatures.columns,
                     "\(method): train features \(trainFeatures.shapeDescription), test features \(testFeatures.shapeDescription)")
        guard episodes >= 1 else { throw EstimatorError.invalidParameter(method: method, name: "episodes", reason: "must be at least 1, got \(episodes)") }
        guard !shots.isEmpty, shots.allSatisfy({ $0 >= 1 }) else {
            throw EstimatorError.invalidParameter(method: method, name: "shots", reason: "must be a non-empty list of positive counts, got \(shots)")
        }
        guard trainFeatures.rows > 0, testFeatures.rows > 0 else { throw EstimatorError.invalidData(method: method, reason: "empty training or test split") }
        try trainFeatures.requireFiniteInput(for: method)
        try testFeatures.requireFiniteInput(for: method)
        let index = ClassIndex(trainLabels)
        let members = index.members(of: trainLabels)
        let target = try index.indices(of: testLabels, method: method)
        if let c = members.indices.first(where: { members[$0].count < shots.max()! }) {
            throw EstimatorError.invalidData(method: method, reason: "class \(index.classes[c]) has \(members[c].count) training rows, fewer than \(shots.max()!) shots")
        }

        // Centre by the mean training feature, then L2-normalise every row, once.
        let mean = trainFeatures.mean(over: .rows)
        let train = trainFeatures.subtracting(row: mean).rowNormalized()
        let test = testFeatures.subtracting(row: mean).rowNormalized()

        return shots.map { n in
            let accuracies = (0..<episodes).map { e in
                var rng = Xoshiro256StarStar(seed: Self.episodeSeed(seed, shots: n, episode: e))
                let shotRows = members.map { rows in rng.choice(rows.count, count: n).map { rows[$0] } }
                return Self.nearestMeanAccuracy(train: train, shotRows: shotRows, test: test, target: target)
            }
            return FewShotResult(shots: n, accuracies: accuracies)
        }
    }

    /// Accuracy of the nearest-class-mean rule on `test`, with class `c`'s mean taken over
    /// `train.rows(at: shotRows[c])`. One GEMM (n_test × d)·(d × C).
    @usableFromInline
    static func nearestMeanAccuracy<Scalar: BLASScalar>(train: Matrix<Scalar>, shotRows: [[Int]], test: Matrix<Scalar>,
                                                        target: [Int]) -> Double {
        let classes = shotRows.count, d = train.columns
        var means = Matrix<Scalar>.zeros(classes, d)
        train.storage.withUnsafeBufferPointer { x in
            means.storage.withUnsafeMutableBufferPointer { m in
                for (c, rows) in shotRows.enumerated() {
                    let scale = 1 / Scalar(rows.count)
                    for r in rows { for j in 0..<d { m[c * d + j] += scale * x[r * d + j] } }
                }
            }
        }
        let meanNorms = means.rowSquaredNorms()
        var scores = Matrix<Scalar>.zeros(test.rows, classes)
        Matrix.gemm(test, means, into: &scores, transposeB: true, alpha: 2)   // 2·t·μ_c
        var correct = 0
        scores.storage.withUnsafeBufferPointer { s in
            for i in 0..<test.rows {
                var best = 0, bestScore = -Scalar.infinity
                for c in 0..<classes {
                    let v = s[i * classes + c] - meanNorms[c]
                    if v > bestScore { best = c; bestScore = v }
                }
                if best == target[i] { correct += 1 }
            }
        }
        return Double(correct) / Double(test.rows)
    }
}

/// The few-shot accuracy for one shot count over all episodes.
public struct FewShotResult: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Labelled examples per class.
    public let shots: Int
    /// Mean test accuracy over the episodes, in [0, 1].
    public let meanAccuracy: Double
    /// Half-width of the 95% confidence interval of the mean: `1.96 · s / √E`, `s` the sample
    /// standard deviation (ddof = 1) of the episode accuracies; 0 for a single episode.
    public let ci95: Double
    /// Test accuracy of each episode, in episode order.
    public let accuracies: [Double]

    /// Summarises the episode accuracies.
    public init(shots: Int, accuracies: [Double]) {
        precondition(!accuracies.isEmpty, "FewShotResult: no episodes")
        self.shots = shots
        self.accuracies = accuracies
        let e = Double(accuracies.count)
        let mean = accuracies.reduce(0, +) / e
        meanAccuracy = mean
        if accuracies.count > 1 {
            let variance = accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (e - 1)
            ci95 = 1.96 * variance.squareRoot() / e.squareRoot()
        } else {
            ci95 = 0
        }
    }

    /// `"n=1: 68.12 ± 0.53 % (50 episodes)"`.
    public var description: String {
        func percent(_ x: Double) -> String {
            let scaled = (x * 10000).rounded() / 100
            return String(describing: scaled)
        }
        return "n=\(shots): \(percent(meanAccuracy)) ± \(percent(ci95)) % (\(accuracies.count) episodes)"
    }
}
