import LatentCore

/// k-nearest-neighbour preservation of an embedding: the mean over points of
/// |N_k^input(i) ∩ N_k^embedding(i)| / k, where N_k are each point's k nearest other points by
/// Euclidean distance (exact, `NearestNeighbors`; ties broken by index). 1 means every
/// neighbourhood survives; a random embedding scores about k / (n − 1).
/// - Parameters:
///   - input: n × d original data.
///   - embedding: n × e embedded data (same rows).
///   - k: neighbours, 1 ≤ k ≤ n − 1 (commonly 10).
/// - Complexity: O(n²·(d + e)) time, O(n·k) memory beyond a block of distances.
public func neighborPreservation<Scalar: BLASScalar>(input: Matrix<Scalar>, embedding: Matrix<Scalar>, k: Int = 10) -> Double {
    precondition(input.rows == embedding.rows, "neighborPreservation: input \(input.shapeDescription) and embedding \(embedding.shapeDescription) differ in rows")
    precondition(k >= 1 && k < input.rows, "neighborPreservation: k = \(k) needs 1 ≤ k < \(input.rows)")
    let a = NearestNeighbors(queries: input, references: input, k: k, excludingSelf: true)
    let b = NearestNeighbors(queries: embedding, references: embedding, k: k, excludingSelf: true)
    var shared = 0
    for i in 0..<input.rows {
        let mine = Set(a.indices[(i * k)..<((i + 1) * k)])
        for j in b.indices[(i * k)..<((i + 1) * k)] where mine.contains(j) { shared += 1 }
    }
    return Double(shared) / Double(input.rows * k)
}
