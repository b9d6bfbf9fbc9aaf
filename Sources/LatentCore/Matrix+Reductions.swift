/// Which dimension a reduction collapses.
///
/// `.rows` collapses the rows and leaves one value per column (NumPy's `axis=0`, e.g. the mean
/// feature over all samples); `.columns` leaves one value per row (NumPy's `axis=1`).
public enum Axis: Sendable {
    case rows
    case columns
}

/// Sums, means, variances, extrema and norms, over the whole matrix or along an axis.
/// Sums, means and variances accumulate in `Double` (for `Float` too), so `Float` reductions of
/// millions of elements keep about 1e-7 relative accuracy. Loops run on one thread in a fixed
/// order, so the same matrix always gives the same bits.
extension Matrix {
    /// Sum of all elements. - Complexity: O(count).
    @inlinable
    public func sum() -> Scalar { Scalar(doubleSum()) }

    @usableFromInline
    func doubleSum() -> Double {
        storage.withUnsafeBufferPointer { p in
            var total = 0.0
            for v in p { total += Double(v) }
            return total
        }
    }

    /// Sums along `axis`: one per column for `.rows`, one per row for `.columns`.
    /// - Complexity: O(rows·columns).
    public func sum(over axis: Axis) -> [Scalar] { doubleSums(axis).map { Scalar($0) } }

    /// Sums along `axis` in `Double`.
    private func doubleSums(_ axis: Axis) -> [Double] {
        let (r, c) = (rows, columns)
        return storage.withUnsafeBufferPointer { p in
            switch axis {
            case .rows:
                var acc = [Double](repeating: 0, count: c)
                acc.withUnsafeMutableBufferPointer { a in
                    for i in 0..<r {
                        let o = i * c
                        for j in 0..<c { a[j] += Double(p[o + j]) }
                    }
                }
                return acc
            case .columns:
                return (0..<r).map { i in
                    var total = 0.0
                    for j in 0..<c { total += Double(p[i * c + j]) }
                    return total
                }
            }
        }
    }

    /// Mean of all elements. - Complexity: O(count).
    public func mean() -> Scalar {
        precondition(count > 0, "mean: empty \(shapeDescription) matrix")
        return Scalar(doubleSum() / Double(count))
    }

    /// Means along `axis` (`.rows`: the mean sample, one value per column). - Complexity: O(count).
    public func mean(over axis: Axis) -> [Scalar] { doubleMeans(axis).map { Scalar($0) } }

    private func doubleMeans(_ axis: Axis) -> [Double] {
        let n = axis == .rows ? rows : columns
        precondition(n > 0, "mean(over:): no elements along \(axis) in \(shapeDescription)")
        return doubleSums(axis).map { $0 / Double(n) }
    }

    /// Variance of all elements with `ddof` delta degrees of freedom (divisor `count − ddof`, as
    /// NumPy's `var(ddof=)`), by two passes. - Complexity: O(count).
    public func variance(ddof: Int = 0) -> Scalar {
        precondition(ddof >= 0 && count > ddof, "variance: \(count) elements with ddof \(ddof)")
        let m = doubleSum() / Double(count)
        let total = storage.withUnsafeBufferPointer { p in
            p.reduce(0.0) { acc, v in let d = Double(v) - m; return acc + d * d }
        }
        return Scalar(total / Double(count - ddof))
    }

    /// Variances along `axis` with divisor `n − ddof` (two passes, numerically stable).
    /// - Complexity: O(rows·columns).
    public func variance(over axis: Axis, ddof: Int = 0) -> [Scalar] {
        let n = axis == .rows ? rows : columns
        precondition(ddof >= 0 && n > ddof, "variance(over:): \(n) values along \(axis) with ddof \(ddof)")
        let means = doubleMeans(axis)
        let (r, c) = (rows, columns)
        let squares: [Double] = storage.withUnsafeBufferPointer { p in
            switch axis {
            case .rows:
                var acc = [Double](repeating: 0, count: c)
                for i in 0..<r {
                    for j in 0..<c { let d = Double(p[i * c + j]) - means[j]; acc[j] += d * d }
                }
                return acc
            case .columns:
                return (0..<r).map { i in
                    var total = 0.0
                    for j in 0..<c { let d = Double(p[i * c + j]) - means[i]; total += d * d }
                    return total
                }
            }
        }
        return squares.map { Scalar($0 / Double(n - ddof)) }
    }

    /// Standard deviation of all elements (divisor `count − ddof`).
    public func standardDeviation(ddof: Int = 0) -> Scalar { variance(ddof: ddof).squareRoot() }

    /// Standard deviations along `axis` (divisor `n − ddof`).
    public func standardDeviation(over axis: Axis, ddof: Int = 0) -> [Scalar] {
        variance(over: axis, ddof: ddof).map { $0.squareRoot() }
    }

    /// Smallest element; with NaN elements the result is unspecified.
    public func min() -> Scalar {
        precondition(count > 0, "min: empty matrix")
        return storage.min()!
    }

    /// Largest element; with NaN elements the result is unspecified.
    public func max() -> Scalar {
        precondition(count > 0, "max: empty matrix")
        return storage.max()!
    }

    /// Minimum along `axis`.
    public func min(over axis: Axis) -> [Scalar] { reduceExtremum(axis) { $0 < $1 }.values }
    /// Maximum along `axis`.
    public func max(over axis: Axis) -> [Scalar] { reduceExtremum(axis) { $0 > $1 }.values }
    /// Index of the largest element along `axis` (first one on ties); `.columns` gives, for each row,
    /// the column of its maximum — e.g. the predicted class of each sample's scores.
    public func argmax(over axis: Axis) -> [Int] { reduceExtremum(axis) { $0 > $1 }.indices }
    /// Index of the smallest element along `axis` (first one on ties).
    public func argmin(over axis: Axis) -> [Int] { reduceExtremum(axis) { $0 < $1 }.indices }

    /// Flat (row-major) index of the largest element (first on ties).
    public func argmax() -> Int {
        precondition(count > 0, "argmax: empty matrix")
        var best = 0
        for i in 1..<count where storage[i] > storage[best] { best = i }
        return best
    }

    /// Flat (row-major) index of the smallest element (first on ties).
    public func argmin() -> Int {
        precondition(count > 0, "argmin: empty matrix")
        var best = 0
        for i in 1..<count where storage[i] < storage[best] { best = i }
        return best
    }

    private func reduceExtremum(_ axis: Axis, _ better: (Scalar, Scalar) -> Bool) -> (values: [Scalar], indices: [Int]) {
        let (outer, inner) = axis == .rows ? (columns, rows) : (rows, columns)
        precondition(inner > 0, "min/max/argmax over \(axis): nothing to reduce in \(shapeDescription)")
        var values = [Scalar](), indices = [Int]()
        values.reserveCapacity(outer); indices.reserveCapacity(outer)
        for o in 0..<outer {
            var best = 0
            var value = axis == .rows ? storage[o] : storage[o * columns]
            for k in 1..<Swift.max(1, inner) {
                let v = axis == .rows ? storage[k * columns + o] : storage[o * columns + k]
                if better(v, value) { best = k; value = v }
            }
            values.append(value); indices.append(best)
        }
        return (values, indices)
    }

    // MARK: - Norms and dot products

    /// Frobenius norm `√Σ aᵢⱼ²` (BLAS `nrm2`, safe from overflow).
    public func frobeniusNorm() -> Scalar {
        guard count > 0 else { return 0 }
        return storage.withUnsafeBufferPointer { Scalar.nrm2(n: count, x: $0.baseAddress!, incx: 1) }
    }

    /// Euclidean norm of each row (`.columns`) or each column (`.rows`).
    public func norms(over axis: Axis) -> [Scalar] {
        storage.withUnsafeBufferPointer { p in
            switch axis {
            case .columns:
                return (0..<rows).map { i in columns == 0 ? 0 : Scalar.nrm2(n: columns, x: p.baseAddress! + i * columns, incx: 1) }
            case .rows:
                return (0..<columns).map { j in rows == 0 ? 0 : Scalar.nrm2(n: rows, x: p.baseAddress! + j, incx: columns) }
            }
        }
    }

    /// The Frobenius inner product `Σ aᵢⱼ bᵢⱼ` (BLAS `dot`).
    public func dot(_ other: Matrix) -> Scalar {
        precondition(rows == other.rows && columns == other.columns, "dot: shapes \(shapeDescription) and \(other.shapeDescription) differ")
        guard count > 0 else { return 0 }
        return storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in Scalar.dot(n: count, x: a.baseAddress!, incx: 1, y: b.baseAddress!, incy: 1) }
        }
    }

    /// `true` when every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }
}
