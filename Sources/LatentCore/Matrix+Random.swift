/// Random matrices. Elements are drawn in row-major order from one generator, so the same
/// generator state always gives the same matrix.
extension Matrix {
    /// Elements uniform on `[low, high)`, drawn in row-major order. - Complexity: O(rows·columns).
    public static func randomUniform(_ rows: Int, _ columns: Int, low: Scalar = 0, high: Scalar = 1,
                                     using rng: inout Xoshiro256StarStar) -> Matrix {
        precondition(low <= high, "randomUniform: empty interval [\(low), \(high))")
        let (lo, hi) = (Double(low), Double(high))
        // Rounding a Double draw to Float may land on `high`; keep the interval half-open.
        let top = low == high ? low : high.nextDown
        return Matrix(rows: rows, columns: columns,
                      storage: (0..<rows * columns).map { _ in Swift.min(Scalar(rng.uniform(lo, hi)), top) })
    }

    /// Elements uniform on `[low, high)` from a fresh generator seeded with `seed`.
    public static func randomUniform(_ rows: Int, _ columns: Int, low: Scalar = 0, high: Scalar = 1, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return randomUniform(rows, columns, low: low, high: high, using: &rng)
    }

    /// Elements normal with the given mean and standard deviation (Box–Muller, see
    /// `Xoshiro256StarStar.normal()`), drawn in row-major order. - Complexity: O(rows·columns).
    public static func randomNormal(_ rows: Int, _ columns: Int, mean: Scalar = 0, standardDeviation: Scalar = 1,
                                    using rng: inout Xoshiro256StarStar) -> Matrix {
        let (m, s) = (Double(mean), Double(standardDeviation))
        return Matrix(rows: rows, columns: columns,
                      storage: (0..<rows * columns).map { _ in Scalar(rng.normal(mean: m, standardDeviation: s)) })
    }

    /// Elements normal from a fresh generator seeded with `seed`.
    public static func randomNormal(_ rows: Int, _ columns: Int, mean: Scalar = 0, standardDeviation: Scalar = 1,
                                    seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return randomNormal(rows, columns, mean: mean, standardDeviation: standardDeviation, using: &rng)
    }
}
