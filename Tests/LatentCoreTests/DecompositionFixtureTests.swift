import Testing
import LatentCore
import LatentTestSupport

/// Decompositions against NumPy's answers, written by `scripts/fixtures/linalg.py` into
/// `Tests/Fixtures/linalg/`. Each check runs in `Double` (tight) and `Float` (loose).
@Suite("Decompositions against NumPy fixtures")
struct DecompositionFixtureTests {
    /// Loads a fixture in precision `S`.
    func load<S: BLASScalar>(_ name: String, _: S.Type) throws -> Matrix<S> {
        try Fixtures.matrix("linalg/" + name, as: S.self)
    }

    @Test("singular values and pseudo-inverse", arguments: ["square", "tall", "wide", "rankdef"])
    func singularValues(name: String) throws {
        try checkSVD(Float.self, name)
        try checkSVD(Double.self, name)
    }

    func checkSVD<S: BLASScalar>(_: S.Type, _ name: String) throws {
        let a = try load("svd_\(name)_a", S.self)
        let expected = try load("svd_\(name)_s", S.self).storage
        let tol = tolerance(S.self) * Double(expected[0])
        #expect(maxAbsDifference(try a.singularValues(), expected) < tol)
        #expect(maxAbsDifference(try a.svd().s, expected) < tol)
        #expect(maxAbsDifference(try a.svd(algorithm: .qrIteration).s, expected) < tol)
        // A rank-deficient pseudo-inverse depends on the cutoff; the fixture used Latent's default
        // in Double. In Float the rounding-level singular values need a cutoff above Float's ε.
        let rcond: S? = S.self == Float.self && name == "rankdef" ? 1e-4 : nil
        #expect(scaledError(try a.pseudoInverse(rcond: rcond), try load("pinv_\(name)", S.self)) < tolerance(S.self, 1000))
    }

    @Test("solve, solvePositiveDefinite and cholesky")
    func solve() throws {
        try checkSolve(Float.self)
        try checkSolve(Double.self)
    }

    func checkSolve<S: BLASScalar>(_: S.Type) throws {
        let tol = tolerance(S.self)
        let b = try load("solve_b", S.self)
        #expect(scaledError(try load("solve_a", S.self).solve(b), try load("solve_x", S.self)) < tol)
        let spd = try load("spd_a", S.self)
        #expect(scaledError(try spd.solvePositiveDefinite(b), try load("spd_x", S.self)) < tol)
        #expect(scaledError(try spd.cholesky(), try load("cholesky_l", S.self)) < tol)
    }

    @Test("leastSquares: solution, rank, residuals and singular values as np.linalg.lstsq")
    func leastSquares() throws {
        try checkLeastSquares(Float.self)
        try checkLeastSquares(Double.self)
    }

    func checkLeastSquares<S: BLASScalar>(_: S.Type) throws {
        let tol = tolerance(S.self)
        let ls = try load("lstsq_a", S.self).leastSquares(try load("lstsq_b", S.self))
        #expect(scaledError(ls.solution, try load("lstsq_x", S.self)) < tol)
        #expect(ls.rank == Int(try load("lstsq_rank", Double.self).storage[0]))
        let residuals = try load("lstsq_residuals", S.self).storage
        #expect(maxAbsDifference(ls.residuals, residuals) < tol * Double(residuals.max()!))
        #expect(maxAbsDifference(ls.singularValues, try load("lstsq_s", S.self).storage) < tol * 10)

        let deficient = try load("lstsq_rankdef_a", S.self).leastSquares(try load("lstsq_rankdef_b", S.self))
        #expect(deficient.rank == Int(try load("lstsq_rankdef_rank", Double.self).storage[0]))
        #expect(deficient.residuals.isEmpty)
        #expect(scaledError(deficient.solution, try load("lstsq_rankdef_x", S.self)) < tolerance(S.self, 1000))
    }

    @Test("logDeterminant as np.linalg.slogdet, also where det itself overflows")
    func logDeterminant() throws {
        for (input, expected) in [("slogdet_a", "slogdet"), ("slogdet_big_a", "slogdet_big")] {
            let reference = try load(expected, Double.self).storage
            for result in [try load(input, Double.self).logDeterminant(),
                           try converted(load(input, Float.self).logDeterminant())] {
                #expect(result.sign == reference[0])
                #expect(abs(result.logAbsDeterminant - reference[1]) < 1e-5 * Swift.max(1, abs(reference[1])))
            }
        }
        let big = try load("slogdet_big_a", Double.self).logDeterminant()
        #expect(big.determinant == .infinity)   // e^828 overflows; the logarithm does not
    }

    /// A Float log-determinant widened to Double for comparison.
    func converted(_ d: LogDeterminant<Float>) -> LogDeterminant<Double> {
        LogDeterminant(sign: Double(d.sign), logAbsDeterminant: Double(d.logAbsDeterminant))
    }

    @Test("symmetricEigen values as np.linalg.eigvalsh")
    func eigenvalues() throws {
        try checkEigenvalues(Float.self)
        try checkEigenvalues(Double.self)
    }

    func checkEigenvalues<S: BLASScalar>(_: S.Type) throws {
        let values = try load("eigh_a", S.self).symmetricEigen().values
        #expect(maxAbsDifference(values, try load("eigh_values", S.self).storage) < tolerance(S.self, 10) * 4)
    }
}
