import XCTest
@testable import LatentCore

final class AliasTableTests: XCTestCase {
    /// Empirical frequencies of 2·10⁶ draws match the normalised weights within 5 standard errors.
    func testFrequenciesMatchWeights() {
        let weights: [Double] = [5, 0, 1, 0.25, 12, 3.5, 0.001, 7]
        let table = AliasTable(weights: weights)
        var rng = Xoshiro256StarStar(seed: 3)
        let draws = 2_000_000
        var counts = [Int](repeating: 0, count: weights.count)
        for _ in 0..<draws { counts[table.sample(using: &rng)] += 1 }
        let total = weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            let p = w / total
            let observed = Double(counts[i]) / Double(draws)
            let standardError = (p * (1 - p) / Double(draws)).squareRoot()
            XCTAssertEqual(observed, p, accuracy: 5 * standardError + 1e-9, "index \(i)")
        }
        XCTAssertEqual(counts[1], 0, "a zero weight is never drawn")
    }

    func testSingleWeightAndUniform() {
        var rng = Xoshiro256StarStar(seed: 1)
        let one = AliasTable(weights: [2])
        for _ in 0..<100 { XCTAssertEqual(one.sample(using: &rng), 0) }
        let uniform = AliasTable(weights: [Double](repeating: 1, count: 1000))
        var counts = [Int](repeating: 0, count: 1000)
        for _ in 0..<1_000_000 { counts[uniform.sample(using: &rng)] += 1 }
        // Each count ~ Binomial(10⁶, 10⁻³): mean 1000, sd ≈ 31.6.
        XCTAssertLessThan(counts.map { abs($0 - 1000) }.max()!, 200)
    }

    func testSameSeedSameDraws() {
        let table = AliasTable(weights: [1, 2, 3, 4])
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
        XCTAssertEqual((0..<100).map { _ in table.sample(using: &a) }, (0..<100).map { _ in table.sample(using: &b) })
    }
}
