import LatentCore

/// The training state of a Bernoulli RBM: parameters, persistent chains, generator and
/// preallocated per-batch buffers. `BernoulliRBM.fit` drives one; use it directly for online
/// learning (`partialFit` on batches as they arrive, like scikit-learn's `partial_fit`) and take a
/// fitted `model` whenever you like.
///
/// Shapes (b = batch rows, m = chains, d = visible, k = hidden): `hPositive` b×k, `chain` m×k
/// (hidden samples), `vNegative` m×d, `hNegative` m×k. With PCD, m = `batchSize`; with CD, m = b.
public struct BernoulliRBMTrainer<Scalar: BLASScalar>: Sendable {
    /// The hyperparameters being followed.
    public let options: BernoulliRBM<Scalar>
    /// Weights W (hidden × visible).
    public private(set) var weights: Matrix<Scalar>
    /// Hidden bias c (hidden units).
    public private(set) var hiddenBias: [Scalar]
    /// Visible bias b (features).
    public private(set) var visibleBias: [Scalar]
    /// Number of mini-batch updates so far.
    public private(set) var updates = 0

    var rng: Xoshiro256StarStar
    var chain: Matrix<Scalar>
    var hPositive: Matrix<Scalar>
    var vNegative: Matrix<Scalar>
    var hNegative: Matrix<Scalar>
    var onesBatch: [Scalar] = []
    var onesChains: [Scalar] = []

    /// Fresh parameters for `features` visible units: weights N(0, 0.01²) drawn in row-major order
    /// from `Xoshiro256StarStar(seed: options.seed)` (scikit-learn's initialisation), zero biases,
    /// and (for PCD) `batchSize` chains in the all-zero hidden state.
    /// - Precondition: `options.validate()` passes and `features ≥ 1`.
    public init(_ options: BernoulliRBM<Scalar>, features: Int) {
        precondition((try? options.validate()) != nil, "BernoulliRBMTrainer: invalid hyperparameters \(options)")
        precondition(features >= 1, "BernoulliRBMTrainer: need at least one feature, got \(features)")
        self.options = options
        rng = Xoshiro256StarStar(seed: options.seed)
        let k = options.hiddenUnits
        weights = .randomNormal(k, features, standardDeviation: 0.01, using: &rng)
        hiddenBias = [Scalar](repeating: 0, count: k)
        visibleBias = [Scalar](repeating: 0, count: features)
        let m = options.batchSize
        chain = .zeros(m, k)
        hPositive = .zeros(m, k)
        vNegative = .zeros(m, features)
        hNegative = .zeros(m, k)
    }

    /// One update on `batch` (b × d, values in [0, 1]).
    /// - Throws: `EstimatorError` for the wrong number of features or values outside [0, 1].
    /// - Complexity: O(b·d·k + steps·m·d·k) in GEMMs.
    public mutating func partialFit(_ batch: Matrix<Scalar>) throws {
        try batch.requireFeatures(weights.columns, for: "BernoulliRBM")
        try BernoulliRBM<Scalar>.requireUnitInterval(batch)
        guard batch.rows > 0 else { return }
        update(batch)
    }

    /// The fitted model holding the current parameters.
    public func model(report: FitReport? = nil, pseudoLikelihood: [Double] = []) -> BernoulliRBMModel<Scalar> {
        BernoulliRBMModel(weights: weights, hiddenBias: hiddenBias, visibleBias: visibleBias,
                          report: report ?? FitReport(iterations: updates, finalChange: 0, converged: true),
                          pseudoLikelihood: pseudoLikelihood)
    }

    /// Whether every parameter is finite.
    var parametersAreFinite: Bool {
        weights.isFinite && hiddenBias.allSatisfy(\.isFinite) && visibleBias.allSatisfy(\.isFinite)
    }

    /// One CD-k / PCD-k update on a checked, non-empty batch (see the type's shape legend).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func update(_ vPositive: Matrix<Scalar>) {
        let (b, d, k) = (vPositive.rows, weights.columns, weights.rows)
        resize(&hPositive, b, k)

        // Positive phase: hPositive = σ(v Wᵀ + c).
        Matrix.gemm(vPositive, weights, into: &hPositive, transposeB: true)
        RBMKernels.addBiasAndSigmoid(&hPositive, bias: hiddenBias)

        // Negative phase: chains of hidden samples, k Gibbs steps h → v → h.
        let persistent: Bool
        switch options.sampling {
        case .persistent: persistent = true
        case .contrastiveDivergence:
            persistent = false
            resize(&chain, b, k)
            RBMKernels.sampleBernoulli(hPositive, into: &chain, seed: rng.next())
        }
        let m = chain.rows
        resize(&vNegative, m, d)
        resize(&hNegative, m, k)
        let steps = options.sampling.steps
        for step in 0..<steps {
            Matrix.gemm(chain, weights, into: &vNegative)                 // m×d = (m×k)(k×d)
            RBMKernels.addBiasAndSigmoid(&vNegative, bias: visibleBias)
            RBMKernels.sampleBernoulliInPlace(&vNegative, seed: rng.next())
            Matrix.gemm(vNegative, weights, into: &hNegative, transposeB: true)   // m×k
            RBMKernels.addBiasAndSigmoid(&hNegative, bias: hiddenBias)
            if persistent || step < steps - 1 {
                RBMKernels.sampleBernoulli(hNegative, into: &chain, seed: rng.next())
            }
        }

        // Update: W += lr/b · hPosᵀ vPos − lr/m · hNegᵀ vNeg; biases from the column sums.
        let lr = Scalar(options.learningRate)
        let (positive, negative) = (lr / Scalar(b), -lr / Scalar(m))
        Matrix.gemm(hPositive, vPositive, into: &weights, transposeA: true, alpha: positive, beta: 1)
        Matrix.gemm(hNegative, vNegative, into: &weights, transposeA: true, alpha: negative, beta: 1)
        if onesBatch.count != b { onesBatch = [Scalar](repeating: 1, count: b) }
        if onesChains.count != m { onesChains = [Scalar](repeating: 1, count: m) }
        hPositive.gemv(onesBatch, into: &hiddenBias, transpose: true, alpha: positive, beta: 1)
        hNegative.gemv(onesChains, into: &hiddenBias, transpose: true, alpha: negative, beta: 1)
        vPositive.gemv(onesBatch, into: &visibleBias, transpose: true, alpha: positive, beta: 1)
        vNegative.gemv(onesChains, into: &visibleBias, transpose: true, alpha: negative, beta: 1)
        updates += 1
    }

    /// Reallocates `m` when its shape differs from `rows × columns` (only for a short last batch).
    private func resize(_ m: inout Matrix<Scalar>, _ rows: Int, _ columns: Int) {
        if m.rows != rows || m.columns != columns { m = .zeros(rows, columns) }
    }
}
