import LatentCore

/// Kernel principal component analysis (Schölkopf, Smola & Müller 1998): PCA in the feature
/// space of a kernel, computed from the eigenvectors of the centred n × n kernel matrix.
///
/// Fitting builds `K` (one GEMM), centres it in feature space
/// `K̃ = K − 1ₙK − K1ₙ + 1ₙK1ₙ` (1ₙ the n × n matrix of 1/n), and takes its top k eigenpairs by
/// `?syevr`. The training points map to `vᵢ·√λᵢ`; new points to `K̃(x, X)·vᵢ/√λᵢ`, centred with
/// the training kernel's means. With `fitInverseTransform`, a pre-image map back to the input space
/// is learned by kernel ridge regression of the training data on their projections
/// (Bakır, Weston & Schölkopf 2004), as scikit-learn.
///
/// Eigenvectors follow scikit-learn's sign convention: the entry of largest magnitude of each is positive.
/// - Complexity: O(n²·d) for the kernel, O(n³) for the eigendecomposition; memory O(n²).
public struct KernelPCA<Scalar: BLASScalar>: Estimator {
    /// The kernel.
    public var kernel: KernelFunction
    /// Components to keep; nil keeps all with a positive eigenvalue.
    public var components: Int?
    /// Drop components whose eigenvalue is zero (always done when `components` is nil).
    public var removeZeroEigenvalues: Bool
    /// Learn the pre-image map for `inverseTransform` (not with `.precomputed`).
    public var fitInverseTransform: Bool
    /// Ridge penalty of the pre-image regression.
    public var alpha: Double

    /// A kernel PCA configuration; nothing is computed until `fit`.
    public init(kernel: KernelFunction = .linear, components: Int? = nil, removeZeroEigenvalues: Bool = false,
                fitInverseTransform: Bool = false, alpha: Double = 1) {
        self.kernel = kernel
        self.components = components
        self.removeZeroEigenvalues = removeZeroEigenvalues
        self.fitInverseTransform = fitInverseTransform
        self.alpha = alpha
    }

    /// Fits on `x` (n samples × d features, or the n × n kernel for `.precomputed`).
    /// - Throws: `EstimatorError` for NaN, fewer samples than components, a non-square
    ///   precomputed kernel, bad parameters, or a kernel with significantly negative eigenvalues;
    ///   `LinearAlgebraError` when LAPACK fails.
    public func fit(_ x: Matrix<Scalar>) throws -> KernelPCAModel<Scalar> {
        let n = x.rows
        if n < 2 { throw EstimatorError.tooFewSamples(method: "KernelPCA", samples: n, needed: 2) }
        if let k = components {
            if k < 1 { throw EstimatorError.invalidParameter(method: "KernelPCA", name: "components", reason: "must be at least 1, got \(k)") }
            if k > n { throw EstimatorError.tooFewSamples(method: "KernelPCA", samples: n, needed: k) }
        }
        if kernel == .precomputed {
            if x.columns != n { throw EstimatorError.invalidData(method: "KernelPCA", reason: "a precomputed kernel must be square, got \(x.shapeDescription)") }
            if fitInverseTransform { throw EstimatorError.invalidParameter(method: "KernelPCA", name: "fitInverseTransform", reason: "cannot be used with a precomputed kernel") }
        }
        if case let .polynomial(degree, _, _) = kernel, degree < 1 {
            throw EstimatorError.invalidParameter(method: "KernelPCA", name: "degree", reason: "must be at least 1, got \(degree)")
        }
        if !(alpha >= 0) { throw EstimatorError.invalidParameter(method: "KernelPCA", name: "alpha", reason: "must be non-negative, got \(alpha)") }
        try x.requireFiniteInput(for: "KernelPCA")

        let resolved = kernel.resolved(features: x.columns)
        var gram = resolved.matrix(x, x)
        let (columnMeans, grandMean) = KernelCentering.center(&gram)
        let wanted = components ?? n
        let eigen = try gram.symmetricEigen(top: wanted)
        var values = eigen.values.reversed().map { $0 }
        var vectors = eigen.vectors.transposed.rows(at: Array((0..<values.count).reversed()))   // k × n, as rows
        try Self.checkPositiveSpectrum(&values)
        vectors.flipSignsSoLargestEntryIsPositive()
        if removeZeroEigenvalues || components == nil {
            let keep = values.indices.filter { values[$0] > 0 }
            values = keep.map { values[$0] }
            vectors = vectors.rows(at: keep)
        }
        let model = KernelPCAModel(kernel: resolved, trainingData: kernel == .precomputed ? nil : x,
                                   eigenvalues: values, eigenvectors: vectors.transposed,
                                   columnMeans: columnMeans, grandMean: grandMean, preimage: nil)
        guard fitInverseTransform else { return model }
        return try model.withPreimage(trainingData: x, alpha: Scalar(alpha))
    }

    /// scikit-learn's `_check_psd_eigenvalues`: throws on significantly negative eigenvalues,
    /// sets small negative ones and positive ones below a relative threshold to zero.
    static func checkPositiveSpectrum(_ values: inout [Scalar]) throws {
        guard let largest = values.max(), let smallest = values.min() else { return }
        let double = Scalar.self == Double.self
        if largest < 0 { throw EstimatorError.invalidData(method: "KernelPCA", reason: "all kernel eigenvalues are negative (largest \(largest)): the kernel is not positive semi-definite") }
        let (negativeRatio, negativeValue): (Scalar, Scalar) = double ? (1e-5, 1e-10) : (5e-3, 1e-6)
        if smallest < -negativeRatio * largest && smallest < -negativeValue {
            throw EstimatorError.invalidData(method: "KernelPCA", reason: "significant negative kernel eigenvalue \(smallest) (largest \(largest)): the kernel is not positive semi-definite")
        }
        let tiny: Scalar = (double ? 1e-12 : 2e-7) * largest
        for i in values.indices where values[i] < tiny { values[i] = 0 }
    }
}

/// Centring of kernel matrices in feature space (scikit-learn's `KernelCenterer`).
enum KernelCentering {
    /// Centres the symmetric training kernel in place: `K̃ᵢⱼ = Kᵢⱼ − mᵢ − mⱼ + m̄` with `m` its column
    /// means and `m̄` their mean, which it returns for centring new kernels.
    static func center<Scalar: BLASScalar>(_ k: inout Matrix<Scalar>) -> (columnMeans: [Scalar], grandMean: Scalar) {
        let means = k.mean(over: .rows)
        let grand = Scalar(means.reduce(0.0) { $0 + Double($1) } / Double(Swift.max(means.count, 1)))
        centerNew(&k, columnMeans: means, grandMean: grand)
        return (means, grand)
    }

    /// Centres an m × n kernel between new points and the n training points:
    /// `K̃ᵢⱼ = Kᵢⱼ − rᵢ − mⱼ + m̄` with `rᵢ` the mean of row i.
    static func centerNew<Scalar: BLASScalar>(_ k: inout Matrix<Scalar>, columnMeans: [Scalar], grandMean: Scalar) {
        let rowMeans = k.mean(over: .columns)
        let n = k.columns
        k.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<k.rows {
                let shift = grandMean - rowMeans[i]
                for j in 0..<n { p[i * n + j] += shift - columnMeans[j] }
            }
        }
    }
}
