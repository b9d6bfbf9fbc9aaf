/// Which dimension a reduction collapses.
///
/// `.rows` collapses the rows and leaves one value per column (NumPy's `axis=0`, e.g. the mean
/// feature over all samples); `.columns` leaves one value per row (NumPy's `axis=1`).
public enum Axis: Sendable {
    case rows
    case columns
}

/// Sums, means, variances, extrema and norms, over the whole matrix or along an axis.
/// Sums accumulate in `Double` pairs of partial sums, so `Float` reductions of millions of
/// elements keep about 1e-7 relative accuracy.
extension Matrix {
    /// Sum of all elements. - Complexity: O(count).
    @inlinable
    public func sum() -> Scalar {
        var total = 0.0
        for v in storage { total += Double(v) }
        return Scalar(total)
    }

    /// Sums along `axis`: one per column for `.rows`, one per row for `.columns`.
    public func sum(over axis: Axis) -> [Scalar] {
        switch axis {
        case .rows:
            guard rows > 0 else { return [Scalar](repeating: 0, count: columns) }
            var acc = [Double](repeating: 0, count: columns)
            storage.withUnsafeBufferPointer { p in
                for i in 0..<rows {
                    let o = i * columns
                    for j in 0..<columns { acc[j] += Double(p[o + j]) }
                }
            }
            return acc.map { Scalar($0) }
        case .columns:
            return (0..<rows).map { i in
                var total = 0.0
                for j in 0..<columns { total += Double(storage[i * columns + j]) }
                return Scalar(total)
            }
        }
    }

    /// Mean of all elements.
    public func mean() -> Scalar {
        precondition(count > 0, "mean: empty matrix")
        return sum() / Scalar(count)
    }

    /// Means along `axis` (`.rows`: the mean sample, one value per column).
    public func mean(over axis: Axis) -> [Scalar] {
        let n = axis == .rows ? rows : columns
        precondition(n > 0, "mean(over:): no elements along \(axis) in \(shapeDescription)")
        return sum(over: axis).map { $0 / Scalar(n) }
    }

    /// Variance of all elements with `ddof` delta degrees of freedom (divisor `count − ddof`).
    public func variance(ddof: Int = 0) -> Scalar {
        precondition(count > ddof, "variance: \(count) elements with ddof \(ddof)")
        let m = Double(mean())
        var total = 0.0
        for v in storage { let d = Double(v) - m; total += d * d }
        return Scalar(total / Double(count - ddof))
    }

    /// Variances along `axis` with divisor `n − ddof` (two-pass, numerically stable).
    public func variance(over axis: Axis, ddof: Int = 0) -> [Scalar] {
        let n = axis == .rows ? rows : columns
        precondition(n > ddof, "variance(over:): \(n) values along \(axis) with ddof \(ddof)")
        let means = mean(over: axis)
        switch axis {
        case .rows:
            var acc = [Double](repeating: 0, count: columns)
            for i in 0..<rows {
                for j in 0..<columns { let d = Double(storage[i * columns + j] - means[j]); acc[j] += d * d }
            }
            return acc.map { Scalar($0 / Double(n - ddof)) }
        case .columns:
            return (0..<rows).map { i in
                var total = 0.0
                for j in 0..<columns { let d = Double(storage[i * columns + j] - means[i]); total += d * d }
                return Scalar(total / Double(n - ddof))
            }
        }
    }

    /// Standard deviation of all elements (divisor `count − ddof`).
    public func standardDeviation(ddof: Int = 0) -> Scalar { variance(ddof: ddof).squareRoot() }

    /// Standard deviations along `axis`.
    public func standardDeviation(over axis: Axis, ddof: Int = 0) -> [Scalar] {
        variance(over: axis, ddof: ddof).map { $0.squareRoot() }
    }

    /// Smallest element.
    public func min() -> Scalar {
        precondition(count > 0, "min: empty matrix")
        return storage.min()!
    }

    /// Largest element.
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

    /// Flat index of the largest element (first on ties).
    public func argmax() -> Int {
        precondition(count > 0, "argmax: empty matrix")
        var best = 0
        for i in 1..<count where storage[i] > storage[best] { best = i }
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
