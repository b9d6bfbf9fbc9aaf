#if canImport(Glibc)
import Glibc
#endif
import LatentCore
import LatentDecomposition

/// A fitted t-SNE embedding, with what `transform` needs to place new points into it.
public struct TSNEModel<Scalar: BLASScalar>: FittedTransformer, Equatable {
    /// The embedding of the training points (n × components).
    public let embedding: Matrix<Scalar>
    /// KL(P‖Q) at the last evaluation (for Barnes–Hut, scikit-learn's estimate over the sparse P).
    public let klDivergence: Double
    /// Iterations run, gain-scaled gradient norm at the last check, whether it stopped on the
    /// gradient-norm criterion, and the KL every 50 iterations (exaggerated P in the first phase).
    public let report: FitReport
    /// The training inputs (n × d): new points are calibrated against them.
    public let trainingData: Matrix<Scalar>
    /// The calibrated precision β_i = 1/(2σ_i²) of each training point.
    public let betas: [Double]
    /// The perplexity of the fit (also used by `transform`).
    public let perplexity: Double
    /// Barnes–Hut accuracy used by `transform` (0 after an exact fit: exact repulsion).
    public let theta: Double
    /// Degrees of freedom α of the Student-t kernel.
    public let degreesOfFreedom: Double

    /// Wraps fitted state (normally made by `TSNE.fit`).
    public init(embedding: Matrix<Scalar>, klDivergence: Double, report: FitReport, trainingData: Matrix<Scalar>,
                betas: [Double], perplexity: Double, theta: Double, degreesOfFreedom: Double) {
        self.embedding = embedding
        self.klDivergence = klDivergence
        self.report = report
        self.trainingData = trainingData
        self.betas = betas
        self.perplexity = perplexity
        self.theta = theta
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// Input features d.
    public var inputFeatures: Int { trainingData.columns }
    /// Embedding dimensions.
    public var outputFeatures: Int { embedding.columns }

    /// Places new points into the fixed embedding with the default schedule
    /// (`transform(_:iterations: 250, learningRate: 0.1, maxGradientNorm: 0.25)`).
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try transform(x, iterations: 250)
    }

    /// Places each new row of `x` (m × d) into the fixed training embedding, independently of the
    /// other new rows, after openTSNE's `TSNEEmbedding.prepare_partial` / `transform`
    /// (Poličar, Stražar & Zupan 2019, "Embedding to reference t-SNE space addresses batch effects").
    ///
    /// For a new point: its conditional affinities `p_{j|new}` to its ⌊3·perplexity⌋ + 1 nearest
    /// training points, calibrated to the model's perplexity; a start at the p-weighted mean of
    /// those neighbours' embeddings; then gradient descent (momentum 0.8, per-coordinate gains,
    /// the gradient clipped to `maxGradientNorm` per point as openTSNE) on
    /// `KL(p_{·|new} ‖ q_{·|new})` with `q_{j|new} = w(y, y_j) / Σ_k w(y, y_k)` normalised over the
    /// training points only — the exact per-point formulation, not the training set's Z — so the
    /// result for one point does not depend on which other points are transformed with it. The
    /// repulsion and that normalisation come from a Barnes–Hut tree over the training embedding
    /// with the model's θ (exact when θ = 0). Rows run in parallel; results are deterministic.
    /// - Throws: `EstimatorError.featureMismatch`, `.nonFinite`.
    /// - Complexity: O(m·n·d) for the neighbours plus O(iterations · m log n).
    public func transform(_ x: Matrix<Scalar>, iterations: Int, learningRate: Double = 0.1,
                          maxGradientNorm: Double = 0.25) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "TSNEModel.transform")
        try x.requireFiniteInput(for: "TSNEModel.transform")
        precondition(iterations >= 0 && learningRate > 0 && maxGradientNorm > 0,
                     "TSNEModel.transform: iterations \(iterations) ≥ 0, learning rate \(learningRate) > 0, max gradient norm \(maxGradientNorm) > 0")
        let m = x.rows, n = trainingData.rows, d = outputFeatures
        guard m > 0 else { return Matrix.zeros(0, d) }
        let k = Swift.min(n, Int(3 * perplexity + 1))
        let knn = NearestNeighbors(queries: x, references: trainingData, k: k)
        let p = PerplexityCalibration.calibrate(squaredDistances: knn.squaredDistances, rows: m, width: k,
                                                perplexity: Swift.min(perplexity, Double(k) - 1e-9))
        let reference = embedding.storage.map { Double($0) }
        let tree = SpacePartitioningTree(points: reference, count: n, dimensions: d)
        let dof = degreesOfFreedom
        let scale = 2 * (dof + 1) / dof
        let squaredTheta = theta * theta
        var out = [Double](repeating: 0, count: m * d)
        out.withUnsafeMutableBufferPointer { op in
            let op = op
            Parallel.forEachChunk(count: m, minimumPerThread: 16) { range in
                let stack = UnsafeMutablePointer<Int>.allocate(capacity: SpacePartitioningTree.stackCapacity)
                defer { stack.deallocate() }
                var y = [Double](repeating: 0, count: d), gradient = y, update = y, repulsion = y
                var gains = [Double](repeating: 1, count: d)
                for i in range {
                    let row = i * k
                    for a in 0..<d { y[a] = 0; update[a] = 0; gains[a] = 1 }
                    for s in 0..<k {
                        let j = knn.indices[row + s]
                        for a in 0..<d { y[a] += p.probabilities[row + s] * reference[j * d + a] }
                    }
                    for _ in 0..<iterations {
                        for a in 0..<d { repulsion[a] = 0; gradient[a] = 0 }
                        let z = y.withUnsafeBufferPointer { yp in
                            repulsion.withUnsafeMutableBufferPointer { rp in
                                tree.repulsion(at: yp.baseAddress!, squaredTheta: squaredTheta, dof: dof, force: rp.baseAddress!, stack: stack)
                            }
                        }
                        for s in 0..<k {
                            let j = knn.indices[row + s]
                            var dist = 0.0
                            for a in 0..<d { let t = y[a] - reference[j * d + a]; dist += t * t }
                            let u = dof / (dof + dist)
                            for a in 0..<d { gradient[a] += p.probabilities[row + s] * u * (y[a] - reference[j * d + a]) }
                        }
                        var norm = 0.0
                        for a in 0..<d {
                            gradient[a] = scale * (gradient[a] - repulsion[a] / Swift.max(z, Double.ulpOfOne))
                            norm += gradient[a] * gradient[a]
                        }
                        norm = norm.squareRoot()
                        if norm > maxGradientNorm { for a in 0..<d { gradient[a] *= maxGradientNorm / norm } }
                        for a in 0..<d {
                            if update[a] * gradient[a] < 0 { gains[a] += 0.2 } else { gains[a] *= 0.8 }
                            gains[a] = Swift.max(gains[a], 0.01)
                            update[a] = 0.8 * update[a] - learningRate * gains[a] * gradient[a]
                            y[a] += update[a]
                        }
                    }
                    for a in 0..<d { op[i * d + a] = y[a] }
                }
            }
        }
        return Matrix(rows: m, columns: d, storage: out.map { Scalar($0) })
    }
}
