import LatentCore

/// A trained Bernoulli RBM (see `BernoulliRBM` for the energy and the notation).
///
/// The representation of a sample is its vector of hidden probabilities `σ(W v + c)`.
/// `inverseTransform` is the mean-field visible reconstruction `σ(Wᵀ h + b)`: an RBM has no exact
/// inverse, and this is the visible half of one deterministic Gibbs step.
public struct BernoulliRBMModel<Scalar: BLASScalar>: InvertibleTransformer {
    /// Weights W (hidden × visible), scikit-learn's `components_`.
    public let weights: Matrix<Scalar>
    /// Hidden bias c (hidden units), scikit-learn's `intercept_hidden_`.
    public let hiddenBias: [Scalar]
    /// Visible bias b (features), scikit-learn's `intercept_visible_`.
    public let visibleBias: [Scalar]
    /// Epochs run; `objective` is the mean squared reconstruction error on the monitoring rows
    /// after each epoch (`reconstructionError`). There is no stopping rule, so `converged` is true.
    public let report: FitReport
    /// Mean pseudo-likelihood of the monitoring rows after each epoch, with the same flipped bit
    /// per row every epoch so that values compare (higher is better).
    public let pseudoLikelihood: [Double]

    /// A model from explicit parameters (e.g. weights trained elsewhere).
    public init(weights: Matrix<Scalar>, hiddenBias: [Scalar], visibleBias: [Scalar],
                report: FitReport = FitReport(iterations: 0, finalChange: 0, converged: true), pseudoLikelihood: [Double] = []) {
        precondition(hiddenBias.count == weights.rows && visibleBias.count == weights.columns,
                     "BernoulliRBMModel: weights \(weights.shapeDescription), hidden bias \(hiddenBias.count), visible bias \(visibleBias.count)")
        self.weights = weights
        self.hiddenBias = hiddenBias
        self.visibleBias = visibleBias
        self.report = report
        self.pseudoLikelihood = pseudoLikelihood
    }

    /// Number of visible units d.
    public var inputFeatures: Int { weights.columns }
    /// Number of hidden units k.
    public var outputFeatures: Int { weights.rows }

    // MARK: - Conditionals

    /// Hidden probabilities `p(h = 1 | v) = σ(v Wᵀ + c)` (n × d → n × k). - Complexity: one GEMM.
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "BernoulliRBM")
        return hiddenProbabilities(x)
    }

    /// Visible probabilities `p(v = 1 | h) = σ(h W + b)` (n × k → n × d): the mean-field reconstruction
    /// from hidden probabilities or samples. - Complexity: one GEMM.
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try z.requireFeatures(outputFeatures, for: "BernoulliRBM.inverseTransform")
        return visibleProbabilities(z)
    }

    func hiddenProbabilities(_ v: Matrix<Scalar>) -> Matrix<Scalar> {
        var h = Matrix.gemm(v, weights, transposeB: true)
        RBMKernels.addBiasAndSigmoid(&h, bias: hiddenBias)
        return h
    }

    func visibleProbabilities(_ h: Matrix<Scalar>) -> Matrix<Scalar> {
        var v = Matrix.gemm(h, weights)
        RBMKernels.addBiasAndSigmoid(&v, bias: visibleBias)
        return v
    }

    // MARK: - Sampling

    /// `steps` block-Gibbs steps v → h ~ p(h | v) → v ~ p(v | h) from each row of `v` (n × d);
    /// returns the binary visible samples after the last step (scikit-learn's `gibbs`, repeated).
    /// - Complexity: O(steps · n · d · k).
    /// - Throws: `EstimatorError.featureMismatch` when `v` does not have `inputFeatures` columns.
    public func gibbs(_ v: Matrix<Scalar>, steps: Int = 1, using rng: inout Xoshiro256StarStar) throws -> Matrix<Scalar> {
        try v.requireFeatures(inputFeatures, for: "BernoulliRBM.gibbs")
        precondition(steps >= 0, "gibbs: steps must not be negative, got \(steps)")
        var visible = v
        for _ in 0..<steps {
            var h = hiddenProbabilities(visible)
            RBMKernels.sampleBernoulliInPlace(&h, seed: rng.next())
            visible = visibleProbabilities(h)
            RBMKernels.sampleBernoulliInPlace(&visible, seed: rng.next())
        }
        return visible
    }

    // MARK: - Scores

    /// The free energy `F(v) = −bᵀv − Σⱼ log(1 + exp((W v + c)ⱼ))` of each row (so p(v) ∝ e^{−F(v)}).
    /// - Complexity: one GEMM (n × d × k) and n·k exponentials.
    /// - Throws: `EstimatorError.featureMismatch` when `x` does not have `inputFeatures` columns.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func freeEnergy(_ x: Matrix<Scalar>) throws -> [Scalar] {
        try x.requireFeatures(inputFeatures, for: "BernoulliRBM.freeEnergy")
        var activation = Matrix.gemm(x, weights, transposeB: true)   // n×k, before the bias
        var energy = x.gemv(visibleBias, alpha: -1)                 // −bᵀv per row
        let k = outputFeatures
        activation.storage.withUnsafeMutableBufferPointer { a in
            hiddenBias.withUnsafeBufferPointer { c in
                energy.withUnsafeMutableBufferPointer { e in
                    let (pa, pc, pe) = (a.baseAddress!, c.baseAddress!, e.baseAddress!)
                    Parallel.forEachChunk(count: x.rows, minimumPerThread: Swift.max(1, RBMKernels.minimumPerThread / Swift.max(1, k))) { range in
                        for i in range {
                            var sum: Scalar = 0
                            for j in 0..<k { sum += RBMKernels.softplus(pa[i * k + j] + pc[j]) }
                            pe[i] -= sum
                        }
                    }
                }
            }
        }
        return energy
    }

    /// The pseudo-likelihood of each row with bit `flipping[i]` of row i flipped, as scikit-learn's
    /// `score_samples`: `d · log σ(F(v′) − F(v))`, where `v′` is `v` with `v′ᵢ = 1 − vᵢ` at the flipped
    /// index. The difference is computed exactly by a rank-one change of the hidden activations
    /// (`Wv′ = Wv + (v′ᵢ − vᵢ)·W[:, i]`), so only one GEMM is needed.
    /// - Complexity: one GEMM (n × d × k) and O(n·k) exponentials.
    /// - Throws: `EstimatorError.featureMismatch` when `x` does not have `inputFeatures` columns.
    /// - Precondition: one flip index in `0..<inputFeatures` per row.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func pseudoLikelihood(_ x: Matrix<Scalar>, flipping: [Int]) throws -> [Scalar] {
        try x.requireFeatures(inputFeatures, for: "BernoulliRBM.pseudoLikelihood")
        precondition(flipping.count == x.rows, "pseudoLikelihood: \(flipping.count) flip indices for \(x.rows) rows")
        let (d, k) = (inputFeatures, outputFeatures)
        precondition(flipping.allSatisfy { $0 >= 0 && $0 < d }, "pseudoLikelihood: flip indices must lie in 0..<\(d)")
        let activation = Matrix.gemm(x, weights, transposeB: true)
        var result = [Scalar](repeating: 0, count: x.rows)
        activation.storage.withUnsafeBufferPointer { a in
            weights.storage.withUnsafeBufferPointer { w in
                x.storage.withUnsafeBufferPointer { v in
                    result.withUnsafeMutableBufferPointer { out in
                        let (pa, pw, pv, po) = (a.baseAddress!, w.baseAddress!, v.baseAddress!, out.baseAddress!)
                        Parallel.forEachChunk(count: x.rows, minimumPerThread: Swift.max(1, RBMKernels.minimumPerThread / Swift.max(1, 2 * k))) { range in
                            for row in range {
                                let i = flipping[row]
                                let delta = 1 - 2 * pv[row * d + i]                 // v′ᵢ − vᵢ
                                var change = -delta * visibleBias[i]                 // F(v′) − F(v)
                                for j in 0..<k {
                                    let before = pa[row * k + j] + hiddenBias[j]
                                    change -= RBMKernels.softplus(before + delta * pw[j * d + i]) - RBMKernels.softplus(before)
                                }
                                po[row] = -Scalar(d) * RBMKernels.softplus(-change)   // d · log σ(change)
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The pseudo-likelihood of each row (see `pseudoLikelihood(_:flipping:)`) with one bit per row
    /// flipped at an index drawn uniformly from `Xoshiro256StarStar(seed:)`, like scikit-learn's
    /// `score_samples`. A proxy for the log-likelihood: higher is better.
    public func score(_ x: Matrix<Scalar>, seed: UInt64 = 0) throws -> [Scalar] {
        try x.requireFeatures(inputFeatures, for: "BernoulliRBM")
        var rng = Xoshiro256StarStar(seed: seed)
        return try pseudoLikelihood(x, flipping: (0..<x.rows).map { _ in rng.integer(below: inputFeatures) })
    }

    /// Mean squared error per element between `x` and its mean-field reconstruction
    /// `σ(σ(x Wᵀ + c) W + b)`: `(1 / (n·d)) Σ (x − x̂)²`. - Complexity: two GEMMs.
    /// - Throws: `EstimatorError.featureMismatch` when `x` does not have `inputFeatures` columns.
    public func reconstructionError(_ x: Matrix<Scalar>) throws -> Double {
        try x.requireFeatures(inputFeatures, for: "BernoulliRBM")
        guard x.count > 0 else { return 0 }
        let reconstruction = visibleProbabilities(hiddenProbabilities(x))
        var sum = 0.0
        for (a, b) in zip(x.storage, reconstruction.storage) { let e = Double(a - b); sum += e * e }
        return sum / Double(x.count)
    }
}
