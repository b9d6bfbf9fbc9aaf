import Foundation
import Testing
import LatentCore
import LatentIO
@testable import LatentEval
import LatentTestSupport

@Suite struct FewShotTests {
    @Test func nearestNormalisedMeanMatchesNumPy() throws {
        let x: Matrix<Double> = try evalMatrix("fewshot_x")
        let t: Matrix<Double> = try evalMatrix("fewshot_t")
        let target = try evalLabels("fewshot_ty")
        let shots = try evalMatrix("fewshot_shots", as: Double.self)
        let shotRows = (0..<shots.rows).map { c in shots.row(c).map { Int($0) } }
        let mean = x.mean(over: .rows)
        let accuracy = FewShotEvaluation.nearestMeanAccuracy(train: x.subtracting(row: mean).rowNormalized(), shotRows: shotRows,
                                                             test: t.subtracting(row: mean).rowNormalized(), target: target)
        #expect(accuracy == (try evalScalar("fewshot_accuracy")))
        let floatAccuracy = FewShotEvaluation.nearestMeanAccuracy(
            train: Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.subtracting(row: mean).storage.map { Float($0) }).rowNormalized(),
            shotRows: shotRows,
            test: Matrix<Float>(rows: t.rows, columns: t.columns, storage: t.subtracting(row: mean).storage.map { Float($0) }).rowNormalized(),
            target: target)
        #expect(floatAccuracy == accuracy)
    }

    @Test func episodesFollowTheProtocol() throws {
        // Recompute every episode by hand: draws, centring by the full training mean, normalising,
        // Euclidean distance to unnormalised class means.
        let x: Matrix<Double> = try evalMatrix("fewshot_x")
        let y = try evalLabels("fewshot_y")
        let t: Matrix<Double> = try evalMatrix("fewshot_t")
        let ty = try evalLabels("fewshot_ty")
        let protocolRun = FewShotEvaluation(shots: [1, 3], episodes: 4, seed: 9)
        let results = try protocolRun.evaluate(trainFeatures: x, trainLabels: y, testFeatures: t, testLabels: ty)
        #expect(results.map(\.shots) == [1, 3])
        let mean = x.mean(over: .rows)
        func normalise(_ v: [Double]) -> [Double] {
            let c = zip(v, mean).map { $0 - $1 }
            let norm = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return c.map { $0 / norm }
        }
        for result in results {
            #expect(result.accuracies.count == 4)
            for e in 0..<4 {
                var rng = Xoshiro256StarStar(seed: FewShotEvaluation.episodeSeed(9, shots: result.shots, episode: e))
                let means: [[Double]] = (0..<5).map { c in
                    let rows = y.indices.filter { y[$0] == c }
                    let picked = rng.choice(rows.count, count: result.shots).map { normalise(x.row(rows[$0])) }
                    return (0..<x.columns).map { j in picked.reduce(0) { $0 + $1[j] } / Double(result.shots) }
                }
                var correct = 0
                for i in 0..<t.rows {
                    let q = normalise(t.row(i))
                    let distances = means.map { m in zip(q, m).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
                    if distances.firstIndex(of: distances.min()!)! == ty[i] { correct += 1 }
                }
                #expect(result.accuracies[e] == Double(correct) / Double(t.rows))
            }
            let m = result.accuracies.reduce(0, +) / 4
            let s = (result.accuracies.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 3).squareRoot()
            #expect(Swift.abs(result.meanAccuracy - m) < 1e-15 && Swift.abs(result.ci95 - 1.96 * s / 2) < 1e-15)
        }
        // Same seed → same numbers; a shot count's episodes do not depend on the others requested.
        let alone = try FewShotEvaluation(shots: [3], episodes: 4, seed: 9).evaluate(trainFeatures: x, trainLabels: y, testFeatures: t, testLabels: ty)
        #expect(alone[0] == results[1])
        #expect(results[1].meanAccuracy > 0.3)   // 5 classes: chance is 0.2
    }

    @Test func rejectsBadInput() throws {
        let (x, y) = separatedBlobs(count: 20, classes: 4, dimension: 3, seed: 1, as: Float.self)
        let run = FewShotEvaluation(shots: [8], episodes: 2)
        #expect(throws: EstimatorError.self) { try run.evaluate(trainFeatures: x, trainLabels: y, testFeatures: x, testLabels: y) }
        #expect(throws: EstimatorError.self) {
            try FewShotEvaluation(shots: [1], episodes: 2).evaluate(trainFeatures: x, trainLabels: y, testFeatures: x, testLabels: y.map { $0 + 1 })
        }
        #expect(throws: EstimatorError.self) {
            try FewShotEvaluation(shots: [0]).evaluate(trainFeatures: x, trainLabels: y, testFeatures: x, testLabels: y)
        }
        let single = FewShotResult(shots: 1, accuracies: [0.5])
        #expect(single.ci95 == 0 && single.meanAccuracy == 0.5)
    }

    @Test func fashionMNISTSubsetIsWellAboveChance() throws {
        guard FashionMNIST.isAvailable() else { return }
        // Raw pixels; only the (smaller) test file is decoded to keep the debug run short: its first
        // 1000 images play the training split, the next 1000 the test split.
        let data = try FashionMNIST.load(split: .test, as: Float.self)
        let results = try FewShotEvaluation(shots: [1], episodes: 5, seed: 0).evaluate(
            trainFeatures: data.images.rows(0..<1000), trainLabels: Array(data.labels[0..<1000]),
            testFeatures: data.images.rows(1000..<2000), testLabels: Array(data.labels[1000..<2000]))
        #expect(results[0].meanAccuracy > 0.35, "\(results[0])")
    }
}
