import LatentCore

/// A learned dictionary: its atoms, the sparse coder that `transform` uses, and how the fit went.
/// Returned by `DictionaryLearning.fit` and `MiniBatchDictionaryLearning.fit`.
public struct DictionaryModel<Scalar: BLASScalar>: InvertibleTransformer, Equatable {
    /// The atoms as rows, atoms × features, each of norm ≤ 1 (scikit-learn's `components_`).
    public var components: Matrix<Scalar> { coder.dictionary }
    /// The coder of `transform`: `components` with the transform algorithm.
    public let coder: SparseCoder<Scalar>
    /// The l1 weight the dictionary was learned with.
    public let alpha: Double
    /// Iterations (batch) or mini-batch steps (online), and the objective after each one.
    public let report: FitReport

    /// A model from its parts (for tests and loading); `coder.dictionary` is the dictionary.
    public init(coder: SparseCoder<Scalar>, alpha: Double, report: FitReport) {
        self.coder = coder
        self.alpha = alpha
        self.report = report
    }

    /// Number of features per sample.
    public var inputFeatures: Int { coder.inputFeatures }
    /// Number of atoms (code length).
    public var outputFeatures: Int { coder.outputFeatures }

    /// Sparse codes of each row of `x` (n × features → n × atoms), by the transform algorithm.
    /// - Throws: `EstimatorError.featureMismatch` or `.nonFinite`.
    /// - Complexity: one GEMM plus the per-sample solves (see `SparseCoder`).
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> { try coder.encode(x) }

    /// The reconstruction `Z·D` (n × atoms → n × features).
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> { try coder.inverseTransform(z) }

    /// The mean objective `(½‖X − Z·D‖² + alpha‖Z‖₁) / n` of `x` with codes from `coding` (default:
    /// the exact lasso by LARS with this model's `alpha`), as scikit-learn scores a dictionary.
    public func meanObjective(_ x: Matrix<Scalar>, coding: SparseCodingAlgorithm? = nil) throws -> Double {
        try x.requireFeatures(inputFeatures, for: "DictionaryModel.meanObjective")
        let algorithm = coding ?? .lassoLARS(alpha: alpha)
        let coder = try SparseCoder(dictionary: components, algorithm: algorithm, positive: self.coder.positive && algorithm.supportsPositive)
        let z = try coder.encode(x)
        return SparseCoding.objective(x, codes: z, dictionary: components, alpha: algorithm.alpha ?? 0) / Double(Swift.max(1, x.rows))
    }
}

/// The sparse coding method used while learning a dictionary (scikit-learn's `fit_algorithm`).
public enum DictionaryFitAlgorithm: String, Codable, Sendable, CaseIterable {
    /// The exact lasso by the LARS homotopy (scikit-learn's `"lars"`, its default).
    case lassoLARS
    /// The lasso by coordinate descent (scikit-learn's `"cd"`), warm-started in the batch learner.
    case lassoCD

    func algorithm(alpha: Double) -> SparseCodingAlgorithm {
        switch self {
        case .lassoLARS: return .lassoLARS(alpha: alpha)
        case .lassoCD: return .lassoCD(alpha: alpha)
        }
    }
}
