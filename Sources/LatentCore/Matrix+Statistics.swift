/// Centring, covariance and standardisation of a data matrix (rows = samples).
extension Matrix {
    /// The matrix minus its column means, and those means. - Complexity: O(rows·columns).
    public func centered() -> (centered: Matrix, mean: [Scalar]) {
        let mean = mean(over: .rows)
        return (subtracting(row: mean), mean)
    }

    /// The `columns × columns` sample covariance `(X − x̄)ᵀ(X − x̄) / (n − ddof)`, by one `syrk`.
    /// `ddof = 1` (the default) gives the unbiased estimate, as NumPy's `np.cov(x, rowvar=False)`.
    /// - Complexity: O(rows·columns²/2).
    public func covariance(ddof: Int = 1) -> Matrix {
        precondition(rows > ddof, "covariance: \(rows) samples with ddof \(ddof)")
        return centered().centered.gram(transpose: true, alpha: 1 / Scalar(rows - ddof))
    }

    /// Each column shifted to mean 0 and scaled to standard deviation 1 (divisor `n`, as
    /// scikit-learn's `StandardScaler`). Columns with zero variance are centred and left unscaled.
    /// Returns the scaled data with the means and scales used, so new data can be transformed alike.
    public func standardized() -> (standardized: Matrix, mean: [Scalar], scale: [Scalar]) {
        let (c, mean) = centered()
        let scale = c.standardDeviation(over: .rows).map { $0 > 0 ? $0 : 1 }
        return (c.dividing(row: scale), mean, scale)
    }
}
