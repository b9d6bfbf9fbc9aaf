import LatentCore
import LatentDecomposition

/// How t-SNE computes the gradient.
public enum TSNEMethod: Sendable, Codable, Equatable {
    /// All pairs: dense P from full pairwise distances, O(n²) time and memory per iteration.
    /// For small inputs (a few thousand points at most). Any number of output components.
    case exact
    /// Barnes–Hut (van der Maaten 2014): sparse P over ⌊3·perplexity⌋ + 1 nearest neighbours and
    /// repulsion summarised by a quadtree (2-D) or octree (3-D) with accuracy `theta`
    /// (scikit-learn's `angle`; 0 is exact repulsion). O(n log n) per iteration.
    case barnesHut(theta: Double = 0.5)
}

/// The learning rate of t-SNE's gradient descent.
public enum TSNELearningRate: Sendable, Codable, Equatable {
    /// scikit-learn ≥ 1.2's `learning_rate="auto"`: `max(n / earlyExaggeration / 4, 50)`, i.e.
    /// max(n / 48, 50) with the default exaggeration (scikit-learn 1.9 `_t_sne.py`, `_check_params_vs_input`).
    /// Belkina et al. 2019 propose n / exaggeration; scikit-learn divides by a further 4 because
    /// its gradient keeps the constant 4 of eq. 5 that openTSNE and FIt-SNE leave out of theirs.
    case auto
    /// A fixed rate.
    case fixed(Double)
}

/// t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008), with the
/// optimisation schedule and defaults of scikit-learn 1.9's `TSNE`.
///
/// ```swift
/// let model = try TSNE<Float>(components: 2, perplexity: 30, seed: 7).fit(x)   // x: n × d
/// model.embedding          // n × 2
/// model.klDivergence       // final KL(P‖Q)
/// let z = try model.transform(newX)
/// ```
///
/// Fit: affinities P (exact or kNN, perplexity-calibrated), then gradient descent with momentum
/// 0.5 and P × `earlyExaggeration` for `explorationIterations` iterations, then momentum 0.8 up to
/// `maxIterations` (each phase restarting its momentum and gains, as scikit-learn). Student-t
/// output kernel with α = max(components − 1, 1) degrees of freedom. For α ≠ 1 (3-D output) the
/// gradient is the true gradient of the KL, where scikit-learn's formula is exact only for α = 1
/// (see `TSNEGradient.swift`). Internally in Double; every
/// parallel loop writes per-point results and sums them in index order, so a seed gives the same
/// numbers for any thread count of Latent's loops (PCA initialisation goes through OpenBLAS, whose
/// rounding may depend on its configured thread count; random and given initialisations do not).
public struct TSNE<Scalar: BLASScalar>: Estimator {
    /// Where the optimisation starts.
    public enum Initialization: Sendable, Equatable {
        /// PCA of the input to `components` dimensions, scaled so the first column has standard
        /// deviation 1e-4 (scikit-learn ≥ 1.2's default `init="pca"`).
        case pca
        /// Independent N(0, (1e-4)²) coordinates from the seeded generator.
        case random
        /// This n × components matrix, used as given.
        case embedding(Matrix<Scalar>)
    }

    /// Output dimensions (2 or 3 for Barnes–Hut; any ≥ 1 for exact).
    public var components: Int
    /// Effective number of neighbours (must be below the number of samples).
    public var perplexity: Double
    /// Exact or Barnes–Hut gradients.
    public var method: TSNEMethod
    /// The starting embedding.
    public var initialization: Initialization
    /// Gradient-descent step size.
    public var learningRate: TSNELearningRate
    /// Total iterations, exploration phase included (scikit-learn's `max_iter`).
    public var maxIterations: Int
    /// Factor on P during the exploration phase.
    public var earlyExaggeration: Double
    /// Iterations of the exploration phase (scikit-learn's `_EXPLORATION_MAX_ITER` = 250).
    public var explorationIterations: Int
    /// Stop when the gradient norm (gain-scaled, checked every 50 iterations) falls to this.
    public var minGradientNorm: Double
    /// Stop the second phase when the KL has not improved for this many iterations.
    public var iterationsWithoutProgress: Int
    /// Seed for `.random` initialisation (PCA initialisation is deterministic).
    public var seed: UInt64

    /// Stores the hyperparameters; `fit` validates them.
    public init(components: Int = 2, perplexity: Double = 30, method: TSNEMethod = .barnesHut(theta: 0.5),
                initialization: Initialization = .pca, learningRate: TSNELearningRate = .auto,
                maxIterations: Int = 1000, earlyExaggeration: Double = 12, explorationIterations: Int = 250,
                minGradientNorm: Double = 1e-7, iterationsWithoutProgress: Int = 300, seed: UInt64 = 0) {
        self.components = components
        self.perplexity = perplexity
        self.method = method
        self.initialization = initialization
        self.learningRate = learningRate
        self.maxIterations = maxIterations
        self.earlyExaggeration = earlyExaggeration
        self.explorationIterations = explorationIterations
        self.minGradientNorm = minGradientNorm
        self.iterationsWithoutProgress = iterationsWithoutProgress
        self.seed = seed
    }

    /// Degrees of freedom α = max(components − 1, 1) of the Student-t kernel (van der Maaten 2009).
    public var degreesOfFreedom: Double { Double(Swift.max(components - 1, 1)) }

    /// The learning rate used for `samples` points.
    public func resolvedLearningRate(samples n: Int) -> Double {
        switch learningRate {
        case .auto: return Swift.max(Double(n) / earlyExaggeration / 4, 50)
        case .fixed(let rate): return rate
        }
    }

    /// Embeds the rows of `x` (n × d).
    /// - Throws: `EstimatorError.invalidParameter` (perplexity ≥ n, bad components, iterations,
    ///   θ, learning rate or initial embedding shape), `.tooFewSamples` (n < 2), `.nonFinite`.
    /// - Complexity: exact O(n²·(d + iterations)); Barnes–Hut O(n²·d) for the exact kNN plus
    ///   O(iterations · n log n).
    public func fit(_ x: Matrix<Scalar>) throws -> TSNEModel<Scalar> {
        let n = x.rows
        try validate(x)
        let geometry = TSNEGeometry(count: n, dimensions: components, dof: degreesOfFreedom)

        // Affinities.
        var denseP: [Double] = []
        var sparseP: SparseAffinities?
        let betas: [Double]
        switch method {
        case .exact:
            (denseP, betas) = denseJointProbabilities(squaredDistances: pairwiseSquaredDistances(x), count: n, perplexity: perplexity)
        case .barnesHut:
            let k = Swift.min(n - 1, Int(3 * perplexity + 1))
            let knn = NearestNeighbors(queries: x, references: x, k: k, excludingSelf: true)
            let conditional = PerplexityCalibration.calibrate(squaredDistances: knn.squaredDistances, rows: n, width: k, perplexity: perplexity)
            sparseP = SparseAffinities(conditional: conditional.probabilities, neighbors: knn.indices, count: n, k: k)
            betas = conditional.betas
        }

        var y = try initialEmbedding(x)
        let rate = resolvedLearningRate(samples: n)

        func objective(exaggeration: Double) -> ([Double], Bool, inout [Double]) -> Double {
            switch method {
            case .exact:
                let p = exaggeration == 1 ? denseP : denseP.map { $0 * exaggeration }
                return { y, error, gradient in exactKLGradient(y: y, p: p, geometry: geometry, computeError: error, gradient: &gradient) }
            case .barnesHut(let theta):
                let base = sparseP!
                let p = exaggeration == 1 ? base : SparseAffinities(rescaling: base, by: exaggeration)
                return { y, error, gradient in
                    barnesHutKLGradient(y: y, p: p, geometry: geometry, theta: theta, computeError: error, gradient: &gradient)
                }
            }
        }

        // Phase 1: early exaggeration, momentum 0.5.
        var descent = TSNEGradientDescent(momentum: 0.5, learningRate: rate, maxIterations: explorationIterations,
                                          iterationsWithoutProgress: explorationIterations, minGradientNorm: minGradientNorm)
        var outcome = descent.run(&y, start: 0, objective: objective(exaggeration: earlyExaggeration))
        var trace = outcome.trace
        // Phase 2: true P, momentum 0.8.
        if outcome.lastIteration < explorationIterations || maxIterations > explorationIterations {
            descent.momentum = 0.8
            descent.maxIterations = maxIterations
            descent.iterationsWithoutProgress = iterationsWithoutProgress
            outcome = descent.run(&y, start: outcome.lastIteration + 1, objective: objective(exaggeration: 1))
            trace += outcome.trace
        }
        // A last phase that ran no iteration (maxIterations equal to the exploration phase) never
        // evaluated the true KL; compute it once instead of reporting the optimizer's sentinel.
        if outcome.error == .greatestFiniteMagnitude || !outcome.error.isFinite {
            var scratch = [Double](repeating: 0, count: y.count)
            outcome.error = objective(exaggeration: 1)(y, true, &scratch)
        }
        let report = FitReport(iterations: outcome.lastIteration + 1, finalChange: outcome.gradientNorm,
                               converged: outcome.converged, objective: trace)
        let theta: Double
        if case .barnesHut(let t) = method { theta = t } else { theta = 0 }
        return TSNEModel(
            embedding: Matrix(rows: n, columns: components, storage: y.map { Scalar($0) }),
            klDivergence: outcome.error, report: report, trainingData: x, betas: betas,
            perplexity: perplexity, theta: theta, degreesOfFreedom: degreesOfFreedom)
    }

    private func validate(_ x: Matrix<Scalar>) throws {
        let name = "TSNE"
        guard x.rows >= 2 else { throw EstimatorError.tooFewSamples(method: name, samples: x.rows, needed: 2) }
        try x.requireFiniteInput(for: name)
        // All rows equal: every distance is 0, the affinities carry no information, and the
        // optimisation returns a collapsed embedding with a meaningless objective.
        let first = x.row(0)
        if (1..<x.rows).allSatisfy({ i in (0..<x.columns).allSatisfy { x[i, $0] == first[$0] } }) {
            throw EstimatorError.invalidData(method: name, reason: "all \(x.rows) rows are identical; t-SNE needs at least two distinct points")
        }
        guard perplexity > 0, perplexity < Double(x.rows) else {
            throw EstimatorError.invalidParameter(method: name, name: "perplexity",
                                                  reason: "must be positive and less than the number of samples (\(x.rows)), got \(perplexity)")
        }
        guard components >= 1 else {
            throw EstimatorError.invalidParameter(method: name, name: "components", reason: "must be at least 1, got \(components)")
        }
        if case .barnesHut(let theta) = method {
            guard components == 2 || components == 3 else {
                throw EstimatorError.invalidParameter(method: name, name: "components",
                                                      reason: "must be 2 or 3 for Barnes–Hut (use .exact otherwise), got \(components)")
            }
            guard theta >= 0, theta.isFinite else {
                throw EstimatorError.invalidParameter(method: name, name: "theta", reason: "must be finite and ≥ 0, got \(theta)")
            }
        }
        guard explorationIterations >= 0, maxIterations >= explorationIterations, maxIterations >= 1 else {
            throw EstimatorError.invalidParameter(method: name, name: "maxIterations",
                                                  reason: "must be at least explorationIterations (\(explorationIterations)), got \(maxIterations)")
        }
        guard resolvedLearningRate(samples: x.rows) > 0, earlyExaggeration > 0 else {
            throw EstimatorError.invalidParameter(method: name, name: "learningRate", reason: "learning rate and exaggeration must be positive")
        }
    }

    private func initialEmbedding(_ x: Matrix<Scalar>) throws -> [Double] {
        let n = x.rows
        switch initialization {
        case .embedding(let y0):
            guard y0.rows == n, y0.columns == components else {
                throw EstimatorError.invalidParameter(method: "TSNE", name: "initialization",
                                                      reason: "embedding must be \(n)×\(components), got \(y0.shapeDescription)")
            }
            try y0.requireFiniteInput(for: "TSNE initialization")
            return y0.storage.map { Double($0) }
        case .random:
            var rng = Xoshiro256StarStar(seed: seed)
            return (0..<(n * components)).map { _ in 1e-4 * rng.normal() }
        case .pca:
            guard x.columns >= components, n >= components else {
                throw EstimatorError.invalidParameter(method: "TSNE", name: "initialization",
                                                      reason: "PCA initialisation needs at least \(components) features and samples, got \(x.shapeDescription)")
            }
            let z = try PCA<Scalar>(components: components, seed: seed).fit(x).transform(x)
            var y = z.storage.map { Double($0) }
            var mean = 0.0
            for i in 0..<n { mean += y[i * components] }
            mean /= Double(n)
            var variance = 0.0
            for i in 0..<n { let t = y[i * components] - mean; variance += t * t }
            let std = (variance / Double(n)).squareRoot()
            let scale = std > 0 ? 1e-4 / std : 1
            for e in y.indices { y[e] *= scale }
            return y
        }
    }
}

extension SparseAffinities {
    /// A copy with every value multiplied by `factor` (early exaggeration).
    init(rescaling base: SparseAffinities, by factor: Double) {
        self.count = base.count
        self.rowStarts = base.rowStarts
        self.columns = base.columns
        self.values = base.values.map { $0 * factor }
    }
}
