import LatentCore

/// A fitted NMF model: the non-negative components H (k×d) and how the fit went.
/// `transform` solves for W ≥ 0 with H fixed; `inverseTransform` is `W·H`.
public struct FittedNMF<Scalar: BLASScalar>: InvertibleTransformer, Equatable {
    /// H (k×d): one non-negative component (dictionary atom) per row (scikit-learn's `components_`).
    public let components: Matrix<Scalar>
    /// `√(2·divergence(X, WH))` on the training data: ‖X − WH‖_F for the Frobenius loss
    /// (scikit-learn's `reconstruction_err_`).
    public let reconstructionError: Double
    /// Iterations, last relative change, convergence and the objective trace of the fit.
    public let report: FitReport
    /// The configuration that produced the model; `transform` reuses its solver, loss, penalty on W,
    /// tolerance and iteration limit.
    public let configuration: NMF<Scalar>

    /// The number of features `d`.
    public var inputFeatures: Int { components.columns }
    /// The number of components `k`.
    public var outputFeatures: Int { components.rows }

    /// W ≥ 0 (n×k) for new data `x` (n×d, non-negative) with H fixed, by the fitting solver from
    /// scikit-learn's starting point (zeros for coordinate descent, `√(mean(x)/k)` for multiplicative
    /// updates), with the W penalty scaled by d.
    /// - Throws: `EstimatorError` for a feature mismatch or negative/non-finite input.
    /// - Complexity: per iteration O(n·d·k + n·k²).
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "NMF")
        try configuration.validate(x)
        let (n, d, k) = (x.rows, x.columns, outputFeatures)
        var h = components
        let penalty = NMFPenalty(samples: n, features: d, alphaW: configuration.alphaW,
                                 alphaH: configuration.alphaH ?? configuration.alphaW, l1Ratio: configuration.l1Ratio)
        var w: Matrix<Scalar>
        switch configuration.solver {
        case .coordinateDescent:
            w = .zeros(n, k)
            _ = NMFCoordinateDescent.fit(x, w: &w, h: &h, updateH: false, penalty: penalty,
                                         tolerance: configuration.tolerance, maxIterations: configuration.maxIterations)
        case .multiplicativeUpdate:
            w = Matrix(rows: n, columns: k, repeating: Scalar((Double(x.mean()) / Double(k)).squareRoot()))
            _ = NMFMultiplicativeUpdate.fit(x, w: &w, h: &h, loss: configuration.betaLoss, updateH: false, penalty: penalty,
                                            tolerance: configuration.tolerance, maxIterations: configuration.maxIterations)
        }
        return w
    }

    /// The reconstruction `W·H` (n×k → n×d), one GEMM.
    /// - Throws: `EstimatorError.featureMismatch` when `w` does not have k columns.
    public func inverseTransform(_ w: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try w.requireFeatures(outputFeatures, for: "NMF")
        return Matrix.gemm(w, components)
    }
}
