import Testing
import LatentCore
import RealModule
import LatentTestSupport

@Test func gemmSmoke() {
    let a = Matrix<Double>([[1, 2], [3, 4]])
    #expect((a * a).storage == [7, 10, 15, 22])
}

@Test func decompositionSmoke() throws {
    for (m, n) in [(7, 4), (4, 7), (5, 5)] {
        let a = Matrix<Double>.randomNormal(m, n, seed: 1)
        let d = try a.svd()
        let back = d.u.multiplying(row: d.s) * d.vt
        #expect(maxAbsDifference(back, a) < 1e-12)
        let f = try a.svd(full: true)
        #expect(f.u.rows == m && f.u.columns == m && f.vt.rows == n)
        #expect(maxAbsDifference(Matrix.gemm(f.u, f.u, transposeA: true), .identity(m)) < 1e-12)
        let q = try a.qr()
        #expect(maxAbsDifference(q.q * q.r, a) < 1e-12)
        let qf = try a.qr(full: true)
        #expect(maxAbsDifference(qf.q * qf.r, a) < 1e-12)
        let ls = try a.leastSquares(Matrix.randomNormal(m, 2, seed: 3))
        #expect(ls.solution.rows == n)
        let p = try a.pseudoInverse()
        #expect(maxAbsDifference(a * p * a, a) < 1e-12)
    }
    let x = Matrix<Double>.randomNormal(10, 4, seed: 2)
    let c = x.gram()
    let e = try c.symmetricEigen()
    let back = e.vectors.multiplying(row: e.values) * e.vectors.transposed
    #expect(maxAbsDifference(back, c) < 1e-10)
    let top = try c.symmetricEigen(top: 2)
    #expect(maxAbsDifference(top.values, Array(e.values[2...])) < 1e-10)
    let l = try c.cholesky()
    #expect(maxAbsDifference(l * l.transposed, c) < 1e-10)
    let b = Matrix<Double>.randomNormal(4, 3, seed: 5)
    #expect(maxAbsDifference(c * (try c.solve(b)), b) < 1e-10)
    #expect(maxAbsDifference(c * (try c.solvePositiveDefinite(b)), b) < 1e-10)
    #expect(maxAbsDifference(c * (try c.inverse()), .identity(4)) < 1e-10)
    let ld = try c.logDeterminant()
    #expect(abs(ld.logAbsDeterminant - e.values.map { Double.log($0) }.reduce(0, +)) < 1e-10)
}
