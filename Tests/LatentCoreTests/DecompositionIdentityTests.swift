import Testing
import LatentCore
import LatentTestSupport

/// Algebraic identities of every decomposition, for `Float` and `Double`, on square, tall, wide
/// and rank-deficient inputs. Tolerances are multiples of the type's ε.
@Suite("Decomposition identities")
struct DecompositionIdentityTests {
    @Test("SVD: U·diag(s)·Vᵀ = A, orthonormal factors, descending s", arguments: Shape.allCases, SVDAlgorithm.allCases)
    func svd(shape: Shape, algorithm: SVDAlgorithm) throws {
        try checkSVD(Float.self, shape, algorithm)
        try checkSVD(Double.self, shape, algorithm)
    }

    func checkSVD<S: BLASScalar>(_: S.Type, _ shape: Shape, _ algorithm: SVDAlgorithm) throws {
        let a = shape.matrix(S.self)
        let (m, n, k) = (a.rows, a.columns, Swift.min(a.rows, a.columns))
        let tol = tolerance(S.self)

        let thin = try a.svd(algorithm: algorithm)
        #expect(thin.u.shape == (m, k) && thin.vt.shape == (k, n) && thin.s.count == k)
        #expect(scaledError(thin.u.multiplying(row: thin.s) * thin.vt, a) < tol)
        #expect(scaledError(crossProduct(thin.u), .identity(k)) < tol)                    // UᵀU = I
        #expect(scaledError(Matrix.gemm(thin.vt, thin.vt, transposeB: true), .identity(k)) < tol)  // VᵀV = I
        #expect(zip(thin.s, thin.s.dropFirst()).allSatisfy { $0 >= $1 } && thin.s.last! >= 0)
        // The rank shows in the singular values.
        let numericalRank = thin.s.filter { $0 > thin.s[0] * S(tol) }.count
        #expect(numericalRank == shape.rank)

        let full = try a.svd(full: true, algorithm: algorithm)
        #expect(full.u.shape == (m, m) && full.vt.shape == (n, n))
        #expect(scaledError(crossProduct(full.u), .identity(m)) < tol)                    // UᵀU = I
        #expect(scaledError(Matrix.gemm(full.u, full.u, transposeB: true), .identity(m)) < tol)
        #expect(scaledError(Matrix.gemm(full.vt, full.vt, transposeA: true), .identity(n)) < tol)   // V·Vᵀ = I
        let sigma = Matrix<S>(rows: m, columns: n) { i, j in i == j ? full.s[i] : 0 }
        #expect(scaledError(full.u * sigma * full.vt, a) < tol)
        #expect(maxAbsDifference(full.s, thin.s) < tol * Double(thin.s[0]))

        let values = try a.singularValues()
        #expect(maxAbsDifference(values, thin.s) < tol * Double(thin.s[0]))
    }

    @Test("QR: Q·R = A, QᵀQ = I, R upper triangular", arguments: Shape.allCases)
    func qr(shape: Shape) throws {
        try checkQR(Float.self, shape)
        try checkQR(Double.self, shape)
    }

    func checkQR<S: BLASScalar>(_: S.Type, _ shape: Shape) throws {
        let a = shape.matrix(S.self)
        let (m, n, k) = (a.rows, a.columns, Swift.min(a.rows, a.columns))
        let tol = tolerance(S.self)
        for full in [false, true] {
            let d = try a.qr(full: full)
            let qColumns = full ? m : k
            #expect(d.q.shape == (m, qColumns) && d.r.shape == (qColumns, n))
            #expect(scaledError(d.q * d.r, a) < tol)
            #expect(scaledError(crossProduct(d.q), .identity(qColumns)) < tol)
            #expect(isUpperTriangular(d.r))
        }
    }

    @Test("Cholesky: L·Lᵀ = A with L lower triangular; solvePositiveDefinite residual", arguments: [1, 5, 12])
    func cholesky(n: Int) throws {
        try checkCholesky(Float.self, n)
        try checkCholesky(Double.self, n)
    }

    func checkCholesky<S: BLASScalar>(_: S.Type, _ n: Int) throws {
        let g = Matrix<S>.randomNormal(n + 3, n, seed: UInt64(n))
        let a = g.gram() + Matrix.identity(n)
        let tol = tolerance(S.self)
        let l = try a.cholesky()
        #expect(isLowerTriangular(l))
        #expect(l.diagonal.allSatisfy { $0 > 0 })
        #expect(scaledError(Matrix.gemm(l, l, transposeB: true), a) < tol)
        let b = Matrix<S>.randomNormal(n, 3, seed: 99)
        let x = try a.solvePositiveDefinite(b)
        #expect(scaledError(a * x, b) < tol)
        // Only the lower triangle is read: garbage above the diagonal changes nothing.
        var garbled = a
        for i in 0..<n { for j in (i + 1)..<Swift.max(i + 1, n) { garbled[i, j] = 1e3 } }
        #expect(try garbled.cholesky() == l)
        #expect(try garbled.solvePositiveDefinite(b) == x)
    }

    @Test("Symmetric eigen: A·v = λv, orthonormal vectors, ascending values, top-k")
    func symmetricEigen() throws {
        try checkEigen(Float.self)
        try checkEigen(Double.self)
    }

    func checkEigen<S: BLASScalar>(_: S.Type) throws {
        let g = Matrix<S>.randomNormal(8, 8, seed: 3)
        let a = (g + g.transposed) / 2   // symmetric, indefinite
        let tol = tolerance(S.self)
        let e = try a.symmetricEigen()
        #expect(e.values.count == 8 && e.vectors.shape == (8, 8))
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(scaledError(a * e.vectors, e.vectors.multiplying(row: e.values)) < tol)   // A·V = V·Λ
        #expect(scaledError(crossProduct(e.vectors), .identity(8)) < tol)
        #expect(scaledError(e.vectors.multiplying(row: e.values) * e.vectors.transposed, a) < tol)

        let top = try a.symmetricEigen(top: 3)
        #expect(top.vectors.shape == (8, 3))
        #expect(maxAbsDifference(top.values, Array(e.values[5...])) < tol * 10)
        #expect(scaledError(a * top.vectors, top.vectors.multiplying(row: top.values)) < tol)
        // Same eigenvectors up to sign.
        for j in 0..<3 {
            let overlap = zip(top.vectors.column(j), e.vectors.column(5 + j)).reduce(S(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(Double(overlap)) - 1) < tol * 10)
        }
        #expect(try a.symmetricEigen(top: 0).vectors.shape == (8, 0))

        // Only the lower triangle is read.
        var garbled = a
        for i in 0..<8 { for j in (i + 1)..<8 { garbled[i, j] = 42 } }
        #expect(try garbled.symmetricEigen().values == e.values)
    }

    @Test("solve and inverse: A·X = B, A·A⁻¹ = I")
    func solveAndInverse() throws {
        try checkSolve(Float.self)
        try checkSolve(Double.self)
    }

    func checkSolve<S: BLASScalar>(_: S.Type) throws {
        let a = Matrix<S>.randomNormal(7, 7, seed: 11) + Matrix.identity(7) * 3
        let b = Matrix<S>.randomNormal(7, 4, seed: 12)
        let tol = tolerance(S.self)
        let x = try a.solve(b)
        #expect(x.shape == (7, 4))
        #expect(scaledError(a * x, b) < tol)
        let inverse = try a.inverse()
        #expect(scaledError(a * inverse, .identity(7)) < tol)
        #expect(scaledError(inverse * a, .identity(7)) < tol)
        #expect(scaledError(inverse * b, x) < tol * 10)
    }

    @Test("leastSquares: normal equations (tall), exact min-norm (wide), pinv (rank-deficient)", arguments: Shape.allCases)
    func leastSquares(shape: Shape) throws {
        try checkLeastSquares(Float.self, shape)
        try checkLeastSquares(Double.self, shape)
    }

    func checkLeastSquares<S: BLASScalar>(_: S.Type, _ shape: Shape) throws {
        let a = shape.matrix(S.self)
        let b = Matrix<S>.randomNormal(a.rows, 2, seed: 5)
        let tol = tolerance(S.self, 1000)   // least squares amplifies errors by cond(A)
        let ls = try a.leastSquares(b)
        #expect(ls.solution.shape == (a.columns, 2))
        #expect(ls.rank == shape.rank)
        #expect(ls.singularValues.count == Swift.min(a.rows, a.columns))
        let residual = a * ls.solution - b
        switch shape {
        case .tall:
            // Full column rank: the normal equations AᵀA·x = Aᵀb, and the reported residuals.
            let normal = try a.gram().solvePositiveDefinite(Matrix.gemm(a, b, transposeA: true))
            #expect(scaledError(ls.solution, normal) < tol)
            let squares = residual.norms(over: .rows).map { $0 * $0 }
            #expect(maxAbsDifference(ls.residuals, squares) < tol * Double(b.frobeniusNorm()))
        case .square, .wide:
            #expect(scaledError(a * ls.solution, b) < tol)   // consistent system: solved exactly
            #expect(ls.residuals.isEmpty)
        case .rankDeficient:
            // The minimum-norm solution is A⁺b; the residual is orthogonal to the columns of A.
            #expect(scaledError(ls.solution, try a.pseudoInverse() * b) < tol)
            #expect(ls.residuals.isEmpty)
            #expect(scaledError(Matrix.gemm(a, residual, transposeA: true), .zeros(a.columns, 2)) < tol * Double(a.frobeniusNorm()))
        }
    }

    @Test("leastSquares with no right-hand sides still reports rank and singular values")
    func leastSquaresWithoutRightHandSides() throws {
        let a = Shape.tall.matrix(Double.self)
        let ls = try a.leastSquares(.zeros(a.rows, 0))
        #expect(ls.solution.shape == (a.columns, 0) && ls.residuals.isEmpty)
        let values = try a.singularValues()
        #expect(ls.rank == 4 && maxAbsDifference(ls.singularValues, values) < tolerance(Double.self))
    }

    @Test("pseudoInverse: the four Penrose conditions", arguments: Shape.allCases)
    func penrose(shape: Shape) throws {
        try checkPenrose(Float.self, shape)
        try checkPenrose(Double.self, shape)
    }

    func checkPenrose<S: BLASScalar>(_: S.Type, _ shape: Shape) throws {
        let a = shape.matrix(S.self)
        let p = try a.pseudoInverse()
        let tol = tolerance(S.self, 1000)
        #expect(p.shape == (a.columns, a.rows))
        let ap = a * p, pa = p * a
        #expect(scaledError(ap * a, a) < tol)            // A A⁺ A = A
        #expect(scaledError(pa * p, p) < tol)            // A⁺ A A⁺ = A⁺
        #expect(scaledError(ap.transposed, ap) < tol)    // (A A⁺)ᵀ = A A⁺
        #expect(scaledError(pa.transposed, pa) < tol)    // (A⁺ A)ᵀ = A⁺ A
    }

    @Test("logDeterminant: sign and log|det| from known determinants")
    func logDeterminant() throws {
        try checkLogDeterminant(Float.self)
        try checkLogDeterminant(Double.self)
    }

    func checkLogDeterminant<S: BLASScalar>(_: S.Type) throws {
        let tol = tolerance(S.self)
        // det [[0, 2], [3, 0]] = −6 (one row swap), det diag(2, 3, 4) = 24.
        let swapped = try Matrix<S>([[0, 2], [3, 0]]).logDeterminant()
        #expect(swapped.sign == -1 && abs(Double(swapped.logAbsDeterminant) - Double.log(6)) < tol)
        #expect(abs(Double(swapped.determinant) + 6) < tol * 6)
        let d = try Matrix<S>.diagonal([2, 3, 4]).logDeterminant()
        #expect(d.sign == 1 && abs(Double(d.logAbsDeterminant) - Double.log(24)) < tol)
        // |det| = Π sᵢ.
        let a = Matrix<S>.randomNormal(6, 6, seed: 4)
        let logProduct = try a.singularValues().reduce(0.0) { $0 + Double.log(Double($1)) }
        #expect(abs(Double(try a.logDeterminant().logAbsDeterminant) - logProduct) < tol * 10)
        let singular = try Matrix<S>([[1, 2], [2, 4]]).logDeterminant()
        #expect(singular.sign == 0 && singular.logAbsDeterminant == -S.infinity && singular.determinant == 0)
    }

    @Test("Empty matrices: every decomposition returns consistent empty shapes", arguments: [(0, 0), (0, 3), (3, 0)])
    func empty(rows: Int, columns: Int) throws {
        let a = Matrix<Double>.zeros(rows, columns)
        let thin = try a.svd()
        #expect(thin.u.shape == (rows, 0) && thin.s.isEmpty && thin.vt.shape == (0, columns))
        let full = try a.svd(full: true)
        #expect(full.u == .identity(rows) && full.vt == .identity(columns))
        #expect(try a.singularValues().isEmpty)
        #expect(try a.pseudoInverse() == .zeros(columns, rows))
        let q = try a.qr()
        #expect(q.q.shape == (rows, 0) && q.r.shape == (0, columns))
        let qf = try a.qr(full: true)
        #expect(qf.q == .identity(rows) && qf.r.shape == (rows, columns))
        let ls = try a.leastSquares(.ones(rows, 2))
        #expect(ls.solution == .zeros(columns, 2) && ls.rank == 0)
        #expect(ls.residuals == (rows > columns ? [Double(rows), Double(rows)] : []))
        if rows == columns {
            #expect(try a.cholesky().shape == (0, 0))
            #expect(try a.inverse().shape == (0, 0))
            #expect(try a.solve(.zeros(0, 2)).shape == (0, 2))
            #expect(try a.symmetricEigen().values.isEmpty)
            #expect(try a.logDeterminant() == LogDeterminant(sign: 1, logAbsDeterminant: 0))
        }
    }
}
