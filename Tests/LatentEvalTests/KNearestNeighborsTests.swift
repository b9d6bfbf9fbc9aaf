import Testing
import LatentCore
import LatentEval
import LatentTestSupport

@Suite struct KNearestNeighborsTests {
    @Test(arguments: [1, 7, 1024]) func matchesNumPy(chunkSize: Int) throws {
        let x: Matrix<Double> = try evalMatrix("knn_x")
        let y = try evalLabels("knn_y")
        let q: Matrix<Double> = try evalMatrix("knn_q")
        let uniform = try KNearestNeighbors(k: 5, weighting: .uniform, chunkSize: chunkSize).predict(trainFeatures: x, trainLabels: y, queries: q)
        #expect(uniform == (try evalLabels("knn_uniform")))
        let weighted = try KNearestNeighbors(k: 5, weighting: .temperature(0.1), chunkSize: chunkSize).predict(trainFeatures: x, trainLabels: y, queries: q)
        #expect(weighted == (try evalLabels("knn_temperature")))
        let single = try KNearestNeighbors(k: 5, weighting: .temperature(0.1), chunkSize: chunkSize)
            .predict(trainFeatures: Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map { Float($0) }), trainLabels: y,
                     queries: Matrix<Float>(rows: q.rows, columns: q.columns, storage: q.storage.map { Float($0) }))
        #expect(single == weighted)
    }

    @Test func nearestNeighbourOfATrainingRowIsItself() throws {
        let (x, labels) = separatedBlobs(count: 60, classes: 3, dimension: 5, spread: 2, seed: 3, as: Float.self)
        let shuffled = labels.map { ($0 * 7 + 1) % 5 }   // arbitrary labels, not clusters
        let knn = KNearestNeighbors(k: 1, weighting: .uniform, chunkSize: 16)
        #expect(try knn.predict(trainFeatures: x, trainLabels: shuffled, queries: x) == shuffled)
        #expect(try knn.accuracy(trainFeatures: x, trainLabels: shuffled, queries: x, queryLabels: shuffled) == 1)
        #expect(throws: EstimatorError.self) { try KNearestNeighbors(k: 61).predict(trainFeatures: x, trainLabels: labels, queries: x) }
        #expect(throws: EstimatorError.self) {
            try KNearestNeighbors(k: 3, weighting: .temperature(0)).predict(trainFeatures: x, trainLabels: labels, queries: x)
        }
    }
}
