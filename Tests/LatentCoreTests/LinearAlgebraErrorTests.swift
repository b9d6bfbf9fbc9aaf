import Testing
import LatentCore
import LatentTestSupport

/// Failures are thrown as `LinearAlgebraError` naming the precision-prefixed routine and `info`.
@Suite("LinearAlgebraError paths")
struct LinearAlgebraErrorTests {
    @Test("cholesky of an indefinite matrix names ?potrf and the failing minor")
    func choleskyNotPositiveDefinite() {
        let a = Matrix<Double>([[1, 2], [2, 1]])   // eigenvalues 3 and −1
        let error = #expect(throws: LinearAlgebraError.self) { try a.cholesky() }
        #expect(error?.routine == "dpotrf")
        #expect(error?.info == 2)
        #expect(error?.description == "LAPACK dpotrf failed with info = 2: the leading minor of order 2 is not positive definite")

        let f = #expect(throws: LinearAlgebraError.self) { try Matrix<Float>([[-1]]).cholesky() }
        #expect(f?.routine == "spotrf" && f?.info == 1)
        let posv = #expect(throws: LinearAlgebraError.self) { try a.solvePositiveDefinite(.ones(2, 1)) }
        #expect(posv?.routine == "dposv" && posv?.info == 2)
    }

    @Test("solve and inverse of a singular matrix name ?gesv / ?getrf")
    func singular() {
        let a = Matrix<Double>([[1, 2], [2, 4]])
        let solve = #expect(throws: LinearAlgebraError.self) { try a.solve(.ones(2, 1)) }
        #expect(solve?.routine == "dgesv" && solve?.info == 2)
        #expect(solve?.reason.contains("singular") == true)
        let inverse = #expect(throws: LinearAlgebraError.self) { try Matrix<Float>([[1, 2], [2, 4]]).inverse() }
        #expect(inverse?.routine == "sgetrf" && inverse?.info == 2)
    }

    @Test("NaN or infinite input is refused before LAPACK runs, naming the element")
    func nonFinite() {
        var a = Matrix<Double>.identity(3)
        a[1, 2] = .nan
        let svd = #expect(throws: LinearAlgebraError.self) { try a.svd() }
        #expect(svd?.routine == "dgesdd" && svd?.info == 0)
        #expect(svd?.description == "LAPACK dgesdd not called: input element (1, 2) of a 3×3 matrix is nan")
        #expect(throws: LinearAlgebraError.self) { try a.symmetricEigen() }
        #expect(throws: LinearAlgebraError.self) { try a.qr() }
        #expect(throws: LinearAlgebraError.self) { try a.cholesky() }
        #expect(throws: LinearAlgebraError.self) { try a.inverse() }
        #expect(throws: LinearAlgebraError.self) { try a.logDeterminant() }
        #expect(throws: LinearAlgebraError.self) { try a.pseudoInverse() }
        let rhs = #expect(throws: LinearAlgebraError.self) {
            try Matrix<Float>.identity(2).leastSquares(Matrix([[1], [.infinity]]))
        }
        #expect(rhs?.routine == "sgelsd" && rhs?.reason.contains("inf") == true)
        let qr = #expect(throws: LinearAlgebraError.self) { try Matrix<Float>([[.nan]]).svd(algorithm: .qrIteration) }
        #expect(qr?.routine == "sgesvd")
    }
}
