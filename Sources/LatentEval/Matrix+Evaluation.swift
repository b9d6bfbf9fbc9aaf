import LatentCore

/// Row operations and distance blocks shared by the evaluations.
extension Matrix {
    /// Each row divided by its Euclidean norm; rows of norm 0 stay 0. - Complexity: O(rows·columns).
    @inlinable
    public func rowNormalized() -> Matrix {
        var out = self
        let d = columns
        out.storage.withUnsafeMutableBufferPointer { p in
            Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 16) / Swift.max(1, d))) { range in
                for i in range {
                    var total: Scalar = 0
                    for j in 0..<d { total += p[i * d + j] * p[i * d + j] }
                    guard total > 0 else { continue }
                    let scale = 1 / total.squareRoot()
                    for j in 0..<d { p[i * d + j] *= scale }
                }
            }
        }
        return out
    }

    /// The squared Euclidean norm of each row, accumulated in `Double`. - Complexity: O(rows·columns).
    @inlinable
    public func rowSquaredNorms() -> [Scalar] {
        let d = columns
        return storage.withUnsafeBufferPointer { p in
            (0..<rows).map { i in
                var total = 0.0
                for j in 0..<d { total += Double(p[i * d + j]) * Double(p[i * d + j]) }
                return Scalar(total)
            }
        }
    }

    /// Squared Euclidean distances between the rows of `a` (m × d) and of `b` (n × d), an m × n
    /// matrix, by `‖a‖² + ‖b‖² − 2·a·bᵀ` (one GEMM). Negative round-off is clamped to 0.
    /// Pass precomputed squared row norms to avoid recomputing them across blocks.
    /// - Complexity: O(m·n·d).
    @inlinable
    public static func squaredDistances(_ a: Matrix, _ b: Matrix, aNorms: [Scalar]? = nil, bNorms: [Scalar]? = nil) -> Matrix {
        precondition(a.columns == b.columns, "squaredDistances: \(a.shapeDescription) and \(b.shapeDescription) have different widths")
        let an = aNorms ?? a.rowSquaredNorms(), bn = bNorms ?? b.rowSquaredNorms()
        var g = Matrix.zeros(a.rows, b.rows)
        gemm(a, b, into: &g, transposeB: true, alpha: -2, beta: 0)
        let n = b.rows
        g.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<a.rows {
                for j in 0..<n { p[i * n + j] = Swift.max(0, p[i * n + j] + an[i] + bn[j]) }
            }
        }
        return g
    }
}
