import LatentCore

/// Online dictionary learning on mini-batches (Mairal, Bach, Ponce & Sapiro 2009, "Online dictionary
/// learning for sparse coding", ICML; scikit-learn ≥ 1.1's `MiniBatchDictionaryLearning`).
///
/// Each step codes one mini-batch `X_t` (b × features) against the current dictionary (lasso with
/// `alpha`), folds the codes into the running statistics
///
///     A ← β·A + Z_tᵀZ_t / b,    B ← β·B + Z_tᵀX_t / b,    β = (θ + 1 − b)/(θ + 1),
///
/// with `θ = (t + 1)·b` for the first `b − 1` steps and `b² + t + 1 − b` after (scikit-learn's
/// forgetting factor), and makes one block-coordinate pass over the atoms on `A`, `B`
/// (`DictionaryUpdate`; atoms stay in the unit ball). `fit` cycles over the (once shuffled)
/// samples for `epochs` passes, with scikit-learn's early stopping (small dictionary change or no
/// improvement of a smoothed batch cost); `partialFit` takes one step on a given batch and keeps
/// the state in this value.
///
/// ```swift
/// var learner = MiniBatchDictionaryLearning<Float>(atoms: 128, alpha: 1, batchSize: 256, seed: 0)
/// let model = try learner.fit(x)                // or, streaming:
/// for batch in batches { try learner.partialFit(batch) }
/// let streamed = try learner.currentModel()
/// ```
/// - Complexity: per step O(b·atoms·features + atoms²·features) in GEMMs and GEMVs, plus b lasso solves.
public struct MiniBatchDictionaryLearning<Scalar: BLASScalar>: Estimator {
    /// Number of atoms.
    public var atoms: Int
    /// Weight of the l1 penalty on the codes.
    public var alpha: Double
    /// Samples per mini-batch (capped at the number of samples in `fit`).
    public var batchSize: Int
    /// Passes over the data in `fit` (scikit-learn's `max_iter`).
    public var epochs: Int
    /// Shuffle the samples once before cycling over them.
    public var shuffle: Bool
    /// Sparse coding while fitting.
    public var fitAlgorithm: DictionaryFitAlgorithm
    /// Sparse coding of the fitted model's `transform`; `nil` means the fit algorithm with `alpha`.
    public var transformAlgorithm: SparseCodingAlgorithm?
    /// Stop when `‖D_t − D_{t−1}‖_F / atoms ≤ tolerance` (0 disables).
    public var tolerance: Double
    /// Stop after this many steps without improvement of the smoothed batch cost (`nil` disables).
    public var maxNoImprovement: Int?
    /// The first dictionary (`.svd` uses the data given to `fit`, or the first `partialFit` batch).
    public var initialization: DictionaryInitialization
    /// Non-negative codes.
    public var positiveCode: Bool
    /// Non-negative atoms.
    public var positiveDictionary: Bool
    /// Seed for shuffling, random initialisation and re-sampled atoms.
    public var seed: UInt64
    /// What `partialFit` has learned so far (`nil` before the first call).
    public private(set) var state: OnlineDictionaryState<Scalar>?

    /// Hyperparameters with scikit-learn's defaults (`batch_size=256`, `tol=1e-3`, `max_no_improvement=10`).
    public init(atoms: Int, alpha: Double = 1, batchSize: Int = 256, epochs: Int = 1, shuffle: Bool = true,
                fitAlgorithm: DictionaryFitAlgorithm = .lassoLARS, transformAlgorithm: SparseCodingAlgorithm? = nil,
                tolerance: Double = 1e-3, maxNoImprovement: Int? = 10, initialization: DictionaryInitialization = .svd,
                positiveCode: Bool = false, positiveDictionary: Bool = false, seed: UInt64 = 0) {
        self.atoms = atoms
        self.alpha = alpha
        self.batchSize = batchSize
        self.epochs = epochs
        self.shuffle = shuffle
        self.fitAlgorithm = fitAlgorithm
        self.transformAlgorithm = transformAlgorithm
        self.tolerance = tolerance
        self.maxNoImprovement = maxNoImprovement
        self.initialization = initialization
        self.positiveCode = positiveCode
        self.positiveDictionary = positiveDictionary
        self.seed = seed
    }

    /// Learns a dictionary from `x` (n samples × features) in `epochs` passes of mini-batches.
    /// The report's `iterations` counts steps and `objective` holds each step's mean batch cost
    /// `(½‖X_t − Z_t·D‖² + alpha‖Z_t‖₁)/b` (before that step's dictionary update).
    /// - Throws: `EstimatorError` for bad parameters or input, `LinearAlgebraError` if the SVD fails.
    public func fit(_ x: Matrix<Scalar>) throws -> DictionaryModel<Scalar> { try fit(x, onEvent: { _ in }) }

    /// `fit(x)`, calling `onEvent` after every step with its mean batch cost (`.step`; `steps` is
    /// the bound `epochs · ⌈n/b⌉`, which early stopping may cut short) and after every full pass.
    public func fit(_ x: Matrix<Scalar>, onEvent: (FitEvent) -> Void) throws -> DictionaryModel<Scalar> {
        let method = "MiniBatchDictionaryLearning"
        try validate(x, method: method)
        let n = x.rows
        var generator = Xoshiro256StarStar(seed: seed)
        let b = Swift.min(batchSize, n)
        let start = try DictionaryInitializer.initial(x, atoms: atoms, method: initialization, wantCodes: false,
                                                      generator: &generator, methodName: method)
        var online = OnlineDictionaryState(dictionary: start.dictionary, generator: generator)
        let order = shuffle ? online.generator.permutation(n) : nil
        let stepsPerEpoch = (n + b - 1) / b
        let totalSteps = epochs * stepsPerEpoch
        var ewa: Double? = nil, ewaMin: Double? = nil, noImprovement = 0
        var converged = false
        for step in 0..<totalSteps {
            let lo = (step % stepsPerEpoch) * b, hi = Swift.min(n, lo + b)
            let batch = order.map { x.rows(at: Array($0[lo..<hi])) } ?? x.rows(lo..<hi)
            let cost = try self.step(&online, batch: batch, method: method)
            onEvent(.step(step: step + 1, steps: totalSteps, epoch: step / stepsPerEpoch + 1, cost: cost))
            if (step + 1) % stepsPerEpoch == 0 {
                onEvent(.epochFinished(epoch: (step + 1) / stepsPerEpoch, epochs: epochs, score: nil))
            }
            // scikit-learn's `_check_convergence`: skip the first min(100, n/b) steps, then watch
            // the dictionary change and an exponentially weighted average of the batch cost.
            let count = step + 1
            if Double(count) > Swift.min(100, Double(n) / Double(b)) {
                let weight = Swift.min(Double(hi - lo) / Double(n + 1), 1)
                ewa = ewa.map { $0 * (1 - weight) + cost * weight } ?? cost
                if tolerance > 0 && online.lastChange <= tolerance { converged = true; break }
                if ewaMin == nil || ewa! < ewaMin! { noImprovement = 0; ewaMin = ewa } else { noImprovement += 1 }
                if let limit = maxNoImprovement, noImprovement >= limit { converged = true; break }
            }
        }
        let report = FitReport(iterations: online.steps, finalChange: online.lastChange, converged: converged,
                               objective: online.objective)
        let coder = try SparseCoder(dictionary: online.dictionary, algorithm: transformAlgorithm ?? fitAlgorithm.algorithm(alpha: alpha),
                                    positive: positiveCode)
        return DictionaryModel(coder: coder, alpha: alpha, report: report)
    }

    /// One online step on `batch` (b × features), starting from `initialization` on the first call
    /// (the `.svd` start uses this batch). Values are independent: a copy keeps its own state.
    /// - Throws: `EstimatorError` for bad parameters, a feature mismatch or non-finite input.
    public mutating func partialFit(_ batch: Matrix<Scalar>) throws {
        let method = "MiniBatchDictionaryLearning.partialFit"
        try validate(batch, method: method)
        if var online = state {
            try batch.requireFeatures(online.dictionary.columns, for: method)
            state = nil                                  // keep the buffers uniquely referenced
            defer { state = online }
            _ = try step(&online, batch: batch, method: method)
        } else {
            var generator = Xoshiro256StarStar(seed: seed)
            let start = try DictionaryInitializer.initial(batch, atoms: atoms, method: initialization, wantCodes: false,
                                                          generator: &generator, methodName: method)
            var online = OnlineDictionaryState(dictionary: start.dictionary, generator: generator)
            _ = try step(&online, batch: batch, method: method)
            state = online
        }
    }

    /// The model learned by `partialFit` so far.
    /// - Throws: `EstimatorError.tooFewSamples` before the first `partialFit`.
    public func currentModel() throws -> DictionaryModel<Scalar> {
        guard let online = state else {
            throw EstimatorError.tooFewSamples(method: "MiniBatchDictionaryLearning", samples: 0, needed: 1)
        }
        let coder = try SparseCoder(dictionary: online.dictionary, algorithm: transformAlgorithm ?? fitAlgorithm.algorithm(alpha: alpha),
                                    positive: positiveCode)
        let report = FitReport(iterations: online.steps, finalChange: online.lastChange, converged: false,
                               objective: online.objective)
        return DictionaryModel(coder: coder, alpha: alpha, report: report)
    }

    /// scikit-learn's `_minibatch_step`: code, score, update the statistics, update the atoms.
    /// Returns the mean batch cost before the update.
    private func step(_ online: inout OnlineDictionaryState<Scalar>, batch: Matrix<Scalar>, method: String) throws -> Double {
        let b = batch.rows, k = atoms
        let gram = online.dictionary.gram(transpose: false)
        var (codes, correlations) = SparseCoding.encodeWithCorrelations(
            batch, dictionary: online.dictionary, gram: gram, algorithm: fitAlgorithm.algorithm(alpha: alpha),
            positive: positiveCode, lipschitz: 0)
        let zz = codes.gram(transpose: true)                                   // Z_tᵀZ_t, k × k
        // ‖X − ZD‖² = ‖X‖² − 2⟨Z, X·Dᵀ⟩ + ⟨ZᵀZ, D·Dᵀ⟩: no extra GEMM for the cost.
        var xx = 0.0, zc = 0.0, zzg = 0.0, l1 = 0.0
        batch.storage.withUnsafeBufferPointer { p in for v in p { xx += Double(v * v) } }
        codes.storage.withUnsafeBufferPointer { pz in
            correlations.storage.withUnsafeBufferPointer { pc in
                for i in 0..<pz.count where pz[i] != 0 { zc += Double(pz[i] * pc[i]); l1 += Double(abs(pz[i])) }
            }
        }
        for i in 0..<(k * k) { zzg += Double(zz.storage[i] * gram.storage[i]) }
        let cost = (0.5 * Swift.max(xx - 2 * zc + zzg, 0) + alpha * l1) / Double(b)
        guard cost.isFinite else {
            throw EstimatorError.invalidData(method: method, reason: "batch cost became \(cost) at step \(online.steps + 1)")
        }
        // Forgetting factor (scikit-learn's `_update_inner_stats`).
        let t = online.steps
        let theta = t < b - 1 ? Double((t + 1) * b) : Double(b * b + t + 1 - b)
        let beta = Scalar((theta + 1 - Double(b)) / (theta + 1))
        let scale = 1 / Scalar(b)
        online.a.storage.withUnsafeMutableBufferPointer { pa in
            for i in 0..<(k * k) { pa[i] = beta * pa[i] + scale * zz.storage[i] }
        }
        Matrix.gemm(codes, batch, into: &online.b, transposeA: true, alpha: scale, beta: beta)   // B ← βB + ZᵀX/b
        let before = online.dictionary
        DictionaryUpdate.update(&online.dictionary, a: online.a, b: online.b, data: batch, codes: &codes,
                                positive: positiveDictionary, generator: &online.generator)
        online.lastChange = Double((online.dictionary - before).frobeniusNorm()) / Double(k)
        online.steps += 1
        online.objective.append(cost)
        return cost
    }

    private func validate(_ x: Matrix<Scalar>, method: String) throws {
        func bad(_ name: String, _ reason: String) -> EstimatorError { .invalidParameter(method: method, name: name, reason: reason) }
        guard atoms >= 1 else { throw bad("atoms", "must be ≥ 1, got \(atoms)") }
        guard alpha >= 0 && alpha.isFinite else { throw bad("alpha", "must be finite and ≥ 0, got \(alpha)") }
        guard batchSize >= 1 else { throw bad("batchSize", "must be ≥ 1, got \(batchSize)") }
        guard epochs >= 1 else { throw bad("epochs", "must be ≥ 1, got \(epochs)") }
        guard tolerance >= 0 && tolerance.isFinite else { throw bad("tolerance", "must be finite and ≥ 0, got \(tolerance)") }
        if let m = maxNoImprovement, m < 1 { throw bad("maxNoImprovement", "must be ≥ 1 or nil, got \(m)") }
        try transformAlgorithm?.validate(atoms: atoms, positive: positiveCode, method: method)
        guard x.rows >= 1 && x.columns >= 1 else { throw EstimatorError.tooFewSamples(method: method, samples: x.rows, needed: 1) }
        try x.requireFiniteInput(for: method)
    }
}

/// The state of online dictionary learning between `partialFit` calls.
public struct OnlineDictionaryState<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    /// The current atoms, atoms × features.
    public internal(set) var dictionary: Matrix<Scalar>
    /// Running `ZᵀZ` statistic, atoms × atoms.
    public internal(set) var a: Matrix<Scalar>
    /// Running `ZᵀX` statistic, atoms × features (scikit-learn's `B` transposed).
    public internal(set) var b: Matrix<Scalar>
    /// Steps taken so far.
    public internal(set) var steps: Int
    /// The mean batch cost of each step.
    public internal(set) var objective: [Double]
    /// `‖D_t − D_{t−1}‖_F / atoms` of the last step (scikit-learn's dictionary-change criterion).
    public internal(set) var lastChange: Double
    /// The generator for re-sampled atoms, continued across calls.
    public internal(set) var generator: Xoshiro256StarStar

    init(dictionary: Matrix<Scalar>, generator: Xoshiro256StarStar) {
        self.dictionary = dictionary
        self.a = .zeros(dictionary.rows, dictionary.rows)
        self.b = .zeros(dictionary.rows, dictionary.columns)
        self.steps = 0
        self.objective = []
        self.lastChange = 0
        self.generator = generator
    }
}
