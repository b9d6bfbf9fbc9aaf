import LatentCore

/// Sparse coding against a fixed dictionary (scikit-learn's `SparseCoder` / `sparse_encode`).
///
/// `dictionary` is atoms × features with (normally) unit-norm rows; `encode(x)` returns the n × atoms
/// codes `Z` with `x ≈ Z·D`, each row found by `algorithm` (see `SparseCodingAlgorithm`). The Gram
/// matrix `G = D·Dᵀ` (and for ISTA/FISTA its largest eigenvalue) is computed once at creation;
/// encoding costs one GEMM (O(n·atoms·features)) plus a per-sample solve on `G` that never touches
/// the features, run in parallel over samples.
///
/// ```swift
/// let coder = try SparseCoder(dictionary: d, algorithm: .lassoLARS(alpha: 0.1))
/// let z = try coder.encode(x)        // n × atoms
/// ```
public struct SparseCoder<Scalar: BLASScalar>: InvertibleTransformer, Equatable {
    /// The atoms as rows, atoms × features.
    public let dictionary: Matrix<Scalar>
    /// The coding method and its parameters.
    public let algorithm: SparseCodingAlgorithm
    /// Whether codes are constrained to be non-negative (lasso-type algorithms only).
    public let positive: Bool
    /// `D·Dᵀ`, atoms × atoms.
    public let gram: Matrix<Scalar>
    /// The largest eigenvalue of `gram`, the Lipschitz constant of the lasso gradient (ISTA/FISTA).
    public let lipschitz: Scalar

    /// A coder for `dictionary` (atoms × features).
    /// - Throws: `EstimatorError.invalidParameter` for bad algorithm settings (including `positive`
    ///   with OMP or LARS, as scikit-learn), `.nonFinite` for a NaN in the dictionary.
    /// - Complexity: O(atoms²·features) for the Gram matrix, plus O(atoms³) for ISTA/FISTA's eigenvalue.
    public init(dictionary: Matrix<Scalar>, algorithm: SparseCodingAlgorithm, positive: Bool = false) throws {
        guard dictionary.rows >= 1 && dictionary.columns >= 1 else {
            throw EstimatorError.invalidParameter(method: "SparseCoder", name: "dictionary",
                                                  reason: "must have at least one atom and one feature, got \(dictionary.shapeDescription)")
        }
        try dictionary.requireFiniteInput(for: "SparseCoder (dictionary)")
        try algorithm.validate(atoms: dictionary.rows, positive: positive, method: "SparseCoder")
        self.dictionary = dictionary
        self.algorithm = algorithm
        self.positive = positive
        self.gram = dictionary.gram(transpose: false)
        switch algorithm {
        case .ista, .fista:
            self.lipschitz = try gram.symmetricEigen(top: 1).values.last ?? 0
        default:
            self.lipschitz = 0
        }
    }

    /// Number of features per sample.
    public var inputFeatures: Int { dictionary.columns }
    /// Number of atoms (code length).
    public var outputFeatures: Int { dictionary.rows }

    /// The codes of each row of `x` (n × features → n × atoms).
    /// - Parameter initialCodes: a warm start (n × atoms) for lasso CD, ISTA and FISTA; ignored by the others.
    /// - Throws: `EstimatorError.featureMismatch` or `.nonFinite` for unusable input.
    public func encode(_ x: Matrix<Scalar>, initialCodes: Matrix<Scalar>? = nil) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "SparseCoder")
        try x.requireFiniteInput(for: "SparseCoder")
        if let initialCodes {
            guard initialCodes.rows == x.rows && initialCodes.columns == outputFeatures else {
                throw EstimatorError.invalidParameter(method: "SparseCoder", name: "initialCodes",
                                                      reason: "must be \(x.rows)×\(outputFeatures), got \(initialCodes.shapeDescription)")
            }
            try initialCodes.requireFiniteInput(for: "SparseCoder (initial codes)")
        }
        return SparseCoding.encode(x, dictionary: dictionary, gram: gram, algorithm: algorithm, positive: positive,
                                   lipschitz: lipschitz, initial: initialCodes)
    }

    /// Same as `encode(x)`.
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> { try encode(x) }

    /// The reconstruction `Z·D` (n × atoms → n × features). - Complexity: one GEMM.
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try z.requireFeatures(outputFeatures, for: "SparseCoder.inverseTransform")
        return Matrix.gemm(z, dictionary)
    }

    /// `½‖x − z·D‖²_F + alpha‖z‖₁` summed over samples, with `alpha` the algorithm's (0 for OMP/LARS).
    public func objective(_ x: Matrix<Scalar>, codes z: Matrix<Scalar>) throws -> Double {
        try x.requireFeatures(inputFeatures, for: "SparseCoder.objective")
        try z.requireFeatures(outputFeatures, for: "SparseCoder.objective")
        precondition(x.rows == z.rows, "SparseCoder.objective: \(x.rows) samples but \(z.rows) codes")
        return SparseCoding.objective(x, codes: z, dictionary: dictionary, alpha: algorithm.alpha ?? 0)
    }
}
