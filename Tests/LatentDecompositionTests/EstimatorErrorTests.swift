import Testing
import LatentCore
import LatentDecomposition

@Test func nonFiniteInputIsLocated() {
    var x = Matrix<Double>.zeros(3, 4)
    x[2, 1] = .nan
    #expect(throws: EstimatorError.nonFinite(method: "PCA", row: 2, column: 1)) { try x.requireFiniteInput(for: "PCA") }
    #expect(throws: EstimatorError.featureMismatch(method: "PCA", expected: 5, got: 4)) { try x.requireFeatures(5, for: "PCA") }
}
