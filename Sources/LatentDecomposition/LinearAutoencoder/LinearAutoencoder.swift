import LatentCore

/// A linear autoencoder: an encoder A (k × d) and a decoder B (d × k) that minimise the mean
/// squared reconstruction error of the centred data, `L(A, B) = (1/n) Σᵢ ‖xᵢ − B A xᵢ‖²`.
///
/// Baldi & Hornik (1989): every minimum of L is global and spans the principal subspace, the
/// span of the top-k right singular vectors V_k of the centred data. `A = V_kᵀ`, `B = V_k` is one
/// solution (`.closedForm`); so is `A = G V_kᵀ`, `B = V_k G⁻¹` for any invertible k × k G, which is
/// why gradient descent recovers the subspace but not the principal axes themselves.
///
/// Gradient descent uses, for a batch X (m × d) with codes Z = X Aᵀ and residuals R = Z Bᵀ − X,
/// `∂L/∂B = (2/m) Rᵀ Z` and `∂L/∂A = (2/m) (R B)ᵀ X`: five GEMMs per step.
///
/// ```swift
/// let ae = try LinearAutoencoder<Double>(components: 3, epochs: 2000).fit(x)
/// let z = try ae.transform(x)            // n × 3
/// ```
public struct LinearAutoencoder<Scalar: BLASScalar>: Estimator {
    /// How the weights are found.
    public enum Method: Sendable, Codable, Equatable {
        /// Iterative training with `optimizer`, from a random start.
        case gradientDescent
        /// The SVD solution A = V_kᵀ, B = V_k (top-k eigenvectors of the scatter matrix); ignores
        /// the optimizer settings.
        case closedForm
    }

    /// The update rule for gradient descent.
    public enum Optimizer: Sendable, Codable, Equatable {
        /// Heavy-ball momentum (Polyak 1964): `u ← μ u − (lr/λ₁)·g`, `θ ← θ + u` (μ = 0 is plain
        /// gradient descent). The curvature of L grows with the data's largest variance λ₁, so the
        /// step is `learningRate / λ₁` (λ₁ by power iteration on the centred data) and the same
        /// `learningRate` works at any scale; values up to about 0.2 are stable with μ = 0.9.
        case momentum(learningRate: Double, momentum: Double = 0.9)
        /// Adam (Kingma & Ba 2015) with bias correction; insensitive to the data's scale.
        case adam(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)

        var learningRate: Double {
            switch self {
            case let .momentum(rate, _), let .adam(rate, _, _, _): return rate
            }
        }
    }

    /// Code size k.
    public var components: Int
    /// Gradient descent or the closed form.
    public var method: Method
    /// The update rule (gradient descent only).
    public var optimizer: Optimizer
    /// Most passes over the data.
    public var epochs: Int
    /// Rows per gradient step; `nil` for full-batch gradient descent.
    public var batchSize: Int?
    /// Stop when the epoch's mean training loss changes by less than `tolerance` relative to the
    /// previous epoch's (0 runs all epochs).
    public var tolerance: Double
    /// Seed of the initial weights (entries N(0, 1/d) for A and N(0, 1/k) for B) and the batch order.
    public var seed: UInt64

    /// Hyperparameters. Default: full-batch momentum descent (relative learning rate 0.1, μ = 0.9)
    /// for up to 1000 epochs. On a full batch it converges much further than Adam, whose
    /// per-coordinate steps keep oscillating at the scale of its learning rate.
    public init(components: Int, method: Method = .gradientDescent, optimizer: Optimizer = .momentum(learningRate: 0.1),
                epochs: Int = 1000, batchSize: Int? = nil, tolerance: Double = 1e-9, seed: UInt64 = 0) {
        self.components = components
        self.method = method
        self.optimizer = optimizer
        self.epochs = epochs
        self.batchSize = batchSize
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Throws `EstimatorError.invalidParameter` for hyperparameters out of range.
    public func validate() throws {
        func bad(_ name: String, _ reason: String) -> EstimatorError {
            .invalidParameter(method: "LinearAutoencoder", name: name, reason: reason)
        }
        if components < 1 { throw bad("components", "must be at least 1, got \(components)") }
        if epochs < 0 { throw bad("epochs", "must not be negative, got \(epochs)") }
        if let batchSize, batchSize < 1 { throw bad("batchSize", "must be at least 1, got \(batchSize)") }
        if !(tolerance >= 0) { throw bad("tolerance", "must not be negative, got \(tolerance)") }
        let rate = optimizer.learningRate
        if !(rate > 0 && rate.isFinite) { throw bad("learningRate", "must be positive and finite, got \(rate)") }
        switch optimizer {
        case let .momentum(_, mu):
            if !(mu >= 0 && mu < 1) { throw bad("momentum", "must lie in [0, 1), got \(mu)") }
        case let .adam(_, beta1, beta2, epsilon):
            if !(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1) { throw bad("beta", "β₁ and β₂ must lie in [0, 1), got \(beta1), \(beta2)") }
            if !(epsilon > 0) { throw bad("epsilon", "must be positive, got \(epsilon)") }
        }
    }

    /// Learns the encoder and decoder from `x` (n samples × d features).
    /// - Throws: `EstimatorError` for bad hyperparameters, k > d, fewer than 2 samples, non-finite
    ///   input or a diverging loss; `LinearAlgebraError` if the eigensolver fails (closed form).
    /// - Complexity: gradient descent O(epochs · n · d · k); closed form O(n·d² + d²·k).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fit(_ x: Matrix<Scalar>) throws -> LinearAutoencoderModel<Scalar> {
        try validate()
        try x.requireFiniteInput(for: "LinearAutoencoder")
        let (n, d) = (x.rows, x.columns)
        if n < 2 { throw EstimatorError.tooFewSamples(method: "LinearAutoencoder", samples: n, needed: 2) }
        if components > d {
            throw EstimatorError.invalidParameter(method: "LinearAutoencoder", name: "components",
                                                  reason: "\(components) exceeds the \(d) features")
        }
        let (centred, mean) = x.centered()
        switch method {
        case .closedForm: return try closedForm(centred, mean: mean)
        case .gradientDescent: return try gradientDescent(centred, mean: mean)
        }
    }

    /// A = V_kᵀ, B = V_k from the top-k eigenvectors of the scatter matrix XᵀX (d × d, by `syrk`).
    private func closedForm(_ centred: Matrix<Scalar>, mean: [Scalar]) throws -> LinearAutoencoderModel<Scalar> {
        let eigen = try centred.gram().symmetricEigen(top: components)   // ascending: reverse the columns
        let vk = eigen.vectors.columns(at: Array((0..<components).reversed()))   // d × k
        var model = LinearAutoencoderModel(encoder: vk.transposed, decoder: vk, mean: mean,
                                           report: FitReport(iterations: 0, finalChange: 0, converged: true))
        model = model.with(report: FitReport(iterations: 0, finalChange: 0, converged: true,
                                             objective: [model.centredLoss(centred)]))
        return model
    }

    private func gradientDescent(_ centred: Matrix<Scalar>, mean: [Scalar]) throws -> LinearAutoencoderModel<Scalar> {
        let (n, d, k) = (centred.rows, centred.columns, components)
        var rng = Xoshiro256StarStar(seed: seed)
        var encoder = Matrix<Scalar>.randomNormal(k, d, standardDeviation: Scalar(1 / Double(d).squareRoot()), using: &rng)
        var decoder = Matrix<Scalar>.randomNormal(d, k, standardDeviation: Scalar(1 / Double(k).squareRoot()), using: &rng)
        var scale = 1.0
        if case .momentum = optimizer { scale = 1 / Self.largestVariance(centred) }
        var encoderStep = OptimizerState<Scalar>(optimizer, count: k * d, scale: scale)
        var decoderStep = OptimizerState<Scalar>(optimizer, count: d * k, scale: scale)
        let m = Swift.min(batchSize ?? n, n)
        var buffers = GradientBuffers<Scalar>(rows: m, d: d, k: k)
        var batch = Matrix<Scalar>.zeros(m, d)

        var losses = [Double](), change = Double.infinity, converged = false, epochsRun = 0
        for epoch in 0..<epochs {
            var lossSum = 0.0
            if m == n {
                lossSum = buffers.step(centred, encoder: encoder, decoder: decoder) * Double(n)
                encoderStep.apply(buffers.encoderGradient, to: &encoder)
                decoderStep.apply(buffers.decoderGradient, to: &decoder)
            } else {
                let order = rng.permutation(n)
                for start in stride(from: 0, to: n, by: m) {
                    let rows = Swift.min(m, n - start)
                    if batch.rows != rows { batch = .zeros(rows, d); buffers = GradientBuffers(rows: rows, d: d, k: k) }
                    BernoulliRBM<Scalar>.gather(centred, Array(order[start..<start + rows]), from: start, into: &batch)
                    lossSum += buffers.step(batch, encoder: encoder, decoder: decoder) * Double(rows)
                    encoderStep.apply(buffers.encoderGradient, to: &encoder)
                    decoderStep.apply(buffers.decoderGradient, to: &decoder)
                }
                if batch.rows != m { batch = .zeros(m, d); buffers = GradientBuffers(rows: m, d: d, k: k) }
            }
            let loss = lossSum / Double(n)
            guard loss.isFinite, encoder.isFinite, decoder.isFinite else {
                throw EstimatorError.invalidParameter(
                    method: "LinearAutoencoder", name: "learningRate",
                    reason: "\(optimizer.learningRate) made the loss diverge in epoch \(epoch + 1)")
            }
            if let previous = losses.last { change = Swift.abs(previous - loss) / Swift.max(previous, .leastNormalMagnitude) }
            losses.append(loss)
            epochsRun = epoch + 1
            if change < tolerance { converged = true; break }
        }
        let report = FitReport(iterations: epochsRun, finalChange: change.isFinite ? change : 0, converged: converged, objective: losses)
        return LinearAutoencoderModel(encoder: encoder, decoder: decoder, mean: mean, report: report)
    }

    /// The largest eigenvalue λ₁ of the covariance `XᵀX / n` of centred data, by 100 power
    /// iterations from a fixed start (two `gemv` each); 1 for constant data.
    /// - Complexity: O(100 · n · d).
    static func largestVariance(_ centred: Matrix<Scalar>) -> Double {
        let (n, d) = (centred.rows, centred.columns)
        var v = (0..<d).map { Scalar(1 + Double($0 % 7) / 7) }   // fixed, not orthogonal to any axis
        var xv = [Scalar](repeating: 0, count: n)
        var lambda = 0.0
        for _ in 0..<100 {
            centred.gemv(v, into: &xv)
            centred.gemv(xv, into: &v, transpose: true, alpha: 1 / Scalar(n))
            let norm = Double(v.reduce(0) { $0 + $1 * $1 }.squareRoot())
            guard norm > 0 && norm.isFinite else { return 1 }
            let previous = lambda
            lambda = norm
            v = v.map { $0 / Scalar(norm) }
            if Swift.abs(lambda - previous) <= 1e-6 * lambda { break }
        }
        return lambda
    }
}

/// The products of one gradient step, preallocated for batches of `rows` (see `LinearAutoencoder`).
struct GradientBuffers<Scalar: BLASScalar> {
    var codes: Matrix<Scalar>            // Z = X Aᵀ, m × k
    var residuals: Matrix<Scalar>        // R = Z Bᵀ − X, m × d
    var residualCodes: Matrix<Scalar>    // R B, m × k
    var encoderGradient: Matrix<Scalar>  // (2/m) (R B)ᵀ X, k × d
    var decoderGradient: Matrix<Scalar>  // (2/m) Rᵀ Z, d × k

    init(rows m: Int, d: Int, k: Int) {
        codes = .zeros(m, k); residuals = .zeros(m, d); residualCodes = .zeros(m, k)
        encoderGradient = .zeros(k, d); decoderGradient = .zeros(d, k)
    }

    /// Fills both gradients for batch `x` and returns the batch loss `(1/m) ‖R‖²_F` (before the step).
    mutating func step(_ x: Matrix<Scalar>, encoder: Matrix<Scalar>, decoder: Matrix<Scalar>) -> Double {
        let scale = Scalar(2) / Scalar(x.rows)
        Matrix.gemm(x, encoder, into: &codes, transposeB: true)
        residuals.storage.withUnsafeMutableBufferPointer { r in
            x.storage.withUnsafeBufferPointer { r.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        }
        Matrix.gemm(codes, decoder, into: &residuals, transposeB: true, beta: -1)
        Matrix.gemm(residuals, codes, into: &decoderGradient, transposeA: true, alpha: scale)
        Matrix.gemm(residuals, decoder, into: &residualCodes)
        Matrix.gemm(residualCodes, x, into: &encoderGradient, transposeA: true, alpha: scale)
        let norm = Double(residuals.frobeniusNorm())
        return norm * norm / Double(x.rows)
    }
}

/// Per-parameter state of momentum or Adam for one weight matrix.
struct OptimizerState<Scalar: BLASScalar> {
    let optimizer: LinearAutoencoder<Scalar>.Optimizer
    var first: [Scalar]     // velocity (momentum) or first moment (Adam)
    var second: [Scalar]    // second moment (Adam only)
    var steps = 0
    let scale: Double       // multiplies the momentum learning rate (1 / λ₁)

    init(_ optimizer: LinearAutoencoder<Scalar>.Optimizer, count: Int, scale: Double) {
        self.optimizer = optimizer
        self.scale = scale
        first = [Scalar](repeating: 0, count: count)
        if case .adam = optimizer { second = [Scalar](repeating: 0, count: count) } else { second = [] }
    }

    /// One update of `parameters` along `gradient`. - Complexity: O(count).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func apply(_ gradient: Matrix<Scalar>, to parameters: inout Matrix<Scalar>) {
        steps += 1
        let n = parameters.count
        gradient.storage.withUnsafeBufferPointer { g in
            parameters.storage.withUnsafeMutableBufferPointer { p in
                first.withUnsafeMutableBufferPointer { u in
                    switch optimizer {
                    case let .momentum(rate, mu):
                        let (lr, mu) = (Scalar(rate * scale), Scalar(mu))
                        for i in 0..<n { u[i] = mu * u[i] - lr * g[i]; p[i] += u[i] }
                    case let .adam(rate, beta1, beta2, epsilon):
                        second.withUnsafeMutableBufferPointer { v in
                            AdamUpdate<Scalar>(learningRate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: steps)
                                .apply(0..<n, weights: p.baseAddress!, gradient: g.baseAddress!, m: u.baseAddress!, v: v.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}
