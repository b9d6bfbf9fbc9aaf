import LatentCore

/// Randomized truncated SVD (Halko, Martinsson & Tropp 2011, "Finding structure with randomness",
/// Algorithms 4.3/4.4 with power iterations; scikit-learn's `randomized_svd`).
///
/// The matrix may be centred *implicitly*: with `centering: μ` the routines decompose
/// `M = A − 1·μᵀ` without ever forming it — every product `M·Q` is `A·Q − 1·(μᵀQ)` and `Mᵀ·P` is
/// `Aᵀ·P − μ·(1ᵀP)`, one GEMM plus one rank-one update each — so PCA of a large data matrix costs
/// no copy of it.
///
/// Cost for an m×n matrix, rank k, `l = k + oversampling` and `q` power iterations:
/// O((2q + 2)·m·n·l) in GEMMs plus O((m + n)·l²) for the normalisations and O(n·l²) for the small SVD.
public enum RandomizedSVD {
    /// How the sample block is re-normalised between power iterations (stops the columns from
    /// collapsing onto the top singular vector in finite precision).
    public enum Normalizer: String, Sendable, Codable, CaseIterable {
        /// `.lu` when there are more than 2 power iterations, else `.none` (scikit-learn's `"auto"`).
        case auto
        /// No normalisation: fastest, unstable for many iterations.
        case none
        /// Orthonormalise by Householder QR (most stable).
        case qr
        /// Replace the block by the permuted unit-lower factor `P·L` of its LU factorisation
        /// (cheaper than QR, as stable in practice; scikit-learn's default).
        case lu
    }

    /// scikit-learn's default number of power iterations: 7 when `rank < 0.1·min(rows, columns)`
    /// (a small rank in a large matrix needs more iterations to separate), else 4.
    public static func defaultPowerIterations(rank: Int, rows: Int, columns: Int) -> Int {
        Double(rank) < 0.1 * Double(Swift.min(rows, columns)) ? 7 : 4
    }

    /// An orthonormal basis (`a.rows × size`) approximating the range of `M = a − 1·centeringᵀ`
    /// (Halko et al. Algorithm 4.4: `Q = orth((M Mᵀ)^q M Ω)` with a Gaussian `Ω` of `size` columns).
    /// - Complexity: O((2q + 2)·rows·columns·size).
    public static func rangeFinder<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, centering mean: [Scalar]? = nil, size: Int, powerIterations: Int,
        normalizer: Normalizer = .auto, using rng: inout Xoshiro256StarStar
    ) throws -> Matrix<Scalar> {
        try rangeFinder(CenteredOperator(a, mean: mean, transposed: false), size: size,
                        powerIterations: powerIterations, normalizer: normalizer, using: &rng)
    }

    /// The rank-`rank` truncated SVD of `M = a − 1·centeringᵀ` (or of `a` when `centering` is nil).
    ///
    /// Works on `Mᵀ` when `a` is wide (rows < columns), as scikit-learn does, so the random block
    /// always has the smaller dimension's length. Singular vectors are returned unflipped.
    /// - Parameters:
    ///   - rank: number of singular triplets wanted, `1...min(rows, columns)`.
    ///   - oversampling: extra random columns (Halko et al. §4.2 recommend 5–10; default 10).
    ///   - powerIterations: `nil` for `defaultPowerIterations`.
    ///   - seed: seeds the Gaussian test matrix; the same seed gives the same result.
    /// - Returns: `u` (rows × rank), `s` (rank, descending), `vt` (rank × columns).
    public static func decompose<Scalar: BLASScalar>(
        _ a: Matrix<Scalar>, rank: Int, centering mean: [Scalar]? = nil, oversampling: Int = 10,
        powerIterations: Int? = nil, normalizer: Normalizer = .auto, seed: UInt64 = 0
    ) throws -> Result<Scalar> {
        let smaller = Swift.min(a.rows, a.columns)
        precondition(rank >= 1 && rank <= smaller, "RandomizedSVD: rank \(rank) of a \(a.shapeDescription) matrix")
        precondition(oversampling >= 0, "RandomizedSVD: negative oversampling \(oversampling)")
        let size = Swift.min(rank + oversampling, smaller)
        let iterations = powerIterations ?? defaultPowerIterations(rank: rank, rows: a.rows, columns: a.columns)
        let op = CenteredOperator(a, mean: mean, transposed: a.rows < a.columns)
        var rng = Xoshiro256StarStar(seed: seed)
        let q = try rangeFinder(op, size: size, powerIterations: iterations, normalizer: normalizer, using: &rng)
        // B = Qᵀ·op(M) (size × op.columns), computed as (op(M)ᵀ·Q)ᵀ.
        let b = op.transposeTimes(q).transposed
        let small = try b.svd()
        let uHat = small.u.columns(0..<rank)                                     // size × rank
        let s = Array(small.s[0..<rank])
        let vtSmall = small.vt.rows(0..<rank)                                    // rank × op.columns
        if !op.transposed {
            return Result(u: Matrix.gemm(q, uHat), s: s, vt: vtSmall)               // U = Q·Û
        }
        // op(M) = Mᵀ = U S Vᵀ, so M = V S Uᵀ: M's U is Vᵀᵀ and M's Vᵀ is (Q·Û)ᵀ = Ûᵀ·Qᵀ.
        return Result(u: vtSmall.transposed, s: s, vt: Matrix.gemm(uHat, q, transposeA: true, transposeB: true))
    }

    /// A truncated SVD `M ≈ U·diag(s)·Vᵀ` (LatentCore's `SVD` has no public initialiser).
    public struct Result<Scalar: BLASScalar>: Sendable, Codable {
        /// Left singular vectors as columns, rows × rank.
        public let u: Matrix<Scalar>
        /// Singular values, descending, length rank.
        public let s: [Scalar]
        /// Right singular vectors as rows, rank × columns.
        public let vt: Matrix<Scalar>
    }

    // MARK: - Internals

    static func rangeFinder<Scalar: BLASScalar>(
        _ op: CenteredOperator<Scalar>, size: Int, powerIterations: Int, normalizer: Normalizer,
        using rng: inout Xoshiro256StarStar
    ) throws -> Matrix<Scalar> {
        precondition(size >= 1, "RandomizedSVD.rangeFinder: size \(size) must be positive")
        precondition(powerIterations >= 0, "RandomizedSVD.rangeFinder: negative power iterations \(powerIterations)")
        let method: Normalizer = normalizer == .auto ? (powerIterations > 2 ? .lu : .none) : normalizer
        var q = Matrix<Scalar>.randomNormal(op.columns, size, using: &rng)     // Ω: columns × size
        for _ in 0..<powerIterations {
            q = try normalize(op.times(q), method)                               // rows × size
            q = try normalize(op.transposeTimes(q), method)                      // columns × size
        }
        return try op.times(q).qr().q
    }

    static func normalize<Scalar: BLASScalar>(_ y: Matrix<Scalar>, _ method: Normalizer) throws -> Matrix<Scalar> {
        switch method {
        case .auto, .none: return y
        case .qr: return try y.qr().q
        case .lu: return try permutedLowerFactor(y)
        }
    }

    /// `P·L` of `Y = P·L·U` (`?getrf`), Y m×l with m ≥ l: a well-conditioned basis of Y's range.
    static func permutedLowerFactor<Scalar: BLASScalar>(_ y: Matrix<Scalar>) throws -> Matrix<Scalar> {
        let (m, l) = (y.rows, y.columns)
        var a = y.transposed.storage                                            // column-major m×l
        var ipiv = [Int32](repeating: 0, count: Swift.max(1, Swift.min(m, l)))
        let info = a.withUnsafeMutableBufferPointer { Scalar.getrf(m: m, n: l, a: $0.baseAddress!, lda: m, ipiv: &ipiv) }
        if info < 0 { throw LinearAlgebraError(routine: Scalar.routinePrefix + "getrf", info: Int(info), reason: "argument \(-info) had an illegal value") }
        // info > 0 (an exactly zero pivot) still leaves a valid L; keep it as scikit-learn does.
        var lower = [Scalar](repeating: 0, count: m * l)                        // row-major m×l
        for j in 0..<l {
            lower[j * l + j] = 1
            for i in (j + 1)..<Swift.max(j + 1, m) { lower[i * l + j] = a[i + j * m] }
        }
        // Y = P·L·U where P⁻¹ applies the swaps i ↔ ipiv[i] in order; undo them in reverse.
        for i in stride(from: Swift.min(m, l) - 1, through: 0, by: -1) {
            let p = Int(ipiv[i]) - 1
            if p != i { for j in 0..<l { lower.swapAt(i * l + j, p * l + j) } }
        }
        return Matrix(rows: m, columns: l, storage: lower)
    }
}

/// `op(M)` for `M = A − 1·μᵀ` (or `A` when μ is nil), with `op` the identity or the transpose;
/// products go through GEMM plus a rank-one correction, never a centred copy.
struct CenteredOperator<Scalar: BLASScalar> {
    let a: Matrix<Scalar>
    let mean: [Scalar]?
    let transposed: Bool

    init(_ a: Matrix<Scalar>, mean: [Scalar]?, transposed: Bool) {
        if let mean { precondition(mean.count == a.columns, "CenteredOperator: \(mean.count) means for \(a.shapeDescription)") }
        self.a = a
        self.mean = mean
        self.transposed = transposed
    }

    var rows: Int { transposed ? a.columns : a.rows }
    var columns: Int { transposed ? a.rows : a.columns }

    /// `op(M)·x`, x columns × l.
    func times(_ x: Matrix<Scalar>) -> Matrix<Scalar> { transposed ? mTranspose(x) : m(x) }
    /// `op(M)ᵀ·y`, y rows × l.
    func transposeTimes(_ y: Matrix<Scalar>) -> Matrix<Scalar> { transposed ? m(y) : mTranspose(y) }

    /// `M·x = A·x − 1·(μᵀx)`.
    private func m(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        var out = Matrix.gemm(a, x)
        if let mean {
            let mux = Matrix(rows: 1, columns: mean.count, storage: mean) * x                 // 1 × l
            Matrix.gemm(Matrix.ones(a.rows, 1), mux, into: &out, alpha: -1, beta: 1)
        }
        return out
    }

    /// `Mᵀ·y = Aᵀ·y − μ·(1ᵀy)`.
    private func mTranspose(_ y: Matrix<Scalar>) -> Matrix<Scalar> {
        var out = Matrix.gemm(a, y, transposeA: true)
        if let mean {
            let sums = Matrix(rows: 1, columns: y.columns, storage: y.gemv(Array(repeating: 1, count: y.rows), transpose: true))
            Matrix.gemm(Matrix(rows: mean.count, columns: 1, storage: mean), sums, into: &out, alpha: -1, beta: 1)
        }
        return out
    }
}
