import LatentCore

/// Codes of `n` samples and the discrete ground-truth factors they came from, the input of the
/// disentanglement metrics that score a fixed sample (MIG, SAP). Rows are samples: `codes` is
/// `n × k` (k code dimensions), `factors` holds `n` rows of `K` factor classes.
enum FactorData {
    /// Throws unless codes and factors describe the same `n ≥ minimumSamples` samples, every row of
    /// `factors` has the same length ≥ 1, and every code is finite.
    static func validate<S: BLASScalar>(_ codes: Matrix<S>, _ factors: [[Int]], method: String, minimumSamples: Int = 2) throws {
        guard codes.rows == factors.count else {
            throw EstimatorError.invalidData(method: method, reason: "\(codes.rows) codes for \(factors.count) factor rows")
        }
        guard codes.rows >= minimumSamples else {
            throw EstimatorError.invalidData(method: method, reason: "needs at least \(minimumSamples) samples, got \(codes.rows)")
        }
        guard codes.columns >= 1 else { throw EstimatorError.invalidData(method: method, reason: "codes have no dimensions") }
        let width = factors[0].count
        guard width >= 1, factors.allSatisfy({ $0.count == width }) else {
            throw EstimatorError.invalidData(method: method, reason: "factor rows must all have the same number (≥ 1) of factors")
        }
        try codes.requireFiniteInput(for: method)
    }

    /// Column `j` of the factor rows.
    static func factor(_ factors: [[Int]], _ j: Int) -> [Int] { factors.map { $0[j] } }

    /// Column `i` of `codes` in `Double`.
    static func code<S: BLASScalar>(_ codes: Matrix<S>, _ i: Int) -> [Double] { (0..<codes.rows).map { Double(codes[$0, i]) } }
}

/// A ground-truth generative process for the metrics that sample their own data (β-VAE score,
/// FactorVAE score): discrete factors with `factorSizes` classes each, drawn uniformly and
/// independently, and the representation of the observations they produce (e.g. render dSprites
/// images of the factors and encode them with a trained model).
public struct GroundTruth<Scalar: BLASScalar> {
    /// Classes of each factor (each ≥ 1).
    public let factorSizes: [Int]
    /// Codes `n × k` of the observations of `n` factor rows (one row of classes per sample).
    public let represent: ([[Int]]) -> Matrix<Scalar>

    public init(factorSizes: [Int], represent: @escaping ([[Int]]) -> Matrix<Scalar>) {
        precondition(!factorSizes.isEmpty && factorSizes.allSatisfy { $0 >= 1 }, "GroundTruth: factor sizes \(factorSizes) must be ≥ 1")
        self.factorSizes = factorSizes
        self.represent = represent
    }

    /// `count` factor rows drawn uniformly from `rng`, factor by factor within each row.
    func sampleFactors(_ count: Int, using rng: inout Xoshiro256StarStar) -> [[Int]] {
        (0..<count).map { _ in factorSizes.map { rng.integer(below: $0) } }
    }

    /// Codes of `factors`, checked for shape and finiteness.
    func codes(_ factors: [[Int]], method: String) throws -> Matrix<Scalar> {
        let z = represent(factors)
        precondition(z.rows == factors.count, "\(method): the representation returned \(z.rows) rows for \(factors.count) samples")
        try z.requireFiniteInput(for: method)
        return z
    }
}

/// The sample variance (ddof = 1) of each column of `z`; exactly 0 for a constant column (a
/// rounded mean would leave ~1e-33 and keep a dead code dimension "active"). O(n·k).
func columnVariances<S: BLASScalar>(_ z: Matrix<S>) -> [Double] {
    (0..<z.columns).map { j in
        let v = (0..<z.rows).map { Double(z[$0, j]) }
        if v.allSatisfy({ $0 == v[0] }) { return 0 }
        let mean = v.reduce(0, +) / Double(v.count)
        return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Swift.max(v.count - 1, 1))
    }
}
