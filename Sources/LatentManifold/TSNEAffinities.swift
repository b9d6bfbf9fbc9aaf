import LatentCore

/// Symmetric joint probabilities `p_ij` of t-SNE in compressed sparse row form.
///
/// Barnes–Hut t-SNE (van der Maaten 2014, §3.1) keeps only each point's ⌊3·perplexity⌋ + 1
/// nearest neighbours: `P = (C + Cᵀ) / sum(C + Cᵀ)` where `C` holds the conditional `p_{j|i}` of
/// those neighbours (scikit-learn's `_joint_probabilities_nn`). Exact t-SNE uses every pair
/// (`dense`), with scikit-learn's floor `max(p_ij, ε_double)` on every off-diagonal entry.
public struct SparseAffinities: Sendable, Codable, Equatable {
    /// Number of points n.
    public let count: Int
    /// Row starts into `columns`/`values` (n + 1 entries).
    public let rowStarts: [Int]
    /// Column index of each stored entry, increasing within a row.
    public let columns: [Int]
    /// `p_ij` of each stored entry; all entries sum to 1.
    public let values: [Double]

    /// Symmetrises kNN conditional probabilities (`rows × k`, row-major, neighbour indices beside them).
    /// - Complexity: O(n·k·log k) time and memory.
    public init(conditional: [Double], neighbors: [Int], count n: Int, k: Int) {
        precondition(conditional.count == n * k && neighbors.count == n * k,
                     "SparseAffinities: \(conditional.count) probabilities and \(neighbors.count) indices for \(n)×\(k)")
        // Count entries per row of C + Cᵀ before merging duplicates.
        var degree = [Int](repeating: k, count: n)
        for e in 0..<(n * k) { degree[neighbors[e]] += 1 }
        var starts = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { starts[i + 1] = starts[i] + degree[i] }
        var fill = Array(starts[0..<n])
        var cols = [Int](repeating: 0, count: starts[n])
        var vals = [Double](repeating: 0, count: starts[n])
        for i in 0..<n {
            for s in 0..<k {
                let j = neighbors[i * k + s], p = conditional[i * k + s]
                cols[fill[i]] = j; vals[fill[i]] = p; fill[i] += 1
                cols[fill[j]] = i; vals[fill[j]] = p; fill[j] += 1
            }
        }
        // Sort each row by column and merge duplicates (in a fixed order: deterministic sums).
        var outStarts = [Int](repeating: 0, count: n + 1)
        var outCols = [Int](); outCols.reserveCapacity(starts[n])
        var outVals = [Double](); outVals.reserveCapacity(starts[n])
        var total = 0.0
        for i in 0..<n {
            let order = (starts[i]..<starts[i + 1]).sorted { cols[$0] < cols[$1] || (cols[$0] == cols[$1] && $0 < $1) }
            var last = -1
            for e in order {
                if cols[e] == last { outVals[outVals.count - 1] += vals[e] } else {
                    outCols.append(cols[e]); outVals.append(vals[e]); last = cols[e]
                }
            }
            outStarts[i + 1] = outCols.count
        }
        for v in outVals { total += v }
        let scale = 1 / Swift.max(total, Double.ulpOfOne)
        for e in outVals.indices { outVals[e] *= scale }
        self.count = n
        self.rowStarts = outStarts
        self.columns = outCols
        self.values = outVals
    }

    /// The dense n × n matrix (for tests and small problems).
    public func dense() -> [Double] {
        var p = [Double](repeating: 0, count: count * count)
        for i in 0..<count { for e in rowStarts[i]..<rowStarts[i + 1] { p[i * count + columns[e]] = values[e] } }
        return p
    }
}

/// Dense joint probabilities for exact t-SNE: calibrates each full row of squared distances
/// (diagonal excluded), symmetrises `P = (C + Cᵀ) / sum`, and floors off-diagonal entries at the
/// double machine epsilon as scikit-learn's `_joint_probabilities` does.
/// - Returns: P (n × n row-major, zero diagonal) and the β of each point.
/// - Complexity: O(n²·steps) time, O(n²) memory.
func denseJointProbabilities(squaredDistances d: [Double], count n: Int, perplexity: Double) -> (p: [Double], betas: [Double]) {
    let calibrated = PerplexityCalibration.calibrate(squaredDistances: d, rows: n, width: n, perplexity: perplexity, skipDiagonal: true)
    let c = calibrated.probabilities
    var p = [Double](repeating: 0, count: n * n)
    var total = 0.0
    for i in 0..<n {
        for j in 0..<n where j != i {
            let v = c[i * n + j] + c[j * n + i]
            p[i * n + j] = v
            total += v
        }
    }
    let scale = 1 / Swift.max(total, Double.ulpOfOne)
    for i in 0..<n { for j in 0..<n where j != i { p[i * n + j] = Swift.max(p[i * n + j] * scale, Double.ulpOfOne) } }
    return (p, calibrated.betas)
}

/// All pairwise squared Euclidean distances of the rows of `x` (n × n row-major, Double),
/// through one Gram matrix (`syrk`) and the norms; clamped at 0, exact zeros on the diagonal.
/// - Complexity: O(n²·d).
func pairwiseSquaredDistances<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> [Double] {
    let n = x.rows
    let gram = x.gram(transpose: false)   // x xᵀ, n × n, both triangles
    var d = [Double](repeating: 0, count: n * n)
    let norms = (0..<n).map { Double(gram[$0, $0]) }
    gram.storage.withUnsafeBufferPointer { g in
        for i in 0..<n {
            for j in 0..<n where j != i {
                let (a, b) = i < j ? (i, j) : (j, i)
                d[i * n + j] = Swift.max(0, norms[i] + norms[j] - 2 * Double(g[a * n + b]))
            }
        }
    }
    return d
}
