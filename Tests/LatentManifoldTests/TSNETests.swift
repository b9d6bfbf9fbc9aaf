import Testing
import LatentManifold
import LatentCore
import LatentDecomposition
import LatentTestSupport

/// Three well-separated Gaussian blobs in 10-D (`perBlob` points each) and their labels.
func blobs<S: BLASScalar>(_: S.Type = Double.self, perBlob: Int, seed: UInt64) -> (x: Matrix<S>, labels: [Int]) {
    var rng = Xoshiro256StarStar(seed: seed)
    let centres = (0..<3).map { c in (0..<10).map { a in a == c ? 12.0 : 0.0 } }
    var rows: [[S]] = [], labels: [Int] = []
    for c in 0..<3 { for _ in 0..<perBlob {
        rows.append(centres[c].map { S($0 + rng.normal()) }); labels.append(c)
    } }
    return (Matrix(rows), labels)
}

/// Fraction of points whose nearest other point in `y` has the same label.
func nearestNeighborPurity<S: BLASScalar>(_ y: Matrix<S>, labels: [Int], reference: Matrix<S>? = nil, referenceLabels: [Int]? = nil) -> Double {
    let ref = reference ?? y, refLabels = referenceLabels ?? labels
    let knn = NearestNeighbors(queries: y, references: ref, k: 1 + (reference == nil ? 0 : 0), excludingSelf: reference == nil)
    var hits = 0
    for i in 0..<y.rows where refLabels[knn.indices[i]] == labels[i] { hits += 1 }
    return Double(hits) / Double(y.rows)
}

@Suite("t-SNE fit and transform", .serialized)
struct TSNETests {
    @Test func separatesBlobsAndExactAgreesWithBarnesHut() throws {
        let (x, labels) = blobs(perBlob: 30, seed: 1)
        let exact = try TSNE<Double>(perplexity: 10, method: .exact, maxIterations: 400, seed: 2).fit(x)
        let bh = try TSNE<Double>(perplexity: 10, method: .barnesHut(theta: 0.5), maxIterations: 400, seed: 2).fit(x)
        for model in [exact, bh] {
            #expect(model.embedding.rows == 90 && model.embedding.columns == 2)
            #expect(model.report.iterations <= 400 && model.report.iterations > 250)
            #expect(nearestNeighborPurity(model.embedding, labels: labels) == 1)
            #expect(neighborPreservation(input: x, embedding: model.embedding, k: 10) > 0.35)
            #expect(model.klDivergence > 0 && model.klDivergence.isFinite)
        }
        // Exact KL uses all pairs, BH only the kNN entries of P: close, not equal.
        #expect(abs(exact.klDivergence - bh.klDivergence) < 0.1 * exact.klDivergence, "exact \(exact.klDivergence) vs BH \(bh.klDivergence)")
    }

    @Test func floatAndThreeDimensions() throws {
        let (x, labels) = blobs(Float.self, perBlob: 30, seed: 3)
        let model = try TSNE<Float>(components: 3, perplexity: 8, initialization: .random, maxIterations: 400, seed: 4).fit(x)
        #expect(model.embedding.columns == 3)
        #expect(nearestNeighborPurity(model.embedding, labels: labels) == 1)
        #expect(model.degreesOfFreedom == 2)
    }

    @Test func reproducibleForSeed() throws {
        let (x, _) = blobs(perBlob: 20, seed: 5)
        let tsne = TSNE<Double>(perplexity: 5, initialization: .random, maxIterations: 260, seed: 9)
        let a = try tsne.fit(x), b = try tsne.fit(x)
        let c = try TSNE<Double>(perplexity: 5, initialization: .random, maxIterations: 260, seed: 10).fit(x)
        #expect(a.embedding == b.embedding)
        #expect(a.klDivergence == b.klDivergence)
        #expect(a.embedding != c.embedding)
    }

    @Test func initialisationAndLearningRate() throws {
        let (x, _) = blobs(perBlob: 10, seed: 6)
        #expect(TSNE<Double>().resolvedLearningRate(samples: 30) == 50)
        #expect(TSNE<Double>().resolvedLearningRate(samples: 10000) == 10000.0 / 48)
        let y0 = Matrix<Double>.randomNormal(30, 2, standardDeviation: 1e-4, seed: 1)
        // Zero further iterations after a zero-length exploration: returns the given start.
        let still = try TSNE<Double>(perplexity: 5, initialization: .embedding(y0), learningRate: .fixed(1e-300),
                                     maxIterations: 1, explorationIterations: 0).fit(x)
        #expect(maxAbsDifference(still.embedding, y0) < 1e-12)
        #expect(throws: EstimatorError.self) {
            try TSNE<Double>(perplexity: 5, initialization: .embedding(Matrix.zeros(3, 2))).fit(x)
        }
    }

    @Test func errors() throws {
        let (x, _) = blobs(perBlob: 5, seed: 7)
        #expect(throws: EstimatorError.self) { try TSNE<Double>(perplexity: 15).fit(x) }
        #expect(throws: EstimatorError.self) { try TSNE<Double>(perplexity: 30).fit(x) }
        #expect(throws: EstimatorError.self) { try TSNE<Double>(components: 4, perplexity: 3).fit(x) }
        #expect(throws: EstimatorError.self) { try TSNE<Double>(perplexity: 3, maxIterations: 100).fit(x) }
        var bad = x
        bad[3, 2] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "TSNE", row: 3, column: 2)) { try TSNE<Double>(perplexity: 3).fit(bad) }
        let model = try TSNE<Double>(components: 4, perplexity: 3, method: .exact, maxIterations: 250).fit(x)
        #expect(model.embedding.columns == 4)
        #expect(throws: EstimatorError.self) { try model.transform(Matrix<Double>.zeros(2, 3)) }
    }

    @Test func transformPlacesPointsInTheirClusters() throws {
        let (x, labels) = blobs(perBlob: 30, seed: 8)
        let model = try TSNE<Double>(perplexity: 10, maxIterations: 400, seed: 1).fit(x)
        // Training points land near their own embedding: most of the 10 embedding neighbours of a
        // point's own position are also the 10 nearest to where transform puts it.
        let again = try model.transform(x)
        let own = NearestNeighbors(queries: model.embedding, references: model.embedding, k: 10)
        let placed = NearestNeighbors(queries: again, references: model.embedding, k: 10)
        var shared = 0
        for i in 0..<x.rows {
            let a = Set(own.indices[(i * 10)..<((i + 1) * 10)])
            shared += placed.indices[(i * 10)..<((i + 1) * 10)].filter(a.contains).count
        }
        #expect(Double(shared) / Double(10 * x.rows) > 0.6)
        // New points from each blob land in that blob.
        let (fresh, freshLabels) = blobs(perBlob: 10, seed: 99)
        let z = try model.transform(fresh)
        #expect(nearestNeighborPurity(z, labels: freshLabels, reference: model.embedding, referenceLabels: labels) == 1)
        // Independent of batch composition.
        let single = try model.transform(fresh.rows(3..<4))
        #expect(maxAbsDifference(single, z.rows(3..<4)) < 1e-12)
    }

    @Test func neighborPreservationBounds() {
        let x = Matrix<Double>.randomNormal(60, 5, seed: 2)
        #expect(neighborPreservation(input: x, embedding: x, k: 10) == 1)
        let noise = Matrix<Double>.randomNormal(60, 2, seed: 3)
        #expect(neighborPreservation(input: x, embedding: noise, k: 10) < 0.5)
    }
}
