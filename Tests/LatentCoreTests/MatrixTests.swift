import Foundation
import Testing
import LatentCore
import LatentTestSupport

/// Construction, subscripts, value semantics, Codable and description.
@Suite("Matrix construction and value semantics")
struct MatrixTests {
    @Test("zeros, ones, identity, filled, diagonal, from rows, from flat, from a closure")
    func construction() {
        #expect(Matrix<Double>.zeros(2, 3).storage == [0, 0, 0, 0, 0, 0])
        #expect(Matrix<Float>.ones(1, 2).storage == [1, 1])
        #expect(Matrix<Double>.identity(3).storage == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Matrix<Double>.filled(2, 1, with: 7).storage == [7, 7])
        #expect(Matrix<Double>(rows: 1, columns: 2, repeating: -1).storage == [-1, -1])
        #expect(Matrix<Double>.diagonal([2, 3]) == Matrix([[2, 0], [0, 3]]))
        let m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3 && m.count == 6 && m.shape == (2, 3))
        #expect(m == Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6]))
        #expect(m == Matrix(rows: 2, columns: 3) { i, j in Double(3 * i + j + 1) })
        #expect(Matrix<Double>([]).shape == (0, 0))
        #expect(Matrix<Double>.zeros(0, 4).shape == (0, 4))
        #expect(Matrix<Double>.identity(0).count == 0)
        #expect(m.shapeDescription == "2×3")
    }

    @Test("subscripts read and write row-major elements")
    func subscripts() {
        var m = Matrix<Float>([[1, 2], [3, 4], [5, 6]])
        #expect(m[0, 1] == 2 && m[2, 0] == 5)
        m[1, 1] = 40
        #expect(m.storage == [1, 2, 3, 40, 5, 6])
    }

    @Test("value semantics: a copy is independent of the original")
    func valueSemantics() {
        let original = Matrix<Double>.ones(2, 2)
        var copy = original
        copy[0, 0] = 9
        copy += .ones(2, 2)
        #expect(original == .ones(2, 2))
        #expect(copy == Matrix([[10, 2], [2, 2]]))
        var c = original
        Matrix.gemm(.identity(2), .identity(2), into: &c)
        #expect(original == .ones(2, 2) && c == .identity(2))
    }

    @Test("Codable round trip, and corrupt data is rejected")
    func codable() throws {
        let m = Matrix<Float>([[1.5, -2], [3, 4.25]])
        let data = try JSONEncoder().encode(m)
        #expect(try JSONDecoder().decode(Matrix<Float>.self, from: data) == m)
        let corrupt = Data(#"{"rows": 2, "columns": 3, "storage": [1, 2]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix<Double>.self, from: corrupt) }
        let negative = Data(#"{"rows": -1, "columns": 0, "storage": []}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix<Double>.self, from: negative) }
        let overflow = Data(#"{"rows": 4611686018427387904, "columns": 4, "storage": []}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Matrix<Double>.self, from: overflow) }
    }

    @Test("description shows type, shape and a clipped preview")
    func description() {
        let m = Matrix<Double>([[1, 2], [3, 4]])
        #expect(m.description == "Matrix<float64> 2×2\n  [1.0, 2.0]\n  [3.0, 4.0]")
        let big = Matrix<Float>.zeros(7, 9).description.split(separator: "\n")
        #expect(big.count == 8 && big[1].hasSuffix(", …]") && big.last == "  …")
    }
}
