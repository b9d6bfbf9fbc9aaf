import Testing
import LatentCore
import LatentTestSupport

/// Elementwise arithmetic with scalars, same-shape matrices and broadcast vectors; map and apply.
@Suite("Elementwise arithmetic and broadcasting")
struct ElementwiseTests {
    let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    let b = Matrix<Double>([[6, 5, 4], [3, 2, 1]])

    @Test("same-shape matrices")
    func matrices() {
        #expect(a + b == .filled(2, 3, with: 7))
        #expect(a - b == Matrix([[-5, -3, -1], [1, 3, 5]]))
        #expect(a .* b == Matrix([[6, 10, 12], [12, 10, 6]]))
        #expect(a ./ b == Matrix([[1.0 / 6, 0.4, 0.75], [4.0 / 3, 2.5, 6]]))
        #expect(-a == Matrix([[-1, -2, -3], [-4, -5, -6]]))
    }

    @Test("scalars on either side, and in place")
    func scalars() {
        #expect(a + 1 == Matrix([[2, 3, 4], [5, 6, 7]]))
        #expect(1 + a == a + 1)
        #expect(a - 1 == Matrix([[0, 1, 2], [3, 4, 5]]))
        #expect(10 - a == Matrix([[9, 8, 7], [6, 5, 4]]))
        #expect(a * 2 == 2 * a && a * 2 == Matrix([[2, 4, 6], [8, 10, 12]]))
        #expect(a / 2 == Matrix([[0.5, 1, 1.5], [2, 2.5, 3]]))
        #expect(12 / a == Matrix([[12, 6, 4], [3, 2.4, 2]]))
        var x = a
        x += 1; x *= 2; x -= 2; x /= 2
        #expect(x == a)
    }

    @Test("row and column broadcasting; a square matrix is never ambiguous")
    func broadcasting() {
        #expect(a.adding(row: [10, 20, 30]) == Matrix([[11, 22, 33], [14, 25, 36]]))
        #expect(a.subtracting(row: [1, 2, 3]) == Matrix([[0, 0, 0], [3, 3, 3]]))
        #expect(a.multiplying(row: [1, 0, -1]) == Matrix([[1, 0, -3], [4, 0, -6]]))
        #expect(a.dividing(row: [1, 2, 3]) == Matrix([[1, 1, 1], [4, 2.5, 2]]))
        #expect(a.adding(column: [100, 200]) == Matrix([[101, 102, 103], [204, 205, 206]]))
        #expect(a.subtracting(column: [1, 4]) == Matrix([[0, 1, 2], [0, 1, 2]]))
        #expect(a.multiplying(column: [2, 0]) == Matrix([[2, 4, 6], [0, 0, 0]]))
        #expect(a.dividing(column: [1, 2]) == Matrix([[1, 2, 3], [2, 2.5, 3]]))
        let square = Matrix<Double>([[1, 2], [3, 4]])
        #expect(square.adding(row: [10, 20]) == Matrix([[11, 22], [13, 24]]))
        #expect(square.adding(column: [10, 20]) == Matrix([[11, 12], [23, 24]]))
        #expect(a.broadcasting(row: [1, 2, 3]) { x, v in x * 10 + v } == Matrix([[11, 22, 33], [41, 52, 63]]))
    }

    @Test("map, apply and zipMap; empty matrices pass through")
    func mapping() {
        #expect(a.map { $0 * $0 } == Matrix([[1, 4, 9], [16, 25, 36]]))
        var x = a
        x.apply { $0 - 1 }
        #expect(x == a - 1)
        #expect(a.zipMap(b) { max($0, $1) } == Matrix([[6, 5, 4], [4, 5, 6]]))
        let empty = Matrix<Float>.zeros(0, 5)
        #expect((empty + empty).shape == (0, 5) && empty.map { $0 + 1 }.shape == (0, 5))
        #expect(Matrix<Float>.zeros(3, 0).adding(row: []).shape == (3, 0))
        #expect(Matrix<Float>.zeros(0, 2).adding(column: []).shape == (0, 2))
    }

    @Test("large matrices (parallel chunks) agree element by element with a plain loop")
    func parallelKernels() {
        let (r, c) = (700, 300)   // 210 000 elements: several chunks of 2¹⁶
        let x = Matrix<Float>.randomUniform(r, c, seed: 1)
        let y = Matrix<Float>.randomUniform(r, c, seed: 2)
        let row = (0..<c).map { Float($0) }, column = (0..<r).map { Float($0) }
        let sum = x + y, scaled = x.map { 3 * $0 }
        let byRow = x.adding(row: row), byColumn = x.multiplying(column: column)
        var inPlace = x
        inPlace.apply { $0 - 1 }
        for i in stride(from: 0, to: r, by: 7) {
            for j in stride(from: 0, to: c, by: 3) {
                #expect(sum[i, j] == x[i, j] + y[i, j])
                #expect(scaled[i, j] == 3 * x[i, j])
                #expect(byRow[i, j] == x[i, j] + Float(j))
                #expect(byColumn[i, j] == x[i, j] * Float(i))
                #expect(inPlace[i, j] == x[i, j] - 1)
            }
        }
        #expect(sum.storage == zip(x.storage, y.storage).map { $0 + $1 })
    }

    @Test("results of 4 MiB and more (huge-page advice) are computed correctly")
    func largeResults() {
        let x = Matrix<Float>.filled(1100, 1000, with: 2)   // 4.4 MB per result
        #expect(x + x == .filled(1100, 1000, with: 4))
        #expect(x.adding(row: [Float](repeating: 1, count: 1000)) == .filled(1100, 1000, with: 3))
        #expect(x.transposed == .filled(1000, 1100, with: 2))
    }
}
