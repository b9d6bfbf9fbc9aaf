// LAPACK decompositions of a row-major `Matrix`.
//
// LAPACKE's row-major entry points transpose into a scratch copy behind your back. A row-major
// m×n buffer *is* the column-major n×m transpose, so where it saves work we call the column-major
// routine on that transposed view and read the answer back transposed for free: the SVD of Aᵀ is
// V·S·Uᵀ, so LAPACK's "U" of Aᵀ is our Vᵀ and its "Vᵀ" our U, with no copies (see `svd`).

/// The LAPACK driver behind `Matrix.svd`.
public enum SVDAlgorithm: String, Sendable, Codable, CaseIterable {
    /// Divide and conquer (`?gesdd`), falling back to QR iteration if it does not converge. Fastest.
    case divideAndConquer
    /// QR iteration on the bidiagonal form (`?gesvd`) only.
    case qrIteration
}

/// A singular value decomposition `A = U · diag(s) · Vᵀ`.
public struct SVD<Scalar: BLASScalar>: Sendable, Codable {
    /// Left singular vectors as columns: m×k (thin, k = min(m, n)) or m×m (full).
    public let u: Matrix<Scalar>
    /// Singular values in descending order, length k = min(m, n).
    public let s: [Scalar]
    /// Right singular vectors as rows: k×n (thin) or n×n (full).
    public let vt: Matrix<Scalar>
}

/// The eigendecomposition `A = V · diag(values) · Vᵀ` of a symmetric matrix, or its top part.
public struct SymmetricEigen<Scalar: BLASScalar>: Sendable, Codable {
    /// Eigenvalues in ascending order (LAPACK's and NumPy's `eigh` convention).
    public let values: [Scalar]
    /// Orthonormal eigenvectors as columns, n × values.count, column `j` belonging to `values[j]`.
    public let vectors: Matrix<Scalar>
}

/// A QR factorisation `A = Q · R`.
public struct QR<Scalar: BLASScalar>: Sendable, Codable {
    /// Orthonormal columns: m×k (thin, k = min(m, n)) or m×m (full).
    public let q: Matrix<Scalar>
    /// Upper triangular (trapezoidal when m < n): k×n (thin) or m×n (full).
    public let r: Matrix<Scalar>
}

/// `det A = sign · exp(logAbsDeterminant)`, kept as a logarithm so it neither overflows nor underflows.
public struct LogDeterminant<Scalar: BLASScalar>: Sendable, Codable, Equatable {
    /// `1`, `-1`, or `0` for a singular matrix.
    public let sign: Scalar
    /// `log |det A|`; `-∞` for a singular matrix.
    public let logAbsDeterminant: Scalar
    /// A log-determinant from its parts.
    public init(sign: Scalar, logAbsDeterminant: Scalar) {
        self.sign = sign
        self.logAbsDeterminant = logAbsDeterminant
    }
    /// `sign · exp(logAbsDeterminant)`: the determinant itself (may overflow to ±∞ or underflow to 0).
    public var determinant: Scalar { sign == 0 ? 0 : sign * Scalar.exp(logAbsDeterminant) }
}

/// A minimum-norm least-squares solution of `A·X ≈ B`.
public struct LeastSquares<Scalar: BLASScalar>: Sendable, Codable {
    /// The solution, n × nrhs.
    public let solution: Matrix<Scalar>
    /// Sums of squared residuals per right-hand side when m > n and A has full column rank,
    /// else empty (NumPy's `lstsq` convention).
    public let residuals: [Scalar]
    /// The effective rank of A.
    public let rank: Int
    /// Singular values of A in descending order.
    public let singularValues: [Scalar]
}

extension Matrix {
    /// The singular value decomposition `A = U · diag(s) · Vᵀ`.
    ///
    /// `.divideAndConquer` (the default) calls `?gesdd` and falls back to `?gesvd` when `gesdd`
    /// does not converge; `.qrIteration` calls `?gesvd` directly (slower, sometimes more accurate for
    /// tiny singular values). Both run on the transposed view (see the note at the top of this file).
    /// - Parameters:
    ///   - full: `false` for the thin SVD (U is m×k, Vᵀ is k×n, k = min(m, n)), `true` for square
    ///     U (m×m) and Vᵀ (n×n).
    ///   - algorithm: the LAPACK driver.
    /// - Throws: `LinearAlgebraError` when the input is not finite or `?gesvd` fails to converge.
    /// - Complexity: O(m·n·min(m, n)).
    public func svd(full: Bool = false, algorithm: SVDAlgorithm = .divideAndConquer) throws -> SVD<Scalar> {
        try requireFinite(algorithm == .qrIteration ? "gesvd" : "gesdd")
        let (m, n, k) = (rows, columns, Swift.min(rows, columns))
        guard k > 0 else {
            return full ? SVD(u: .identity(m), s: [], vt: .identity(n)) : SVD(u: .zeros(m, 0), s: [], vt: .zeros(0, n))
        }
        // LAPACK sees the n×m matrix Aᵀ: its U is n×uc, its Vᵀ is vr×m.
        let (uc, vr) = full ? (n, m) : (k, k)
        var u = [Scalar](repeating: 0, count: n * uc)
        var vt = [Scalar](repeating: 0, count: vr * m)
        var s = [Scalar](repeating: 0, count: k)
        let job = UInt8(ascii: full ? "A" : "S")
        func run(_ routine: (UInt8, Int, Int, UnsafeMutablePointer<Scalar>, Int, UnsafeMutablePointer<Scalar>,
                             UnsafeMutablePointer<Scalar>?, Int, UnsafeMutablePointer<Scalar>?, Int) -> Int32) -> Int32 {
            var a = storage   // the routines destroy their input
            return routine(job, n, m, &a, n, &s, &u, n, &vt, vr)
        }
        if algorithm == .qrIteration || run(Scalar.gesdd) != 0 {
            try check(run(Scalar.gesvd), "gesvd", Scalar.self) { "\($0) superdiagonals of the bidiagonal form did not converge to zero" }
        }
        // U of A = (Vᵀ of Aᵀ)ᵀ: LAPACK's column-major vr×m buffer read row-major is m×vr.
        return SVD(u: Matrix(rows: m, columns: vr, storage: vt), s: s,
                   vt: Matrix(rows: uc, columns: n, storage: u))
    }

    /// Singular values only, descending (`?gesdd` with no vectors). - Complexity: O(m·n·min(m, n)).
    public func singularValues() throws -> [Scalar] {
        try requireFinite("gesdd")
        let (m, n, k) = (rows, columns, Swift.min(rows, columns))
        guard k > 0 else { return [] }
        var s = [Scalar](repeating: 0, count: k)
        var dummy = [Scalar](repeating: 0, count: 1), dummy2 = [Scalar](repeating: 0, count: 1)
        var a = storage
        var info = Scalar.gesdd(job: UInt8(ascii: "N"), m: n, n: m, a: &a, lda: Swift.max(1, n), s: &s, u: &dummy, ldu: 1, vt: &dummy2, ldvt: 1)
        if info != 0 {
            a = storage
            info = Scalar.gesvd(job: UInt8(ascii: "N"), m: n, n: m, a: &a, lda: Swift.max(1, n), s: &s, u: &dummy, ldu: 1, vt: &dummy2, ldvt: 1)
            try check(info, "gesvd", Scalar.self) { "\($0) superdiagonals did not converge to zero" }
        }
        return s
    }

    /// Eigenvalues and eigenvectors of a symmetric matrix (`?syevr`). Only the lower triangle is
    /// read: the row-major buffer is the column-major transpose, whose upper triangle LAPACK reads.
    /// - Parameter top: when given, only the `top` largest eigenpairs are computed — much faster
    ///   than all of them when `top ≪ n`. They are still returned in ascending order.
    /// - Complexity: O(n³) for all pairs; O(n²·top) beyond the tridiagonal reduction for `top`.
    public func symmetricEigen(top: Int? = nil) throws -> SymmetricEigen<Scalar> {
        precondition(rows == columns, "symmetricEigen: \(shapeDescription) is not square")
        try requireFinite("syevr")
        let n = rows
        let wanted = top ?? n
        precondition(wanted >= 0 && wanted <= n, "symmetricEigen: top \(wanted) of a \(n)×\(n) matrix")
        guard wanted > 0 else { return SymmetricEigen(values: [], vectors: .zeros(n, 0)) }
        var a = storage   // symmetric: the row-major buffer is also the column-major matrix
        var w = [Scalar](repeating: 0, count: n)
        var z = [Scalar](repeating: 0, count: n * wanted)
        let info = Scalar.syevr(vectors: true, n: n, a: &a, lda: n, il: n - wanted + 1, iu: n, w: &w, z: &z, ldz: n)
        try check(info, "syevr", Scalar.self) { _ in "internal error in the relatively robust representation algorithm" }
        // z is column-major n×wanted: read row-major it is the wanted×n matrix of eigenvectors as rows.
        let vectors = Matrix(rows: wanted, columns: n, storage: z).transposed
        return SymmetricEigen(values: Array(w[0..<wanted]), vectors: vectors)
    }

    /// Householder QR (`?geqrf`, `?orgqr`).
    /// - Parameter full: `false` for thin Q (m×k) and R (k×n), `true` for square Q (m×m) and R (m×n).
    /// - Complexity: O(m·n·min(m, n)).
    public func qr(full: Bool = false) throws -> QR<Scalar> {
        try requireFinite("geqrf")
        let (m, n, k) = (rows, columns, Swift.min(rows, columns))
        let qColumns = full ? m : k
        // Column-major m × max(n, qColumns) working array holding A (our transpose is A column-major).
        let width = Swift.max(n, qColumns)
        var a = [Scalar](repeating: 0, count: Swift.max(1, m * width))
        for i in 0..<m { for j in 0..<n { a[i + j * m] = storage[i * n + j] } }
        var tau = [Scalar](repeating: 0, count: Swift.max(1, k))
        if m > 0 && n > 0 {
            try check(Scalar.geqrf(m: m, n: n, a: &a, lda: m, tau: &tau), "geqrf", Scalar.self) { _ in "unexpected failure" }
        }
        let rRows = full ? m : k
        let r = Matrix(rows: rRows, columns: n) { i, j in i <= j ? a[i + j * m] : 0 }
        if m > 0 && qColumns > 0 {
            try check(Scalar.orgqr(m: m, n: qColumns, k: k, a: &a, lda: m, tau: &tau), "orgqr", Scalar.self) { _ in "unexpected failure" }
        }
        let q = Matrix(rows: m, columns: qColumns) { i, j in a[i + j * m] }
        return QR(q: q, r: r)
    }

    /// The lower-triangular Cholesky factor L with `A = L·Lᵀ` of a symmetric positive-definite matrix
    /// (`?potrf`; only the lower triangle of A is read).
    /// - Throws: `LinearAlgebraError` naming `potrf` when A is not positive definite.
    /// - Complexity: O(n³/3).
    public func cholesky() throws -> Matrix {
        precondition(rows == columns, "cholesky: \(shapeDescription) is not square")
        try requireFinite("potrf")
        let n = rows
        var a = storage   // row-major lower = column-major upper
        if n > 0 {
            try check(Scalar.potrf(n: n, a: &a, lda: n), "potrf", Scalar.self) {
                "the leading minor of order \($0) is not positive definite"
            }
        }
        for i in 0..<n { for j in (i + 1)..<Swift.max(i + 1, n) { a[i * n + j] = 0 } }
        return Matrix(rows: n, columns: n, storage: a)
    }

    /// Solves `self · X = B` for square `self` by LU with partial pivoting (`?gesv`).
    /// - Throws: `LinearAlgebraError` naming `gesv` when `self` is exactly singular.
    /// - Complexity: O(n³ + n²·nrhs).
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(rows == columns, "solve: coefficient matrix \(shapeDescription) is not square")
        precondition(b.rows == rows, "solve: right-hand side \(b.shapeDescription) for a \(shapeDescription) system")
        try requireFinite("gesv"); try b.requireFinite("gesv")
        let n = rows
        guard n > 0 && b.columns > 0 else { return .zeros(n, b.columns) }
        var a = transposed.storage, x = b.transposed.storage
        var ipiv = [Int32](repeating: 0, count: n)
        try check(Scalar.gesv(n: n, nrhs: b.columns, a: &a, lda: n, ipiv: &ipiv, b: &x, ldb: n), "gesv", Scalar.self) {
            "U(\($0),\($0)) is exactly zero: the matrix is singular"
        }
        return Matrix(rows: b.columns, columns: n, storage: x).transposed
    }

    /// Solves `self · X = B` for symmetric positive-definite `self` by Cholesky (`?posv`), about
    /// twice as fast as `solve`. Only the lower triangle of `self` is read.
    /// - Throws: `LinearAlgebraError` naming `posv` when `self` is not positive definite.
    public func solvePositiveDefinite(_ b: Matrix) throws -> Matrix {
        precondition(rows == columns, "solvePositiveDefinite: \(shapeDescription) is not square")
        precondition(b.rows == rows, "solvePositiveDefinite: right-hand side \(b.shapeDescription) for \(shapeDescription)")
        try requireFinite("posv"); try b.requireFinite("posv")
        let n = rows
        guard n > 0 && b.columns > 0 else { return .zeros(n, b.columns) }
        var a = storage, x = b.transposed.storage
        try check(Scalar.posv(n: n, nrhs: b.columns, a: &a, lda: n, b: &x, ldb: n), "posv", Scalar.self) {
            "the leading minor of order \($0) is not positive definite"
        }
        return Matrix(rows: b.columns, columns: n, storage: x).transposed
    }

    /// The minimum-norm least-squares solution of `self · X ≈ B` by SVD (`?gelsd`), for any shape
    /// and rank. Singular values below `rcond · s_max` count as zero (default: machine epsilon ×
    /// max(m, n), as NumPy's `lstsq`).
    /// - Complexity: O(m·n·min(m, n)).
    public func leastSquares(_ b: Matrix, rcond: Scalar? = nil) throws -> LeastSquares<Scalar> {
        precondition(b.rows == rows, "leastSquares: right-hand side \(b.shapeDescription) for a \(shapeDescription) system")
        try requireFinite("gelsd"); try b.requireFinite("gelsd")
        let (m, n, nrhs) = (rows, columns, b.columns)
        let ldb = Swift.max(1, m, n)
        guard m > 0 && n > 0 else {
            // No equations or no unknowns: the minimum-norm solution is zero.
            let residuals = n == 0 ? (0..<nrhs).map { c in b.column(c).reduce(0) { $0 + $1 * $1 } } : []
            return LeastSquares(solution: .zeros(n, nrhs), residuals: m > n ? residuals : [], rank: 0, singularValues: [])
        }
        let cutoff = rcond ?? Scalar.ulpOfOne * Scalar(Swift.max(m, n))
        guard nrhs > 0 else {
            // LAPACKE rejects NRHS = 0; the rank and singular values are those gelsd would report.
            let s = try singularValues()
            return LeastSquares(solution: .zeros(n, 0), residuals: [], rank: s.filter { $0 > cutoff * s[0] }.count,
                                singularValues: s)
        }
        var a = transposed.storage   // column-major A, lda = m
        var x = [Scalar](repeating: 0, count: ldb * nrhs)
        for i in 0..<m { for c in 0..<nrhs { x[i + c * ldb] = b.storage[i * nrhs + c] } }
        var s = [Scalar](repeating: 0, count: Swift.min(m, n))
        var rank: Int32 = 0
        try check(Scalar.gelsd(m: m, n: n, nrhs: nrhs, a: &a, lda: m, b: &x, ldb: ldb, s: &s, rcond: cutoff, rank: &rank),
                  "gelsd", Scalar.self) { "the SVD failed to converge (\($0) off-diagonal elements)" }
        let solution = Matrix(rows: n, columns: nrhs) { i, c in x[i + c * ldb] }
        var residuals = [Scalar]()
        if m > n && Int(rank) == n {
            residuals = (0..<nrhs).map { c in (n..<m).reduce(Scalar(0)) { $0 + x[$1 + c * ldb] * x[$1 + c * ldb] } }
        }
        return LeastSquares(solution: solution, residuals: residuals, rank: Int(rank), singularValues: s)
    }

    /// The inverse of a square matrix by LU (`?getrf`, `?getri`). Prefer `solve` to multiplying by it.
    /// - Throws: `LinearAlgebraError` naming `getrf` when the matrix is singular.
    public func inverse() throws -> Matrix {
        precondition(rows == columns, "inverse: \(shapeDescription) is not square")
        try requireFinite("getrf")
        let n = rows
        guard n > 0 else { return self }
        // The buffer is Aᵀ column-major; inverting it yields (A⁻¹)ᵀ column-major = A⁻¹ row-major.
        var a = storage
        var ipiv = [Int32](repeating: 0, count: n)
        try check(Scalar.getrf(m: n, n: n, a: &a, lda: n, ipiv: &ipiv), "getrf", Scalar.self) {
            "U(\($0),\($0)) is exactly zero: the matrix is singular"
        }
        try check(Scalar.getri(n: n, a: &a, lda: n, ipiv: &ipiv), "getri", Scalar.self) {
            "U(\($0),\($0)) is exactly zero: the matrix is singular"
        }
        return Matrix(rows: n, columns: n, storage: a)
    }

    /// The Moore–Penrose pseudo-inverse `V · diag(1/s) · Uᵀ` from the thin SVD, treating singular
    /// values below `rcond · s_max` as zero (default: machine epsilon × max(m, n)).
    /// - Complexity: O(m·n·min(m, n)).
    public func pseudoInverse(rcond: Scalar? = nil) throws -> Matrix {
        let d = try svd()
        let cutoff = (rcond ?? Scalar.ulpOfOne * Scalar(Swift.max(rows, columns))) * (d.s.first ?? 0)
        let inverted = d.s.map { $0 > cutoff ? 1 / $0 : 0 }
        // (Vᵀ)ᵀ · diag · Uᵀ  =  gemm(diag·Vᵀ, U, transposeA, transposeB)
        return Matrix.gemm(d.vt.multiplying(column: inverted), d.u, transposeA: true, transposeB: true)
    }

    /// The sign and natural logarithm of |det A| by LU (`?getrf`), as NumPy's `slogdet`: a singular
    /// matrix gives sign 0 and log −∞. - Complexity: O(n³).
    public func logDeterminant() throws -> LogDeterminant<Scalar> {
        precondition(rows == columns, "logDeterminant: \(shapeDescription) is not square")
        try requireFinite("getrf")
        let n = rows
        guard n > 0 else { return LogDeterminant(sign: 1, logAbsDeterminant: 0) }
        var a = storage
        var ipiv = [Int32](repeating: 0, count: n)
        let info = Scalar.getrf(m: n, n: n, a: &a, lda: n, ipiv: &ipiv)
        if info > 0 { return LogDeterminant(sign: 0, logAbsDeterminant: -Scalar.infinity) }
        try check(info, "getrf", Scalar.self) { _ in "" }
        var sign: Scalar = 1, logAbs = 0.0
        for i in 0..<n {
            let d = a[i * n + i]
            if d < 0 { sign = -sign }
            if ipiv[i] != Int32(i + 1) { sign = -sign }
            logAbs += Double.log(Double(Swift.abs(d)))
        }
        return LogDeterminant(sign: sign, logAbsDeterminant: Scalar(logAbs))
    }

    /// Throws a `LinearAlgebraError` naming `routine` when an element is NaN or infinite (LAPACK's
    /// results would be meaningless and some routines never return on NaN input).
    @usableFromInline
    func requireFinite(_ routine: String) throws {
        if let bad = storage.firstIndex(where: { !$0.isFinite }) {
            throw LinearAlgebraError(routine: Scalar.routinePrefix + routine, info: 0,
                                     reason: "input element (\(bad / Swift.max(1, columns)), \(bad % Swift.max(1, columns))) of a \(shapeDescription) matrix is \(storage[bad])")
        }
    }
}

import RealModule
