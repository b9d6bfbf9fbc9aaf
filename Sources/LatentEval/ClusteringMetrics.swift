import LatentCore

/// Agreement between two labellings of the same samples, and internal cluster quality.
///
/// All three match scikit-learn (`normalized_mutual_info_score` with the default arithmetic
/// normalisation, `adjusted_rand_score`, `silhouette_score` with the Euclidean metric), special
/// cases included.
public enum ClusteringMetrics {
    /// Normalised mutual information `I(A; B) / ((H(A) + H(B)) / 2)`, natural logarithms
    /// (Strehl & Ghosh 2002; Vinh, Epps & Bailey 2010, "arithmetic"). Labels are any integers and
    /// only their equality matters. 1 when both labellings have one class (or none); 0 when the
    /// mutual information is 0. - Complexity: O(n + |A|·|B|).
    public static func normalizedMutualInformation(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count, "normalizedMutualInformation: \(a.count) and \(b.count) labels")
        let table = Contingency(a, b)
        if (table.rowSums.count == 1 && table.columnSums.count == 1) || a.isEmpty { return 1 }
        let mi = table.mutualInformation()
        if mi == 0 { return 0 }
        let normalizer = (entropy(table.rowSums) + entropy(table.columnSums)) / 2
        return mi / Swift.max(normalizer, Double.ulpOfOne)
    }

    /// Adjusted Rand index (Hubert & Arabie 1985): the Rand index of pair agreements, corrected
    /// for chance so that random labellings score about 0 and identical partitions 1. Computed from
    /// the pair confusion matrix as `2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn))`.
    /// - Complexity: O(n + |A|·|B|).
    public static func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count, "adjustedRandIndex: \(a.count) and \(b.count) labels")
        let table = Contingency(a, b)
        let n = Double(a.count)
        var sumSquares = 0.0, rowDot = 0.0, columnDot = 0.0
        for (r, row) in table.counts.enumerated() {
            for (c, v) in row.enumerated() where v > 0 {
                let count = Double(v)
                sumSquares += count * count
                rowDot += count * Double(table.columnSums[c])
                columnDot += count * Double(table.rowSums[r])
            }
        }
        let tp = sumSquares - n
        let fp = rowDot - sumSquares
        let fn = columnDot - sumSquares
        let tn = n * n - fp - fn - sumSquares
        if fn == 0 && fp == 0 { return 1 }
        return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
    }

    /// Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances: for each sample,
    /// `s = (b − a) / max(a, b)` with `a` its mean distance to the other members of its cluster and
    /// `b` the smallest mean distance to another cluster's members; 0 for members of one-sample
    /// clusters. With `sampleSize`, the mean is over `sampleSize` rows chosen without replacement
    /// by `Xoshiro256StarStar(seed:)` (silhouettes computed within that sample, as scikit-learn
    /// does; its choice of rows differs, being drawn by NumPy).
    /// - Parameters: `x` n × d, `labels` n integers with 2 ≤ (distinct labels) ≤ n − 1.
    /// - Throws: `EstimatorError.invalidData` for too few or too many clusters.
    /// - Complexity: O(n²·d) time by GEMM blocks of 512 rows, O(512·n) memory.
    public static func silhouetteScore<Scalar: BLASScalar>(_ x: Matrix<Scalar>, labels: [Int], sampleSize: Int? = nil,
                                                           seed: UInt64 = 0) throws -> Double {
        precondition(x.rows == labels.count, "silhouetteScore: \(x.rows) rows, \(labels.count) labels")
        var data = x, labels = labels
        if let size = sampleSize, size < x.rows {
            guard size >= 2 else { throw EstimatorError.invalidParameter(method: "silhouetteScore", name: "sampleSize", reason: "must be at least 2, got \(size)") }
            var rng = Xoshiro256StarStar(seed: seed)
            let chosen = rng.choice(x.rows, count: size)
            data = x.rows(at: chosen)
            labels = chosen.map { labels[$0] }
        }
        let index = ClassIndex(labels)
        guard index.classes.count >= 2 && index.classes.count <= data.rows - 1 else {
            throw EstimatorError.invalidData(method: "silhouetteScore", reason: "needs 2...\(data.rows - 1) clusters (samples − 1), got \(index.classes.count)")
        }
        try data.requireFiniteInput(for: "silhouetteScore")
        let cluster = index.members(of: labels).enumerated().reduce(into: [Int](repeating: 0, count: labels.count)) { out, entry in
            for i in entry.element { out[i] = entry.offset }
        }
        let k = index.classes.count, n = data.rows
        var sizes = [Int](repeating: 0, count: k)
        for c in cluster { sizes[c] += 1 }
        let norms = data.rowSquaredNorms()
        var total = 0.0
        var start = 0
        while start < n {
            let end = Swift.min(n, start + 512)
            let block = Matrix.squaredDistances(data.rows(start..<end), data, aNorms: Array(norms[start..<end]), bNorms: norms)
            block.storage.withUnsafeBufferPointer { p in
                var sums = [Double](repeating: 0, count: k)
                for r in 0..<(end - start) {
                    let i = start + r
                    for c in 0..<k { sums[c] = 0 }
                    for j in 0..<n where j != i { sums[cluster[j]] += Double(p[r * n + j]).squareRoot() }
                    let own = cluster[i]
                    guard sizes[own] > 1 else { continue }
                    let a = sums[own] / Double(sizes[own] - 1)
                    var b = Double.infinity
                    for c in 0..<k where c != own { b = Swift.min(b, sums[c] / Double(sizes[c])) }
                    let denominator = Swift.max(a, b)
                    if denominator > 0 { total += (b - a) / denominator }
                }
            }
            start = end
        }
        return total / Double(n)
    }

    /// `−Σ p log p` of the class proportions given by `counts`.
    static func entropy(_ counts: [Int]) -> Double {
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return 1 }
        return -counts.filter { $0 > 0 }.reduce(0.0) { $0 + (Double($1) / total) * (Double.log(Double($1)) - Double.log(total)) }
    }
}

/// The contingency table of two labellings: `counts[r][c]` samples have the `r`-th distinct label
/// of `a` and the `c`-th of `b`.
struct Contingency {
    var counts: [[Int]]
    var rowSums: [Int]
    var columnSums: [Int]

    init(_ a: [Int], _ b: [Int]) {
        let (ia, ib) = (ClassIndex(a), ClassIndex(b))
        var table = [[Int]](repeating: [Int](repeating: 0, count: ib.classes.count), count: ia.classes.count)
        for (x, y) in zip(a, b) { table[ia.index(of: x)!][ib.index(of: y)!] += 1 }
        counts = table
        rowSums = table.map { $0.reduce(0, +) }
        columnSums = (0..<ib.classes.count).map { c in table.reduce(0) { $0 + $1[c] } }
    }

    /// Mutual information in nats, as scikit-learn's `mutual_info_score` (0 when either side has one class).
    func mutualInformation() -> Double {
        guard rowSums.count > 1 && columnSums.count > 1 else { return 0 }
        let total = Double(rowSums.reduce(0, +))
        let logTotal = Double.log(total)
        var mi = 0.0
        for (r, row) in counts.enumerated() {
            for (c, v) in row.enumerated() where v > 0 {
                let p = Double(v) / total
                let term = p * (Double.log(Double(v)) - logTotal) + p * (-Double.log(Double(rowSums[r]) * Double(columnSums[c])) + 2 * logTotal)
                if Swift.abs(term) >= Double.ulpOfOne { mi += term }
            }
        }
        return Swift.max(0, mi)
    }
}
