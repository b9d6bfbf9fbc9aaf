import Testing
import LatentCore
import LatentTestSupport

/// Centring, covariance and standardisation against hand values and NumPy.
@Suite("Statistics")
struct StatisticsTests {
    @Test("centered returns the centred data and the column means")
    func centered() {
        let (c, mean) = Matrix<Double>([[1, 10], [3, 30]]).centered()
        #expect(mean == [2, 20] && c == Matrix([[-1, -10], [1, 10]]))
    }

    @Test("covariance by hand: ddof 1 and 0")
    func covarianceByHand() {
        let x = Matrix<Double>([[1, 2], [3, 6], [5, 10]])   // second column = 2 × first
        #expect(x.covariance() == Matrix([[4, 8], [8, 16]]))
        #expect(maxAbsDifference(x.covariance(ddof: 0), Matrix([[8.0 / 3, 16.0 / 3], [16.0 / 3, 32.0 / 3]])) < 1e-14)
    }

    @Test("covariance and standardized against np.cov and NumPy's (x − mean) / std", arguments: [false, true])
    func fixtures(single: Bool) throws {
        if single { try check(Float.self) } else { try check(Double.self) }
    }

    func check<S: BLASScalar>(_: S.Type) throws {
        let x: Matrix<S> = try Fixtures.matrix("linalg/stats_x", as: S.self)
        let tol = tolerance(S.self)
        #expect(scaledError(x.covariance(), try Fixtures.matrix("linalg/stats_cov", as: S.self)) < tol)
        #expect(scaledError(x.covariance(ddof: 0), try Fixtures.matrix("linalg/stats_cov_ddof0", as: S.self)) < tol)
        let (z, mean, scale) = x.standardized()
        #expect(scaledError(z, try Fixtures.matrix("linalg/stats_standardized", as: S.self)) < tol)
        #expect(maxAbsDifference(z.mean(over: .rows), [S](repeating: 0, count: 4)) < tol)
        #expect(maxAbsDifference(z.standardDeviation(over: .rows), [S](repeating: 1, count: 4)) < tol)
        // The returned mean and scale transform new data alike.
        #expect(scaledError(x.subtracting(row: mean).dividing(row: scale), z) == 0)
    }

    @Test("standardized leaves constant columns centred and unscaled")
    func constantColumn() {
        let (z, mean, scale) = Matrix<Double>([[1, 5], [3, 5]]).standardized()
        #expect(mean == [2, 5] && scale == [1, 1])
        #expect(z == Matrix([[-1, 0], [1, 0]]))
    }
}
