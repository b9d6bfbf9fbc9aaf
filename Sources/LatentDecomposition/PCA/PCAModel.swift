import LatentCore

/// Fitted principal components (from `PCA.fit` or `IncrementalPCA.model()`).
///
/// `transform` is `(X − μ)·Wᵀ` (divided by √explainedVariance when whitening), `inverseTransform`
/// the reverse, as scikit-learn. k = `outputFeatures`, d = `inputFeatures`.
public struct PCAModel<Scalar: BLASScalar>: InvertibleTransformer, Equatable {
    /// How the components were computed.
    public enum Method: String, Sendable, Codable, Equatable {
        /// `PCASolver.full`: thin SVD of the centred data.
        case full
        /// `PCASolver.covarianceEigen`: top eigenpairs of the covariance.
        case covarianceEigen
        /// `PCASolver.randomized`: randomized truncated SVD.
        case randomized
        /// `IncrementalPCA`: SVD updates over batches.
        case incremental

        init(_ solver: PCASolver) {
            switch solver {
            case .auto, .full: self = .full
            case .covarianceEigen: self = .covarianceEigen
            case .randomized: self = .randomized
            }
        }
    }

    /// Principal axes as rows (k × d), orthonormal, by decreasing variance; in each row the entry
    /// of largest magnitude is positive.
    public let components: Matrix<Scalar>
    /// Variance of the data along each component (divisor n − 1), length k.
    public let explainedVariance: [Scalar]
    /// Each component's share of the total variance, length k.
    public let explainedVarianceRatio: [Scalar]
    /// Singular values of the centred data for each component (`√(variance·(n − 1))`), length k.
    public let singularValues: [Scalar]
    /// The mean sample subtracted before projecting, length d.
    public let mean: [Scalar]
    /// The probabilistic-PCA noise variance (Tipping & Bishop 1999): the mean variance of the
    /// discarded directions, `(total − Σ kept)/(min(n, d) − k)`; 0 when all are kept.
    public let noiseVariance: Scalar
    /// Whether `transform` scales projections to unit variance.
    public let whiten: Bool
    /// Number of samples fitted on.
    public let samples: Int
    /// The solver that actually ran (`.auto` resolved).
    public let method: Method

    /// A model from its parts (e.g. saved elsewhere); `components` is k × d.
    public init(components: Matrix<Scalar>, explainedVariance: [Scalar], explainedVarianceRatio: [Scalar],
                singularValues: [Scalar], mean: [Scalar], noiseVariance: Scalar, whiten: Bool, samples: Int, method: Method) {
        let k = components.rows
        precondition(explainedVariance.count == k && explainedVarianceRatio.count == k && singularValues.count == k,
                     "PCAModel: \(k) components need \(k) variances, ratios and singular values")
        precondition(mean.count == components.columns, "PCAModel: mean of \(mean.count) for \(components.shapeDescription) components")
        self.components = components
        self.explainedVariance = explainedVariance
        self.explainedVarianceRatio = explainedVarianceRatio
        self.singularValues = singularValues
        self.mean = mean
        self.noiseVariance = noiseVariance
        self.whiten = whiten
        self.samples = samples
        self.method = method
    }

    /// d, the number of input features.
    public var inputFeatures: Int { components.columns }
    /// k, the number of components.
    public var outputFeatures: Int { components.rows }

    /// The projections `(X − 1μᵀ)·Wᵀ` (n × k), whitened if configured: one GEMM, no centred copy.
    /// - Throws: `EstimatorError` for the wrong number of features or non-finite input.
    /// - Complexity: O(n·d·k).
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "PCA")
        try x.requireFiniteInput(for: "PCA")
        var z = Matrix.gemm(x, components, transposeB: true)
        // Subtract μ·Wᵀ from every row, then divide by √variance when whitening.
        let shift = components.gemv(mean)
        let scale = whiten ? explainedVariance.map { 1 / Swift.max($0.squareRoot(), Scalar.ulpOfOne) } : Array(repeating: 1, count: outputFeatures)
        let k = outputFeatures
        z.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<z.rows { for j in 0..<k { p[i * k + j] = (p[i * k + j] - shift[j]) * scale[j] } }
        }
        return z
    }

    /// Points in the input space `Z·W + 1μᵀ` (n × d), with `W` scaled by √variance when whitening.
    /// - Throws: `EstimatorError.featureMismatch` unless `z` has k columns.
    /// - Complexity: O(n·k·d).
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try z.requireFeatures(outputFeatures, for: "PCA inverse transform")
        let w = whiten ? components.multiplying(column: explainedVariance.map { $0.squareRoot() }) : components
        var x = Matrix.gemm(z, w)
        let d = inputFeatures
        x.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<x.rows { for j in 0..<d { p[i * d + j] += mean[j] } }
        }
        return x
    }

    /// The covariance of the probabilistic-PCA model, `Wᵀ·diag(λ − σ²)·W + σ²·I` (d × d), with λ the
    /// explained variances (differences clipped at 0) and σ² the noise variance.
    /// Unlike scikit-learn's `get_covariance`, this does not depend on `whiten` (scikit-learn rescales
    /// its components when whitening).
    /// - Complexity: O(k·d²).
    public func covariance() -> Matrix<Scalar> {
        let weights = explainedVariance.map { Swift.max($0 - noiseVariance, 0) }
        var c = Matrix.gemm(components.multiplying(column: weights), components, transposeA: true)
        let d = inputFeatures
        for i in 0..<d { c.storage[i * d + i] += noiseVariance }
        return c
    }

    /// The inverse of `covariance()`, by the matrix inversion lemma (a k × k inverse instead of
    /// d × d): `(I − Wᵀ·(σ²·diag(1/(λ − σ²)) + W·Wᵀ)⁻¹·W)/σ²`; falls back to a direct inverse when σ² = 0.
    /// - Throws: `LinearAlgebraError` when the covariance is singular.
    /// - Complexity: O(k·d² + k³), or O(d³) when σ² = 0.
    public func precision() throws -> Matrix<Scalar> {
        let d = inputFeatures, k = outputFeatures
        if noiseVariance == 0 { return try covariance().inverse() }
        let s2 = noiseVariance
        if k == 0 { return Matrix.identity(d) / s2 }
        // inner = W·Wᵀ/σ² + diag(1/(λ − σ²))
        var inner = components.gram(transpose: false, alpha: 1 / s2)
        for j in 0..<k {
            let diff = Swift.max(explainedVariance[j] - s2, 0)
            inner.storage[j * k + j] += diff > 0 ? 1 / diff : Scalar.infinity
        }
        let solved = try inner.inverse()                                          // k × k
        var p = Matrix.gemm(Matrix.gemm(components, solved, transposeA: true), components)   // Wᵀ·inner⁻¹·W
        p *= -1 / (s2 * s2)
        for i in 0..<d { p.storage[i * d + i] += 1 / s2 }
        return p
    }
}
