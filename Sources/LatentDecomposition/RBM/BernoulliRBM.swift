import LatentCore

/// A restricted Boltzmann machine with binary visible and hidden units, trained by contrastive
/// divergence (Hinton 2002) or persistent contrastive divergence (Tieleman 2008), following
/// Hinton's practical guide (2010) and scikit-learn's `BernoulliRBM`.
///
/// The energy of a visible vector `v` (d) and a hidden vector `h` (k) is
/// `E(v, h) = −bᵀv − cᵀh − hᵀWv`, with weights `W` (k × d), visible bias `b` and hidden bias `c`,
/// so `p(h = 1 | v) = σ(Wv + c)` and `p(v = 1 | h) = σ(Wᵀh + b)`. Inputs must lie in [0, 1]
/// (binary data or pixel intensities read as probabilities).
///
/// Each mini-batch update moves the parameters along the likelihood gradient estimate
/// `ΔW = lr · (⟨h vᵀ⟩_data − ⟨h vᵀ⟩_model)`, where the data term uses the hidden probabilities of the
/// batch and the model term the visible samples and hidden probabilities at the end of a Gibbs chain:
/// for CD-k a chain of k steps started at the batch; for PCD-k, k more steps of chains that persist
/// across updates (`batchSize` of them, started at all-zero hidden states, as in scikit-learn).
/// scikit-learn's `BernoulliRBM` is PCD-1 with `batchSize` chains and batches in data order.
///
/// ```swift
/// let rbm = try BernoulliRBM<Float>(hiddenUnits: 256, learningRate: 0.1, batchSize: 100, epochs: 10).fit(x)
/// let features = try rbm.transform(x)            // n × 256 hidden probabilities
/// ```
public struct BernoulliRBM<Scalar: BLASScalar>: Estimator {
    /// How the negative (model) statistics are sampled.
    public enum Sampling: Sendable, Codable, Equatable {
        /// CD-k: a Gibbs chain of `steps` steps started at each batch (Hinton 2002).
        case contrastiveDivergence(steps: Int)
        /// PCD-k: `steps` Gibbs steps per update on persistent chains (Tieleman 2008); scikit-learn uses `steps: 1`.
        case persistent(steps: Int)

        /// The number of Gibbs steps per update.
        public var steps: Int {
            switch self {
            case let .contrastiveDivergence(steps), let .persistent(steps): return steps
            }
        }
    }

    /// Number of hidden units `k` (scikit-learn's `n_components`).
    public var hiddenUnits: Int
    /// Step size; each update averages the gradient over the batch (scikit-learn's `learning_rate`).
    public var learningRate: Double
    /// Samples per mini-batch, and the number of persistent chains.
    public var batchSize: Int
    /// Passes over the data (scikit-learn's `n_iter`).
    public var epochs: Int
    /// CD-k or PCD-k.
    public var sampling: Sampling
    /// Visit the batches in a fresh random order each epoch (`false`: in data order, like scikit-learn).
    public var shuffle: Bool
    /// Rows (drawn once by the seed) on which the reconstruction error and pseudo-likelihood are
    /// recorded after each epoch; 0 records nothing. Costs about 3 products of this many rows per epoch.
    public var monitorSamples: Int
    /// Seed of the weight initialisation, the batch order, the monitoring rows and every Gibbs sample.
    /// The random draws do not depend on the thread count; the weights are bitwise identical for the
    /// same seed and thread count (OpenBLAS's rounding depends on how it splits a product).
    public var seed: UInt64

    /// Hyperparameters; the defaults are scikit-learn's (256 hidden units, learning rate 0.1,
    /// batches of 10, 10 epochs, PCD-1, batches in data order).
    public init(hiddenUnits: Int = 256, learningRate: Double = 0.1, batchSize: Int = 10, epochs: Int = 10,
                sampling: Sampling = .persistent(steps: 1), shuffle: Bool = false, monitorSamples: Int = 1000,
                seed: UInt64 = 0) {
        self.hiddenUnits = hiddenUnits
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.epochs = epochs
        self.sampling = sampling
        self.shuffle = shuffle
        self.monitorSamples = monitorSamples
        self.seed = seed
    }

    /// Throws `EstimatorError.invalidParameter` for a hyperparameter out of range.
    public func validate() throws {
        func bad(_ name: String, _ reason: String) -> EstimatorError {
            .invalidParameter(method: "BernoulliRBM", name: name, reason: reason)
        }
        if hiddenUnits < 1 { throw bad("hiddenUnits", "must be at least 1, got \(hiddenUnits)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw bad("learningRate", "must be positive and finite, got \(learningRate)") }
        if batchSize < 1 { throw bad("batchSize", "must be at least 1, got \(batchSize)") }
        if epochs < 0 { throw bad("epochs", "must not be negative, got \(epochs)") }
        if sampling.steps < 1 { throw bad("sampling", "needs at least one Gibbs step, got \(sampling.steps)") }
        if monitorSamples < 0 { throw bad("monitorSamples", "must not be negative, got \(monitorSamples)") }
    }

    /// Trains on `x` (n samples × d features, values in [0, 1]) for `epochs` passes of
    /// ⌈n / batchSize⌉ updates each.
    /// - Throws: `EstimatorError` for bad hyperparameters, empty, non-finite or out-of-range input,
    ///   and when the weights stop being finite (learning rate too large).
    /// - Complexity: O(epochs · n · d · k · (2 + 3·steps)) in GEMMs, plus O(epochs · n · (d + k) · steps)
    ///   exponentials and random draws.
    public func fit(_ x: Matrix<Scalar>) throws -> BernoulliRBMModel<Scalar> { try fit(x, onEvent: { _ in }) }

    /// `fit(x)`, calling `onEvent` after every update (`.step`, no cost) and after every epoch
    /// (`.epochFinished` with the monitor rows' mean pseudo-likelihood, `nil` without monitor rows).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fit(_ x: Matrix<Scalar>, onEvent: (FitEvent) -> Void) throws -> BernoulliRBMModel<Scalar> {
        try validate()
        try Self.requireUnitInterval(x)
        if x.rows < 1 { throw EstimatorError.tooFewSamples(method: "BernoulliRBM", samples: x.rows, needed: 1) }
        let (n, d) = (x.rows, x.columns)
        var trainer = BernoulliRBMTrainer(self, features: d)

        // A second stream, 2¹²⁸ draws away from the trainer's, orders the batches and picks the monitor rows.
        var orderRNG = Xoshiro256StarStar(seed: seed)
        orderRNG.jump()
        let monitorRows = orderRNG.choice(n, count: Swift.min(monitorSamples, n)).sorted()
        let monitor = x.rows(at: monitorRows)
        let monitorFlips = monitorRows.map { _ in orderRNG.integer(below: d) }

        var batch = Matrix<Scalar>.zeros(Swift.min(batchSize, n), d)
        var reconstruction = [Double](), pseudoLikelihood = [Double]()
        let batchesPerEpoch = (n + batchSize - 1) / batchSize
        for epoch in 0..<epochs {
            let order = shuffle ? orderRNG.permutation(n) : nil
            for (b, start) in stride(from: 0, to: n, by: batchSize).enumerated() {
                let rows = Swift.min(batchSize, n - start)
                if batch.rows != rows { batch = .zeros(rows, d) }
                Self.gather(x, order.map { Array($0[start..<start + rows]) }, from: start, into: &batch)
                trainer.update(batch)
                onEvent(.step(step: epoch * batchesPerEpoch + b + 1, steps: epochs * batchesPerEpoch, epoch: epoch + 1, cost: nil))
            }
            guard trainer.parametersAreFinite else {
                throw EstimatorError.invalidParameter(
                    method: "BernoulliRBM", name: "learningRate",
                    reason: "\(learningRate) made the weights overflow to NaN or infinity in epoch \(epoch + 1)")
            }
            if !monitorRows.isEmpty {
                let model = trainer.model(report: FitReport(iterations: epoch + 1, finalChange: 0, converged: true))
                reconstruction.append(try model.reconstructionError(monitor))
                pseudoLikelihood.append(try model.pseudoLikelihood(monitor, flipping: monitorFlips).reduce(0.0) { $0 + Double($1) }
                                        / Double(monitorRows.count))
            }
            onEvent(.epochFinished(epoch: epoch + 1, epochs: epochs, score: monitorRows.isEmpty ? nil : pseudoLikelihood.last))
        }
        let change = reconstruction.count >= 2 ? Swift.abs(reconstruction[reconstruction.count - 1] - reconstruction[reconstruction.count - 2]) : 0
        let report = FitReport(iterations: epochs, finalChange: change, converged: true, objective: reconstruction)
        return trainer.model(report: report, pseudoLikelihood: pseudoLikelihood)
    }

    /// Copies rows `order` (or the contiguous rows from `start` when `order` is nil) of `x` into `batch`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func gather(_ x: Matrix<Scalar>, _ order: [Int]?, from start: Int, into batch: inout Matrix<Scalar>) {
        let d = x.columns
        x.storage.withUnsafeBufferPointer { src in
            batch.storage.withUnsafeMutableBufferPointer { dst in
                if let order {
                    for (r, i) in order.enumerated() { (dst.baseAddress! + r * d).update(from: src.baseAddress! + i * d, count: d) }
                } else {
                    dst.baseAddress!.update(from: src.baseAddress! + start * d, count: batch.rows * d)
                }
            }
        }
    }

    /// Throws unless every element of `x` is finite and in [0, 1] (`nonFinite` for NaN or ±∞,
    /// `invalidData` otherwise). One pass over the buffer. - Complexity: O(n·d).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func requireUnitInterval(_ x: Matrix<Scalar>) throws {
        let bad = x.storage.withUnsafeBufferPointer { p -> Int? in
            for i in 0..<p.count where !(p[i] >= 0 && p[i] <= 1) { return i }   // NaN fails both comparisons
            return nil
        }
        guard let i = bad else { return }
        let (row, column, value) = (i / x.columns, i % x.columns, x.storage[i])
        if !value.isFinite { throw EstimatorError.nonFinite(method: "BernoulliRBM", row: row, column: column) }
        throw EstimatorError.invalidData(
            method: "BernoulliRBM", reason: "inputs must lie in [0, 1]; element (row \(row), column \(column)) is \(value)")
    }
}
