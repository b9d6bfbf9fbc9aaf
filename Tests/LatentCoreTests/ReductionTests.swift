import Testing
import LatentCore
import LatentTestSupport

/// Sums, means, variances, extrema, arg-extrema, norms and dot products, whole and per axis.
@Suite("Reductions")
struct ReductionTests {
    // Column means 2.5, 3.5, 4.5; row means 2, 5.
    let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])

    @Test("sum and mean, whole and per axis")
    func sumsAndMeans() {
        #expect(a.sum() == 21)
        #expect(a.sum(over: .rows) == [5, 7, 9])
        #expect(a.sum(over: .columns) == [6, 15])
        #expect(a.mean() == 3.5)
        #expect(a.mean(over: .rows) == [2.5, 3.5, 4.5])
        #expect(a.mean(over: .columns) == [2, 5])
        #expect(Matrix<Double>.zeros(0, 3).sum() == 0)
        #expect(Matrix<Double>.zeros(0, 3).sum(over: .rows) == [0, 0, 0])
        #expect(Matrix<Double>.zeros(0, 3).sum(over: .columns) == [])
    }

    @Test("variance and standard deviation with ddof")
    func variances() {
        #expect(a.variance() == 35.0 / 12)                  // NumPy: np.var(a)
        #expect(a.variance(ddof: 1) == 3.5)                 // 17.5 / 5
        #expect(a.variance(over: .rows) == [2.25, 2.25, 2.25])
        #expect(a.variance(over: .rows, ddof: 1) == [4.5, 4.5, 4.5])
        #expect(a.variance(over: .columns) == [2.0 / 3, 2.0 / 3])
        #expect(a.variance(over: .columns, ddof: 1) == [1, 1])
        #expect(a.standardDeviation(over: .rows) == [1.5, 1.5, 1.5])
        #expect(a.standardDeviation(ddof: 1) == Double(3.5).squareRoot())
        #expect(a.standardDeviation(over: .columns, ddof: 1) == [1, 1])
    }

    @Test("variance per axis against NumPy", arguments: [false, true])
    func varianceFixture(single: Bool) throws {
        if single { try checkVarianceFixture(Float.self) } else { try checkVarianceFixture(Double.self) }
    }

    func checkVarianceFixture<S: BLASScalar>(_: S.Type) throws {
        let x: Matrix<S> = try Fixtures.matrix("linalg/stats_x", as: S.self)
        let tol = tolerance(S.self, 10) * 10
        #expect(maxAbsDifference(x.variance(over: .rows, ddof: 1), try Fixtures.vector("linalg/stats_var_ddof1_rows", as: S.self)) < tol)
        #expect(maxAbsDifference(x.standardDeviation(over: .columns), try Fixtures.vector("linalg/stats_std_columns", as: S.self)) < tol)
    }

    @Test("Float sums accumulate in Double")
    func floatAccumulation() {
        // Float spacing at 1e8 is 8: a Float accumulator would lose every one of the 16 ones.
        let values = [Float(1e8)] + [Float](repeating: 1, count: 16) + [Float(-1e8)]
        #expect(Matrix(rows: 1, columns: values.count, storage: values).sum() == 16)
        let constant = Matrix<Float>.filled(1000, 1, with: 0.1)
        #expect(constant.variance() < 1e-12 && abs(constant.mean() - 0.1) < 1e-8)
    }

    @Test("min, max, argmin, argmax with first-on-ties")
    func extrema() {
        let m = Matrix<Double>([[3, 9, 9], [-1, 0, 7], [5, 9, -1]])
        #expect(m.min() == -1 && m.max() == 9)
        #expect(m.argmax() == 1 && m.argmin() == 3)
        #expect(m.max(over: .rows) == [5, 9, 9] && m.argmax(over: .rows) == [2, 0, 0])
        #expect(m.min(over: .rows) == [-1, 0, -1] && m.argmin(over: .rows) == [1, 1, 2])
        #expect(m.max(over: .columns) == [9, 7, 9] && m.argmax(over: .columns) == [1, 2, 1])
        #expect(m.min(over: .columns) == [3, -1, -1] && m.argmin(over: .columns) == [0, 0, 2])
        let single = Matrix<Float>([[4]])
        #expect(single.argmax() == 0 && single.max(over: .columns) == [4] && single.argmin(over: .rows) == [0])
        #expect(Matrix<Float>.zeros(3, 0).max(over: .rows) == [])
    }

    @Test("Frobenius norm, row/column norms and the Frobenius inner product")
    func norms() {
        let m = Matrix<Double>([[3, 4], [0, 0], [6, 8]])
        #expect(abs(m.frobeniusNorm() - Double(125).squareRoot()) < 1e-14)
        #expect(maxAbsDifference(m.norms(over: .columns), [5, 0, 10]) < 1e-14)
        #expect(maxAbsDifference(m.norms(over: .rows), [Double(45).squareRoot(), Double(80).squareRoot()]) < 1e-14)
        #expect(m.dot(.ones(3, 2)) == 21)
        #expect(a.dot(a) == 91)
        #expect(Matrix<Float>.zeros(0, 2).frobeniusNorm() == 0 && Matrix<Float>.zeros(0, 2).dot(.zeros(0, 2)) == 0)
        #expect(Matrix<Float>.zeros(2, 0).norms(over: .columns) == [0, 0])
        // nrm2 does not overflow where the naive sum of squares would.
        #expect(abs(Matrix<Float>.filled(2, 2, with: 1e30).frobeniusNorm() / 2e30 - 1) < 1e-6)
        #expect(a.isFinite && !Matrix<Double>([[1, .nan]]).isFinite)
    }
}
