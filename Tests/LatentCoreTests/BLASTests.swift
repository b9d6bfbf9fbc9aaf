import Testing
import LatentCore
import LatentTestSupport

/// Products through BLAS: gemm with every flag, alpha, beta and output buffer; gemv; axpy; syrk.
@Suite("BLAS products")
struct BLASTests {
    let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])          // 2×3
    let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])     // 3×2

    /// The textbook triple loop, as the reference for GEMM.
    func naiveProduct<S: BLASScalar>(_ x: Matrix<S>, _ y: Matrix<S>) -> Matrix<S> {
        Matrix(rows: x.rows, columns: y.columns) { i, j in
            (0..<x.columns).reduce(S(0)) { $0 + x[i, $1] * y[$1, j] }
        }
    }

    @Test("gemm: hand-computed product, operator and matmul")
    func product() {
        let expected = Matrix<Double>([[58, 64], [139, 154]])
        #expect(a * b == expected)
        #expect(Matrix.gemm(a, b) == expected)
        #expect(a.matmul(b) == expected)
        #expect(a.matmul(a, transposeB: true) == Matrix([[14, 32], [32, 77]]))
        #expect(Matrix.gemm(a, b, alpha: -0.5) == expected * -0.5)
    }

    @Test("gemm: all four transpose combinations match the triple loop", arguments: [false, true], [false, true])
    func transposeFlags(transposeA: Bool, transposeB: Bool) {
        check(Float.self, transposeA, transposeB)
        check(Double.self, transposeA, transposeB)
    }

    func check<S: BLASScalar>(_: S.Type, _ transposeA: Bool, _ transposeB: Bool) {
        let (m, k, n) = (5, 7, 3)
        let x = Matrix<S>.randomNormal(transposeA ? k : m, transposeA ? m : k, seed: 1)
        let y = Matrix<S>.randomNormal(transposeB ? n : k, transposeB ? k : n, seed: 2)
        let reference = naiveProduct(transposeA ? x.transposed : x, transposeB ? y.transposed : y)
        let c = Matrix.gemm(x, y, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == (m, n))
        #expect(scaledError(c, reference) < tolerance(S.self, 10))
    }

    @Test("gemm into an output buffer with alpha and beta")
    func accumulate() {
        var c = Matrix<Double>.ones(2, 2)
        Matrix.gemm(a, b, into: &c, alpha: 2, beta: 3)
        #expect(c == Matrix([[119, 131], [281, 311]]))
        // beta = 0 ignores what was there, even NaN (BLAS contract).
        var dirty = Matrix<Double>.filled(2, 2, with: .nan)
        Matrix.gemm(a, b, into: &dirty)
        #expect(dirty == Matrix([[58, 64], [139, 154]]))
        // Transposed operands into a buffer: bᵀ·aᵀ = (a·b)ᵀ.
        var t = Matrix<Double>.zeros(2, 2)
        Matrix.gemm(b, a, into: &t, transposeA: true, transposeB: true)
        #expect(t == Matrix([[58, 139], [64, 154]]))
    }

    @Test("gemm with empty dimensions")
    func emptyProducts() {
        #expect(Matrix.gemm(Matrix<Double>.zeros(3, 0), .zeros(0, 4)) == .zeros(3, 4))
        #expect(Matrix.gemm(Matrix<Double>.zeros(0, 5), .ones(5, 4)).shape == (0, 4))
        var c = Matrix<Double>.filled(2, 2, with: 2)
        Matrix.gemm(.zeros(2, 0), .zeros(0, 2), into: &c, beta: 3)
        #expect(c == .filled(2, 2, with: 6))   // k = 0: only beta·C remains
        Matrix.gemm(.zeros(2, 0), .zeros(0, 2), into: &c, beta: 0)
        #expect(c == .zeros(2, 2))
    }

    @Test("gemv with and without transpose, alpha, beta and output buffer")
    func gemv() {
        #expect(a.gemv([1, 1, 1]) == [6, 15])
        #expect(a.gemv([1, 2], transpose: true) == [9, 12, 15])
        #expect(a.gemv([1, 0, 0], alpha: 2) == [2, 8])
        var y: [Double] = [1, 1]
        a.gemv([1, 1, 1], into: &y, alpha: 1, beta: 10)
        #expect(y == [16, 25])
        var empty: [Double] = [5, 5]
        Matrix<Double>.zeros(2, 0).gemv([], into: &empty, beta: 2)
        #expect(empty == [10, 10])
        #expect(Matrix<Float>.zeros(0, 3).gemv([], transpose: true) == [0, 0, 0])
    }

    @Test("axpy and += / -= use BLAS and agree with elementwise arithmetic")
    func axpy() {
        var y = Matrix<Double>.ones(2, 3)
        y.axpy(2, a)
        #expect(y == Matrix([[3, 5, 7], [9, 11, 13]]))
        y += a
        #expect(y == Matrix([[4, 7, 10], [13, 16, 19]]))
        y -= a * 4
        #expect(y == Matrix([[0, -1, -2], [-3, -4, -5]]))
        var empty = Matrix<Float>.zeros(0, 3)
        empty.axpy(1, .zeros(0, 3))
        #expect(empty.shape == (0, 3))
    }

    @Test("gram (syrk): AᵀA and AAᵀ, symmetric, scaled by alpha")
    func gram() {
        #expect(a.gram() == Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
        #expect(a.gram(transpose: false) == Matrix([[14, 32], [32, 77]]))
        #expect(a.gram(alpha: 0.5) == Matrix([[8.5, 11, 13.5], [11, 14.5, 18], [13.5, 18, 22.5]]))
        let x = Matrix<Float>.randomNormal(20, 6, seed: 3)
        #expect(scaledError(x.gram(), Matrix.gemm(x, x, transposeA: true)) < tolerance(Float.self, 10))
        #expect(Matrix<Double>.zeros(0, 3).gram() == .zeros(3, 3))
    }
}
