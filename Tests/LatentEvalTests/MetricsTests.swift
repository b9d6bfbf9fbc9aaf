import Testing
import LatentCore
import LatentEval
import LatentTestSupport

@Suite struct MetricsTests {
    @Test func mutualInformationAndRandIndexMatchScikitLearn() throws {
        let (a, b) = (try evalLabels("metrics_a"), try evalLabels("metrics_b"))
        #expect(Swift.abs(ClusteringMetrics.normalizedMutualInformation(a, b) - (try evalScalar("metrics_nmi"))) < 1e-10)
        #expect(Swift.abs(ClusteringMetrics.adjustedRandIndex(a, b) - (try evalScalar("metrics_ari"))) < 1e-10)
        #expect(Swift.abs(ClusteringMetrics.normalizedMutualInformation(b, a) - ClusteringMetrics.normalizedMutualInformation(a, b)) < 1e-14)
    }

    @Test func labellingSpecialCases() {
        let a = [0, 0, 1, 1, 2, 2]
        let renamed = [5, 5, 9, 9, -1, -1]
        #expect(Swift.abs(ClusteringMetrics.normalizedMutualInformation(a, renamed) - 1) < 1e-12)
        #expect(ClusteringMetrics.adjustedRandIndex(a, renamed) == 1)
        #expect(ClusteringMetrics.normalizedMutualInformation([1, 1, 1], [2, 2, 2]) == 1)   // sklearn's convention
        #expect(ClusteringMetrics.normalizedMutualInformation(a, [0, 0, 0, 0, 0, 0]) == 0)
        #expect(ClusteringMetrics.adjustedRandIndex([0, 0, 0, 0], [0, 0, 0, 0]) == 1)
        // a = [0,0,1,1], b = [0,0,0,1]: ordered pairs tn = 4, fp = 4, fn = 2, tp = 2 (sklearn's
        // pair_confusion_matrix) → 2(2·4 − 2·4)/… = 0: exactly the agreement chance predicts.
        #expect(ClusteringMetrics.adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 1]) == 0)
    }

    @Test func silhouetteMatchesScikitLearn() throws {
        let x: Matrix<Double> = try evalMatrix("metrics_silhouette_x")
        let labels = try evalLabels("metrics_silhouette_labels")
        let score = try ClusteringMetrics.silhouetteScore(x, labels: labels)
        #expect(Swift.abs(score - (try evalScalar("metrics_silhouette"))) < 1e-10, "\(score)")
        let single = try ClusteringMetrics.silhouetteScore(Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map { Float($0) }), labels: labels)
        #expect(Swift.abs(single - score) < 1e-5)
        let sampled = try ClusteringMetrics.silhouetteScore(x, labels: labels, sampleSize: 60, seed: 3)
        #expect(sampled == (try ClusteringMetrics.silhouetteScore(x, labels: labels, sampleSize: 60, seed: 3)))
        #expect(Swift.abs(sampled - score) < 0.2)
        #expect(throws: EstimatorError.self) { try ClusteringMetrics.silhouetteScore(x, labels: [Int](repeating: 0, count: x.rows)) }
        // A singleton cluster contributes 0: points 0 and 1 together, 10 alone give
        // ((10 − 1)/10 + (9 − 1)/9 + 0) / 3 (sklearn: 0.5962962962962962).
        let tiny = Matrix<Double>([[0], [1], [10]])
        let expected = (0.9 + 8.0 / 9) / 3
        #expect(Swift.abs(try ClusteringMetrics.silhouetteScore(tiny, labels: [0, 0, 1]) - expected) < 1e-14)
    }

    @Test func trustworthinessMatchesScikitLearn() throws {
        let x: Matrix<Double> = try evalMatrix("metrics_trust_x")
        let embedding: Matrix<Double> = try evalMatrix("metrics_trust_embedding")
        let reference = try Fixtures.vector("eval/metrics_trust", as: Double.self)
        #expect(Swift.abs(try EmbeddingMetrics.trustworthiness(x, embedding: embedding, neighbors: 5) - reference[0]) < 1e-10)
        #expect(Swift.abs(try EmbeddingMetrics.trustworthiness(x, embedding: embedding, neighbors: 10) - reference[1]) < 1e-10)
        // An embedding that keeps all the information is perfectly trustworthy.
        #expect(try EmbeddingMetrics.trustworthiness(x, embedding: x * 3, neighbors: 5) == 1)
        #expect(throws: EstimatorError.self) { try EmbeddingMetrics.trustworthiness(x, embedding: embedding, neighbors: 75) }
    }
}
