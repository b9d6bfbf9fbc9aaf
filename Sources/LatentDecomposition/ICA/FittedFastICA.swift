import LatentCore

/// A fitted FastICA model: `sources = (x − mean) · componentsᵀ` and `x ≈ sources · mixingᵀ + mean`.
public struct FittedFastICA<Scalar: BLASScalar>: InvertibleTransformer, Equatable {
    /// The unmixing matrix (k×d): maps a centred sample to its k sources (scikit-learn's `components_`).
    public let components: Matrix<Scalar>
    /// The mixing matrix (d×k), the pseudo-inverse of `components` (scikit-learn's `mixing_`).
    public let mixing: Matrix<Scalar>
    /// The feature means subtracted before unmixing (d); `nil` when fitted without whitening,
    /// in which case the data are used uncentred.
    public let mean: [Scalar]?
    /// The PCA whitening matrix `K` (k×d) applied to centred data; `nil` without whitening.
    public let whitening: Matrix<Scalar>?
    /// The rotation found in the whitened space (k×k), rescaled to unit-variance sources when
    /// the whitening mode asks for it; `components = unmixing · whitening`.
    public let unmixing: Matrix<Scalar>
    /// Iterations, last change and convergence of the fixed-point iteration.
    public let report: FitReport

    /// The number of features `d`.
    public var inputFeatures: Int { components.columns }
    /// The number of sources `k`.
    public var outputFeatures: Int { components.rows }

    /// The sources of each row of `x` (n×d → n×k): `(x − mean)·componentsᵀ`, one GEMM.
    /// - Throws: `EstimatorError.featureMismatch` when `x` does not have `d` columns.
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "FastICA")
        let centred = mean.map { x.subtracting(row: $0) } ?? x
        return Matrix.gemm(centred, components, transposeB: true)
    }

    /// Mixes sources back into the data space (n×k → n×d): `z·mixingᵀ + mean`, one GEMM.
    /// - Throws: `EstimatorError.featureMismatch` when `z` does not have `k` columns.
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try z.requireFeatures(outputFeatures, for: "FastICA")
        let x = Matrix.gemm(z, mixing, transposeB: true)
        return mean.map { x.adding(row: $0) } ?? x
    }
}
