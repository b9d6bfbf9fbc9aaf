import Testing
import LatentCore

/// Slices, gathers, concatenation, transpose, reshape and diagonal on small hand-checked matrices.
@Suite("Slicing, gathering and reshaping")
struct ShapeTests {
    let m = Matrix<Double>([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])   // 3×4

    @Test("row and column access, setRow and setColumn")
    func rowsAndColumns() {
        #expect(m.row(1) == [5, 6, 7, 8])
        #expect(m.column(2) == [3, 7, 11])
        var x = m
        x.setRow(0, [0, 0, 0, 0])
        x.setColumn(3, [-1, -2, -3])
        #expect(x == Matrix([[0, 0, 0, -1], [5, 6, 7, -2], [9, 10, 11, -3]]))
    }

    @Test("contiguous row and column slices, including empty ones")
    func slices() {
        #expect(m.rows(1..<3) == Matrix([[5, 6, 7, 8], [9, 10, 11, 12]]))
        #expect(m.columns(1..<3) == Matrix([[2, 3], [6, 7], [10, 11]]))
        #expect(m.rows(2..<2).shape == (0, 4))
        #expect(m.columns(0..<0).shape == (3, 0))
        #expect(m.rows(0..<3) == m && m.columns(0..<4) == m)
    }

    @Test("gathers in any order with repeats")
    func gathers() {
        #expect(m.rows(at: [2, 0, 2]) == Matrix([[9, 10, 11, 12], [1, 2, 3, 4], [9, 10, 11, 12]]))
        #expect(m.columns(at: [3, 3, 0]) == Matrix([[4, 4, 1], [8, 8, 5], [12, 12, 9]]))
        #expect(m.rows(at: []).shape == (0, 4))
        #expect(m.columns(at: []).shape == (3, 0))
    }

    @Test("vstack and hstack")
    func concatenation() {
        let top = Matrix<Double>([[1, 2]]), bottom = Matrix<Double>([[3, 4], [5, 6]])
        #expect(Matrix.vstack([top, bottom]) == Matrix([[1, 2], [3, 4], [5, 6]]))
        #expect(Matrix.vstack([top, .zeros(0, 2)]) == top)
        let left = Matrix<Double>([[1], [2]]), right = Matrix<Double>([[3, 4], [5, 6]])
        #expect(Matrix.hstack([left, right]) == Matrix([[1, 3, 4], [2, 5, 6]]))
        #expect(Matrix.hstack([left, .zeros(2, 0), left]) == Matrix([[1, 1], [2, 2]]))
        #expect(Matrix<Double>.vstack([]).shape == (0, 0) && Matrix<Double>.hstack([]).shape == (0, 0))
    }

    @Test("transpose of small, empty and block-crossing shapes")
    func transpose() {
        #expect(m.transposed == Matrix([[1, 5, 9], [2, 6, 10], [3, 7, 11], [4, 8, 12]]))
        #expect(Matrix<Float>.zeros(0, 3).transposed.shape == (3, 0))
        let big = Matrix<Double>(rows: 37, columns: 70) { i, j in Double(i * 1000 + j) }   // crosses 32×32 blocks
        let t = big.transposed
        #expect(t.shape == (70, 37))
        #expect((0..<70).allSatisfy { j in (0..<37).allSatisfy { i in t[j, i] == big[i, j] } })
        #expect(t.transposed == big)
    }

    @Test("reshape keeps row-major order; diagonal of square and rectangular")
    func reshapeAndDiagonal() {
        #expect(m.reshaped(2, 6) == Matrix([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]))
        #expect(m.reshaped(12, 1).column(0) == Array(1...12).map(Double.init))
        #expect(Matrix<Double>.zeros(0, 3).reshaped(3, 0).shape == (3, 0))
        #expect(m.diagonal == [1, 6, 11])
        #expect(m.transposed.diagonal == [1, 6, 11])
    }
}
