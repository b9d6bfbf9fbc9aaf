import LatentCore

/// The `k` nearest reference rows of each query row, by squared Euclidean distance.
///
/// `indices` and `squaredDistances` are row-major `queries × k`, each row sorted by increasing
/// distance (ties by index), so the result does not depend on the thread count.
public struct NearestNeighbors: Sendable, Equatable, Codable {
    /// Number of query rows.
    public let queries: Int
    /// Neighbours per query.
    public let k: Int
    /// Neighbour indices into the reference rows (`queries × k`, row-major).
    public let indices: [Int]
    /// Squared Euclidean distances to those neighbours (`queries × k`, row-major), in Double.
    public let squaredDistances: [Double]

    /// Exact k-nearest neighbours by brute force.
    ///
    /// Distances come from `‖q‖² + ‖r‖² − 2 q·r` with the cross terms of a block of query rows
    /// computed by one GEMM (`block × references`); each row of the block then keeps its `k` smallest
    /// entries with a bounded max-heap, rows in parallel (`Parallel.forEachChunk`); the kept
    /// distances are then recomputed directly as Σ (q − r)² in Double (exact zeros for duplicates,
    /// and the same bits whatever the BLAS thread count).
    /// - Parameters:
    ///   - queries: m × d query rows.
    ///   - references: n × d reference rows.
    ///   - k: neighbours per query (`1 ≤ k ≤ n`, or `≤ n − 1` with `excludingSelf`).
    ///   - excludingSelf: when the queries *are* the references, skip index `i` for query `i`
    ///     (like scikit-learn's `kneighbors(None)`; duplicates of a point still count).
    /// - Complexity: O(m·n·d) for the products and O(m·n·log k) for the selection; O(block·n) memory.
    public init<Scalar: BLASScalar>(queries: Matrix<Scalar>, references: Matrix<Scalar>, k: Int, excludingSelf: Bool = false) {
        precondition(queries.columns == references.columns,
                     "NearestNeighbors: queries \(queries.shapeDescription) and references \(references.shapeDescription) differ in columns")
        precondition(!excludingSelf || queries.rows == references.rows,
                     "NearestNeighbors: excludingSelf needs queries and references of the same shape, got \(queries.shapeDescription) and \(references.shapeDescription)")
        let n = references.rows, m = queries.rows, d = queries.columns
        precondition(k >= 1 && k <= n - (excludingSelf ? 1 : 0), "NearestNeighbors: k = \(k) out of range for \(n) references")
        self.queries = m
        self.k = k
        // Work in Double: one conversion pass, then no generic code in the O(m·n) loops.
        let q = queries.storage.map { Double($0) }
        let r = references.storage.map { Double($0) }
        (indices, squaredDistances) = NearestNeighbors.search(queries: q, references: r, m: m, n: n, d: d, k: k, excludingSelf: excludingSelf)
    }

    private static func search(queries: [Double], references: [Double], m: Int, n: Int, d: Int, k: Int,
                               excludingSelf: Bool) -> (indices: [Int], distances: [Double]) {
        let refNorms = squaredNorms(references, rows: n, columns: d)
        let queryNorms = squaredNorms(queries, rows: m, columns: d)
        var indices = [Int](repeating: 0, count: m * k)
        var distances = [Double](repeating: 0, count: m * k)
        let block = Swift.max(1, Swift.min(m, Swift.max(256, (1 << 22) / Swift.max(1, n))))
        var cross = [Double](repeating: 0, count: block * n)
        var start = 0
        while start < m {
            let rowsHere = Swift.min(block, m - start)
            queries.withUnsafeBufferPointer { q in
                references.withUnsafeBufferPointer { r in
                    cross.withUnsafeMutableBufferPointer { c in
                        Double.gemm(transposeA: false, transposeB: true, m: rowsHere, n: n, k: d, alpha: -2,
                                    a: q.baseAddress! + start * d, lda: d, b: r.baseAddress!, ldb: d,
                                    beta: 0, c: c.baseAddress!, ldc: n)
                    }
                }
            }
            let blockStart = start
            cross.withUnsafeBufferPointer { c in
                indices.withUnsafeMutableBufferPointer { idx in
                    distances.withUnsafeMutableBufferPointer { dist in
                        let (c, idx, dist) = (c, idx, dist)
                        Parallel.forEachChunk(count: rowsHere, minimumPerThread: Swift.max(1, 65536 / Swift.max(1, n))) { range in
                            var heap = SmallestK<Double>(capacity: k)
                            for local in range {
                                let i = blockStart + local
                                heap.removeAll()
                                let row = c.baseAddress! + local * n
                                let qn = queryNorms[i]
                                for j in 0..<n where !(excludingSelf && j == i) {
                                    let value = Swift.max(0, qn + refNorms[j] + row[j])
                                    heap.offer(value, index: j)
                                }
                                for (slot, kept) in heap.sorted().enumerated() { idx[i * k + slot] = kept.index; dist[i * k + slot] = kept.key }
                                NearestNeighbors.refine(query: i, queries: queries, references: references, d: d,
                                                        indices: idx.baseAddress! + i * k, distances: dist.baseAddress! + i * k, k: k)
                            }
                        }
                    }
                }
            }
            start += rowsHere
        }
        return (indices, distances)
    }

    /// Recomputes the kept distances as Σ (q − r)² in Double and re-sorts them: more accurate than
    /// the GEMM expansion, and independent of how OpenBLAS splits the product over threads.
    /// Recomputes the kept distances as Σ (q − r)² and re-sorts them: more accurate than the GEMM
    /// expansion, and independent of how OpenBLAS splits the product over threads.
    static func refine(query i: Int, queries: [Double], references: [Double], d: Int,
                       indices: UnsafeMutablePointer<Int>, distances: UnsafeMutablePointer<Double>, k: Int) {
        var pairs: [(Double, Int)] = []
        pairs.reserveCapacity(k)
        queries.withUnsafeBufferPointer { q in
            references.withUnsafeBufferPointer { r in
                for s in 0..<k {
                    let j = indices[s]
                    var sum = 0.0
                    for a in 0..<d { let t = q[i * d + a] - r[j * d + a]; sum += t * t }
                    pairs.append((sum, j))
                }
            }
        }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        for s in 0..<k { distances[s] = pairs[s].0; indices[s] = pairs[s].1 }
    }

    static func squaredNorms(_ x: [Double], rows: Int, columns: Int) -> [Double] {
        (0..<rows).map { i in
            var s = 0.0
            for j in 0..<columns { let v = x[i * columns + j]; s += v * v }
            return s
        }
    }
}
