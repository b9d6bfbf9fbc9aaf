import LatentCore

/// How well a low-dimensional embedding keeps local neighbourhoods.
public enum EmbeddingMetrics {
    /// Trustworthiness (Venna & Kaski, "Neighborhood preservation in nonlinear projection methods:
    /// An experimental study", ICANN 2001), as scikit-learn's `sklearn.manifold.trustworthiness`:
    ///
    ///     T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uₖ(i)} max(0, r(i, j) − k)
    ///
    /// where `Uₖ(i)` are the `k` nearest neighbours of `i` in the embedding and `r(i, j)` is the
    /// rank of `j` among `i`'s neighbours in the input space (1 = nearest), both by Euclidean
    /// distance; equal distances rank by index. 1 means no embedded neighbour is a stranger.
    /// - Parameters: `x` n × d input rows, `embedding` n × e, `neighbors` k with 1 ≤ k < n/2.
    /// - Throws: `EstimatorError.invalidParameter` for k out of range.
    /// - Complexity: O(n²·(d + e)) by GEMM blocks of 512 rows, plus O(n²·k) for the ranks; O(512·n) memory.
    public static func trustworthiness<Scalar: BLASScalar>(_ x: Matrix<Scalar>, embedding: Matrix<Scalar>, neighbors: Int = 5) throws -> Double {
        precondition(x.rows == embedding.rows, "trustworthiness: \(x.rows) input rows, \(embedding.rows) embedded rows")
        let n = x.rows, k = neighbors
        guard k >= 1 && Double(k) < Double(n) / 2 else {
            throw EstimatorError.invalidParameter(method: "trustworthiness", name: "neighbors", reason: "must be in 1..<n/2 = \(n)/2, got \(k)")
        }
        try x.requireFiniteInput(for: "trustworthiness")
        try embedding.requireFiniteInput(for: "trustworthiness")
        let (xNorms, eNorms) = (x.rowSquaredNorms(), embedding.rowSquaredNorms())
        var penalty = 0.0
        var start = 0
        while start < n {
            let end = Swift.min(n, start + 512)
            let input = Matrix.squaredDistances(x.rows(start..<end), x, aNorms: Array(xNorms[start..<end]), bNorms: xNorms)
            let embedded = Matrix.squaredDistances(embedding.rows(start..<end), embedding, aNorms: Array(eNorms[start..<end]), bNorms: eNorms)
            for r in 0..<(end - start) {
                let i = start + r
                var nearest = SmallestK<Scalar>(capacity: k)
                for j in 0..<n where j != i { nearest.offer(embedded.storage[r * n + j], index: j) }
                for (_, j) in nearest.sorted() {
                    let dj = input.storage[r * n + j]
                    var rank = 1
                    for l in 0..<n where l != i {
                        let dl = input.storage[r * n + l]
                        if dl < dj || (dl == dj && l < j) { rank += 1 }
                    }
                    penalty += Double(Swift.max(0, rank - k))
                }
            }
            start = end
        }
        return 1 - penalty * 2 / (Double(n) * Double(k) * (2 * Double(n) - 3 * Double(k) - 1))
    }
}
