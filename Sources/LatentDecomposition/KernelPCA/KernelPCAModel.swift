import LatentCore

/// A fitted kernel PCA. k = `outputFeatures`, n = training samples, d = `inputFeatures`.
public struct KernelPCAModel<Scalar: BLASScalar>: InvertibleTransformer, Equatable {
    /// The kernel, with `gamma` resolved (1 / features where it was nil).
    public let kernel: KernelFunction
    /// The training points (n × d) that new points are compared with; nil for `.precomputed`.
    public let trainingData: Matrix<Scalar>?
    /// Eigenvalues of the centred training kernel, descending, length k (scikit-learn's `eigenvalues_`).
    public let eigenvalues: [Scalar]
    /// The matching unit eigenvectors as columns, n × k (scikit-learn's `eigenvectors_`).
    public let eigenvectors: Matrix<Scalar>
    /// Column means of the uncentred training kernel (length n), for centring new kernels.
    public let columnMeans: [Scalar]
    /// The mean of `columnMeans` (the mean of the whole training kernel).
    public let grandMean: Scalar
    /// The pre-image regression, when fitted with `fitInverseTransform`.
    public let preimage: Preimage?

    /// Kernel ridge regression from projections back to inputs: `x̂(z) = k(z, Z)·A` with Z the
    /// training projections (n × k) and A = (k(Z, Z) + αI)⁻¹·X the dual coefficients (n × d).
    public struct Preimage: Codable, Sendable, Equatable {
        /// The training points' projections Z (n × k).
        public let trainingProjections: Matrix<Scalar>
        /// The dual coefficients A (n × d).
        public let dualCoefficients: Matrix<Scalar>
    }

    /// Number of features of the input (n, the training samples, for `.precomputed`).
    public var inputFeatures: Int { trainingData?.columns ?? eigenvectors.rows }
    /// Number of components k.
    public var outputFeatures: Int { eigenvalues.count }

    /// The projections of the training points, `vᵢ·√λᵢ` (n × k) — scikit-learn's `fit_transform`.
    public var trainingProjections: Matrix<Scalar> { eigenvectors.multiplying(row: eigenvalues.map { $0.squareRoot() }) }

    /// Projections of new points (m × d; for `.precomputed` the m × n kernel against the training
    /// points): `K̃(x, X)·vᵢ/√λᵢ` (m × k), zero for zero eigenvalues.
    /// - Throws: `EstimatorError` for the wrong number of features or non-finite input.
    /// - Complexity: O(m·n·(d + k)).
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "KernelPCA")
        try x.requireFiniteInput(for: "KernelPCA")
        var k = trainingData.map { kernel.matrix(x, $0) } ?? x
        KernelCentering.centerNew(&k, columnMeans: columnMeans, grandMean: grandMean)
        let scaled = eigenvectors.multiplying(row: eigenvalues.map { $0 > 0 ? 1 / $0.squareRoot() : 0 })
        return Matrix.gemm(k, scaled)
    }

    /// Approximate pre-images `k(z, Z)·A` (m × d) of projections `z` (m × k), by the kernel ridge
    /// regression learned with `fitInverseTransform` (the same kernel as the forward map). As in
    /// scikit-learn, the centred kernel carries no information about the data's mean, so for a
    /// linear kernel this is not PCA's reconstruction.
    /// - Throws: `EstimatorError.invalidParameter` when the model was fitted without
    ///   `fitInverseTransform`; `.featureMismatch` unless `z` has k columns.
    /// - Complexity: O(m·n·(k + d)).
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> {
        guard let preimage else {
            throw EstimatorError.invalidParameter(method: "KernelPCA", name: "fitInverseTransform", reason: "was false: no pre-image map was learned")
        }
        try z.requireFeatures(outputFeatures, for: "KernelPCA inverse transform")
        return Matrix.gemm(kernel.matrix(z, preimage.trainingProjections), preimage.dualCoefficients)
    }

    /// This model plus the pre-image regression on `x`: solves `(k(Z, Z) + αI)·A = X` by Cholesky,
    /// or by LU when the kernel matrix is not positive definite (e.g. sigmoid).
    func withPreimage(trainingData x: Matrix<Scalar>, alpha: Scalar) throws -> KernelPCAModel {
        let z = trainingProjections
        var k = kernel.matrix(z, z)
        for i in 0..<k.rows { k.storage[i * k.columns + i] += alpha }
        let dual: Matrix<Scalar>
        do { dual = try k.solvePositiveDefinite(x) } catch is LinearAlgebraError { dual = try k.solve(x) }
        return KernelPCAModel(kernel: kernel, trainingData: trainingData, eigenvalues: eigenvalues, eigenvectors: eigenvectors,
                              columnMeans: columnMeans, grandMean: grandMean,
                              preimage: Preimage(trainingProjections: z, dualCoefficients: dual))
    }
}
