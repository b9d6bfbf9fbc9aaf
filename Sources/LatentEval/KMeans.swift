import LatentCore

/// k-means clustering: k-means++ seeding, then Lloyd iterations with GEMM distances, best of
/// several restarts.
///
/// Follows scikit-learn's `KMeans(algorithm="lloyd")`: the data are centred first (for
/// precision; nothing else changes); an iteration assigns every row to its nearest centroid
/// (`argmin_c ‖c‖² − 2·x·c`, one GEMM per block of 4096 rows) and moves each centroid to the mean
/// of its rows; an empty cluster takes the row farthest from its current centroid. It stops
/// when no label changes or when the total squared centroid shift is at most
/// `tolerance · mean_j var(x_j)` (scikit-learn's scaled `tol`), then assigns once more so that
/// labels and centroids agree. The restart with the smallest inertia wins.
///
/// References: S. Lloyd, "Least squares quantization in PCM" (1982); D. Arthur and
/// S. Vassilvitskii, "k-means++: The Advantages of Careful Seeding", SODA 2007 (with
/// scikit-learn's greedy variant: `2 + ⌊ln k⌋` candidates per step, keeping the one that lowers
/// the potential most).
/// - Complexity: O(restarts · iterations · n·k·d).
public struct KMeans: Sendable, Equatable, Codable {
    /// How the first centroids are chosen.
    public enum Initialization: Sendable, Equatable, Codable {
        /// k-means++ with `trials` candidates per centroid (`nil`: `2 + ⌊ln k⌋`, as scikit-learn;
        /// 1 is the original Arthur–Vassilvitskii rule).
        case kMeansPlusPlus(trials: Int? = nil)
        /// `k` distinct rows chosen uniformly.
        case random
    }

    /// Number of clusters `k`.
    public var clusters: Int
    /// Seeding method (default greedy k-means++).
    public var initialization: Initialization
    /// Independent runs; the one with the lowest inertia is kept (scikit-learn's `n_init`, default 4).
    public var restarts: Int
    /// Largest number of Lloyd iterations per run (default 300).
    public var maxIterations: Int
    /// Relative tolerance on the centroid shift (default 1e-4, scaled by the mean feature variance).
    public var tolerance: Double
    /// Seed of the run's generator; restart `r` uses the `r`-th stream split from it.
    public var seed: UInt64

    /// A configuration with the given number of clusters.
    public init(clusters: Int, initialization: Initialization = .kMeansPlusPlus(), restarts: Int = 4,
                maxIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0) {
        self.clusters = clusters
        self.initialization = initialization
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Clusters the rows of `x` (n × d).
    /// - Throws: `EstimatorError` for `k` outside `1...n`, bad parameters or non-finite data.
    public func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>) throws -> KMeansModel<Scalar> {
        let method = "KMeans"
        guard clusters >= 1 && clusters <= x.rows else {
            throw EstimatorError.invalidParameter(method: method, name: "clusters", reason: "must be in 1...\(x.rows) (the number of rows), got \(clusters)")
        }
        guard restarts >= 1, maxIterations >= 1, tolerance >= 0 else {
            throw EstimatorError.invalidParameter(method: method, name: "restarts/maxIterations/tolerance", reason: "must be ≥ 1, ≥ 1, ≥ 0; got \(restarts), \(maxIterations), \(tolerance)")
        }
        if case let .kMeansPlusPlus(trials?) = initialization, trials < 1 {
            throw EstimatorError.invalidParameter(method: method, name: "trials", reason: "must be positive, got \(trials)")
        }
        try x.requireFiniteInput(for: method)
        let (centred, mean) = x.centered()
        let norms = centred.rowSquaredNorms()
        let threshold = tolerance * centred.variance(over: .rows).reduce(0) { $0 + Double($1) } / Double(x.columns)
        var generator = Xoshiro256StarStar(seed: seed)
        var best: KMeansModel<Scalar>? = nil
        for var rng in generator.split(into: restarts) {
            let start: Matrix<Scalar>
            switch initialization {
            case let .kMeansPlusPlus(trials):
                start = Self.plusPlus(centred, norms: norms, k: clusters, trials: trials ?? (2 + Int(Double.log(Double(clusters)))), rng: &rng)
            case .random:
                start = centred.rows(at: rng.choice(x.rows, count: clusters))
            }
            let run = lloyd(centred, norms: norms, start: start, threshold: threshold)
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        let winner = best!
        return KMeansModel(centroids: winner.centroids.adding(row: mean), labels: winner.labels, inertia: winner.inertia,
                           iterations: winner.iterations, converged: winner.converged)
    }

    /// Greedy k-means++ seeding on centred data.
    static func plusPlus<Scalar: BLASScalar>(_ x: Matrix<Scalar>, norms: [Scalar], k: Int, trials: Int,
                                             rng: inout Xoshiro256StarStar) -> Matrix<Scalar> {
        let n = x.rows
        var chosen = [rng.integer(below: n)]
        var closest = Matrix.squaredDistances(x.rows(at: chosen), x, aNorms: [norms[chosen[0]]], bNorms: norms).storage.map { Double($0) }
        var potential = closest.reduce(0, +)
        for _ in 1..<k {
            // Candidates drawn with probability proportional to the squared distance (D² sampling).
            var cumulative = closest
            for i in 1..<n { cumulative[i] += cumulative[i - 1] }
            let candidates = (0..<trials).map { _ -> Int in
                let u = rng.uniform() * potential
                var lo = 0, hi = n - 1   // first index with cumulative > u: rows at distance 0 are never drawn
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
                }
                return Swift.min(lo, n - 1)
            }
            let distances = Matrix.squaredDistances(x.rows(at: candidates), x, aNorms: candidates.map { norms[$0] }, bNorms: norms)
            var bestCandidate = 0, bestPotential = Double.infinity, bestClosest = closest
            for (t, _) in candidates.enumerated() {
                var updated = closest
                var total = 0.0
                for i in 0..<n {
                    updated[i] = Swift.min(updated[i], Double(distances[t, i]))
                    total += updated[i]
                }
                if total < bestPotential { (bestCandidate, bestPotential, bestClosest) = (t, total, updated) }
            }
            chosen.append(candidates[bestCandidate])
            closest = bestClosest
            potential = bestPotential
        }
        return x.rows(at: chosen)
    }

    /// Lloyd iterations from `start` on centred data; inertia recomputed exactly at the end.
    func lloyd<Scalar: BLASScalar>(_ x: Matrix<Scalar>, norms: [Scalar], start: Matrix<Scalar>, threshold: Double) -> KMeansModel<Scalar> {
        let (n, d, k) = (x.rows, x.columns, start.rows)
        var centroids = start
        var labels = [Int](repeating: -1, count: n)
        var distance = [Double](repeating: 0, count: n)
        var iterations = 0
        var converged = false
        var strict = false
        while iterations < maxIterations {
            iterations += 1
            let previous = labels
            Self.assign(x, norms: norms, centroids: centroids, labels: &labels, distance: &distance)
            if labels == previous { converged = true; strict = true; break }
            // M step: centroids are the means of their rows; empty clusters take the farthest rows.
            var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
            x.storage.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    let c = labels[i]
                    counts[c] += 1
                    for j in 0..<d { sums[c * d + j] += Double(p[i * d + j]) }
                }
            }
            let empty = (0..<k).filter { counts[$0] == 0 }
            if !empty.isEmpty {
                let farthest = (0..<n).sorted { distance[$0] > distance[$1] || (distance[$0] == distance[$1] && $0 < $1) }
                for (slot, c) in empty.enumerated() {
                    let i = farthest[slot]
                    let old = labels[i]
                    counts[old] -= 1; counts[c] = 1
                    for j in 0..<d {
                        let v = Double(x.storage[i * d + j])
                        sums[old * d + j] -= v
                        sums[c * d + j] = v
                    }
                    labels[i] = c
                }
            }
            var shift = 0.0
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d {
                    let updated = Scalar(sums[c * d + j] / Double(counts[c]))
                    let delta = Double(updated - centroids.storage[c * d + j])
                    shift += delta * delta
                    centroids.storage[c * d + j] = updated
                }
            }
            if shift <= threshold { converged = true; break }
        }
        if !strict { Self.assign(x, norms: norms, centroids: centroids, labels: &labels, distance: &distance) }
        var inertia = 0.0
        x.storage.withUnsafeBufferPointer { p in
            centroids.storage.withUnsafeBufferPointer { m in
                for i in 0..<n {
                    let c = labels[i]
                    for j in 0..<d { let e = Double(p[i * d + j]) - Double(m[c * d + j]); inertia += e * e }
                }
            }
        }
        return KMeansModel(centroids: centroids, labels: labels, inertia: inertia, iterations: iterations, converged: converged)
    }

    /// Nearest centroid of every row (ties to the lower index) and its squared distance, in blocks
    /// of 4096 rows: scores `‖c‖² − 2·X·Cᵀ` by one GEMM per block.
    static func assign<Scalar: BLASScalar>(_ x: Matrix<Scalar>, norms: [Scalar], centroids: Matrix<Scalar>,
                                           labels: inout [Int], distance: inout [Double]) {
        let k = centroids.rows
        let centroidNorms = centroids.rowSquaredNorms()
        var start = 0
        while start < x.rows {
            let end = Swift.min(x.rows, start + 4096)
            var scores = Matrix<Scalar>.zeros(end - start, k)
            Matrix.gemm(x.rows(start..<end), centroids, into: &scores, transposeB: true, alpha: -2)
            for r in 0..<(end - start) {
                var best = 0, bestScore = Scalar.infinity
                for c in 0..<k {
                    let v = scores.storage[r * k + c] + centroidNorms[c]
                    if v < bestScore { best = c; bestScore = v }
                }
                labels[start + r] = best
                distance[start + r] = Swift.max(0, Double(bestScore + norms[start + r]))
            }
            start = end
        }
    }
}

/// A k-means result: centroids, the label of every training row, and the fit's statistics.
public struct KMeansModel<Scalar: BLASScalar>: Sendable, Codable {
    /// Cluster centres, k × d.
    public let centroids: Matrix<Scalar>
    /// The cluster (`0..<k`) of each training row.
    public let labels: [Int]
    /// Sum of squared distances of the rows to their centroids.
    public let inertia: Double
    /// Lloyd iterations of the winning restart.
    public let iterations: Int
    /// Whether the winning restart met its tolerance before `maxIterations`.
    public let converged: Bool

    /// A result from its parts.
    public init(centroids: Matrix<Scalar>, labels: [Int], inertia: Double, iterations: Int, converged: Bool) {
        self.centroids = centroids
        self.labels = labels
        self.inertia = inertia
        self.iterations = iterations
        self.converged = converged
    }

    /// The nearest centroid of each row of `x` (n × d). - Complexity: O(n·k·d), one GEMM per 4096 rows.
    public func predict(_ x: Matrix<Scalar>) -> [Int] {
        precondition(x.columns == centroids.columns, "KMeansModel: fitted on \(centroids.columns) features, got \(x.shapeDescription)")
        var labels = [Int](repeating: 0, count: x.rows), distance = [Double](repeating: 0, count: x.rows)
        KMeans.assign(x, norms: x.rowSquaredNorms(), centroids: centroids, labels: &labels, distance: &distance)
        return labels
    }
}
