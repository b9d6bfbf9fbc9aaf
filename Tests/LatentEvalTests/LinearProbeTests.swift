import Testing
import LatentCore
import LatentEval
import LatentTestSupport

@Suite struct LinearProbeTests {
    @Test func stratifiedSubsetsAreSeededAndBalanced() {
        let labels = (0..<300).map { $0 % 3 } + [Int](repeating: 3, count: 50)
        let subset = LinearProbe.stratifiedSubset(labels: labels, fraction: 0.1, seed: 4)
        #expect(subset == LinearProbe.stratifiedSubset(labels: labels, fraction: 0.1, seed: 4))
        #expect(subset != LinearProbe.stratifiedSubset(labels: labels, fraction: 0.1, seed: 5))
        #expect(Set(subset).count == subset.count && subset == subset.sorted())
        let counts = (0..<4).map { c in subset.filter { labels[$0] == c }.count }
        #expect(counts == [10, 10, 10, 5])
        #expect(LinearProbe.stratifiedSubset(labels: labels, fraction: 0.001, seed: 4).count == 4)   // one per class at least
        #expect(LinearProbe.stratifiedSubset(labels: labels, fraction: 1, seed: 4) == Array(0..<350))
    }

    @Test func probeOnFractionsOfLabels() throws {
        let x: Matrix<Double> = try evalMatrix("logistic_x")
        let y = try evalLabels("logistic_y")
        let test: Matrix<Double> = try evalMatrix("logistic_x_test")
        let testLabels = try evalLabels("logistic_pred")   // sklearn's predictions: a learnable target
        let probe = LinearProbe(fractions: [0.1, 1], regression: LogisticRegression(C: 0.5, tolerance: 1e-8, maxIterations: 1000))
        let results = try probe.evaluate(trainFeatures: x, trainLabels: y, testFeatures: test, testLabels: testLabels)
        #expect(results.map(\.fraction) == [0.1, 1])
        #expect(results[1].labelledSamples == 300 && results[0].labelledSamples < 40)
        #expect(results.allSatisfy { $0.report.converged })
        #expect(results[1].accuracy > 0.9 && results[0].accuracy > 0.5)
        // Fraction 1 without standardisation is exactly the plain fit.
        let plain = try LinearProbe(fractions: [1], regression: probe.regression, standardize: false)
            .evaluate(trainFeatures: x, trainLabels: y, testFeatures: test, testLabels: testLabels)
        let direct = try probe.regression.fit(x, labels: y)
        #expect(plain[0].accuracy == direct.accuracy(test, labels: testLabels))
        #expect(throws: EstimatorError.self) {
            try LinearProbe(fractions: [0]).evaluate(trainFeatures: x, trainLabels: y, testFeatures: test, testLabels: testLabels)
        }
    }
}
