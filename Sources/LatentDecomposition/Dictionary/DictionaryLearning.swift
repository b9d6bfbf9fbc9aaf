import LatentCore

/// Batch dictionary learning (scikit-learn's `DictionaryLearning`; Mairal et al. 2009, section 3.3):
/// find atoms `D` (atoms × features, rows of norm ≤ 1) and sparse codes `Z` minimising
///
///     ½‖X − Z·D‖²_F + alpha·‖Z‖₁
///
/// by alternating an exact sparse-coding step over all samples (lasso by LARS or coordinate descent)
/// with one block-coordinate pass over the atoms (`DictionaryUpdate`). Both steps minimise the
/// objective over their block, so it decreases monotonically; the fit stops when the decrease
/// falls below `tolerance` times the objective, or after `maxIterations`.
///
/// ```swift
/// let model = try DictionaryLearning<Double>(atoms: 32, alpha: 0.5, seed: 1).fit(x)
/// let z = try model.transform(x)          // n × 32, sparse
/// print(model.report.objective)           // one value per iteration, decreasing
/// ```
/// - Complexity: per iteration O(n·atoms·features) in GEMMs plus the per-sample lasso solves.
public struct DictionaryLearning<Scalar: BLASScalar>: Estimator {
    /// Number of atoms (rows of the dictionary).
    public var atoms: Int
    /// Weight of the l1 penalty on the codes.
    public var alpha: Double
    /// Sparse coding while fitting.
    public var fitAlgorithm: DictionaryFitAlgorithm
    /// Sparse coding of the fitted model's `transform`; `nil` means the fit algorithm with `alpha`.
    public var transformAlgorithm: SparseCodingAlgorithm?
    /// The most alternations of coding and dictionary update.
    public var maxIterations: Int
    /// Stop when the objective decreases by less than `tolerance × objective` in one iteration.
    public var tolerance: Double
    /// The first dictionary.
    public var initialization: DictionaryInitialization
    /// Non-negative codes.
    public var positiveCode: Bool
    /// Non-negative atoms.
    public var positiveDictionary: Bool
    /// Seed for random initialisation and re-sampled atoms.
    public var seed: UInt64

    /// Hyperparameters with scikit-learn's defaults (`max_iter=1000`, `tol=1e-8`, `fit_algorithm="lars"`).
    public init(atoms: Int, alpha: Double = 1, fitAlgorithm: DictionaryFitAlgorithm = .lassoLARS,
                transformAlgorithm: SparseCodingAlgorithm? = nil, maxIterations: Int = 1000, tolerance: Double = 1e-8,
                initialization: DictionaryInitialization = .svd, positiveCode: Bool = false,
                positiveDictionary: Bool = false, seed: UInt64 = 0) {
        self.atoms = atoms
        self.alpha = alpha
        self.fitAlgorithm = fitAlgorithm
        self.transformAlgorithm = transformAlgorithm
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.initialization = initialization
        self.positiveCode = positiveCode
        self.positiveDictionary = positiveDictionary
        self.seed = seed
    }

    /// Learns a dictionary from `x` (n samples × features).
    /// - Throws: `EstimatorError` for bad parameters, no samples or non-finite input;
    ///   `LinearAlgebraError` if the initial SVD fails.
    public func fit(_ x: Matrix<Scalar>) throws -> DictionaryModel<Scalar> { try fit(x, onEvent: { _ in }) }

    /// `fit(x)`, calling `onEvent` after every iteration (a pass over all rows: `.step` with
    /// `epoch` equal to `step`, `steps` = `maxIterations`, and the objective as `cost`).
    public func fit(_ x: Matrix<Scalar>, onEvent: (FitEvent) -> Void) throws -> DictionaryModel<Scalar> {
        let method = "DictionaryLearning"
        try validate(method: method, x: x)
        var generator = Xoshiro256StarStar(seed: seed)
        let start = try DictionaryInitializer.initial(x, atoms: atoms, method: initialization, wantCodes: true,
                                                      generator: &generator, methodName: method)
        var dictionary = start.dictionary
        var codes = start.codes ?? .zeros(x.rows, atoms)
        let coding = fitAlgorithm.algorithm(alpha: alpha)
        var objective = [Double]()
        var converged = false, change = 0.0   // objective decrease of the last iteration (0 after one)
        for iteration in 0..<maxIterations {
            let gram = dictionary.gram(transpose: false)
            codes = SparseCoding.encode(x, dictionary: dictionary, gram: gram, algorithm: coding, positive: positiveCode,
                                        lipschitz: 0, initial: fitAlgorithm == .lassoCD ? codes : nil)
            let a = codes.gram(transpose: true)                       // ZᵀZ, atoms × atoms
            let b = Matrix.gemm(codes, x, transposeA: true)            // ZᵀX, atoms × features
            DictionaryUpdate.update(&dictionary, a: a, b: b, data: x, codes: &codes, positive: positiveDictionary,
                                    generator: &generator)
            let cost = SparseCoding.objective(x, codes: codes, dictionary: dictionary, alpha: alpha)
            guard cost.isFinite else {
                throw EstimatorError.invalidData(method: method, reason: "objective became \(cost) at iteration \(iteration + 1)")
            }
            objective.append(cost)
            onEvent(.step(step: iteration + 1, steps: maxIterations, epoch: iteration + 1, cost: cost))
            if iteration > 0 {
                change = objective[iteration - 1] - cost
                if change < tolerance * cost { converged = true; break }
            }
        }
        let report = FitReport(iterations: objective.count, finalChange: change, converged: converged, objective: objective)
        let coder = try SparseCoder(dictionary: dictionary, algorithm: transformAlgorithm ?? coding, positive: positiveCode)
        return DictionaryModel(coder: coder, alpha: alpha, report: report)
    }

    func validate(method: String, x: Matrix<Scalar>) throws {
        func bad(_ name: String, _ reason: String) -> EstimatorError { .invalidParameter(method: method, name: name, reason: reason) }
        guard atoms >= 1 else { throw bad("atoms", "must be ≥ 1, got \(atoms)") }
        guard alpha >= 0 && alpha.isFinite else { throw bad("alpha", "must be finite and ≥ 0, got \(alpha)") }
        guard maxIterations >= 1 else { throw bad("maxIterations", "must be ≥ 1, got \(maxIterations)") }
        guard tolerance >= 0 && tolerance.isFinite else { throw bad("tolerance", "must be finite and ≥ 0, got \(tolerance)") }
        try transformAlgorithm?.validate(atoms: atoms, positive: positiveCode, method: method)
        guard x.rows >= 1 && x.columns >= 1 else { throw EstimatorError.tooFewSamples(method: method, samples: x.rows, needed: 1) }
        try x.requireFiniteInput(for: method)
    }
}
