import Testing
import LatentCore
import LatentEval
import LatentTestSupport

/// Whether two labellings agree up to a renaming of the clusters.
private func sameUpToPermutation(_ a: [Int], _ b: [Int]) -> Bool {
    var forward = [Int: Int](), backward = [Int: Int]()
    for (x, y) in zip(a, b) {
        if forward[x, default: y] != y || backward[y, default: x] != x { return false }
        forward[x] = y; backward[y] = x
    }
    return a.count == b.count
}

@Suite struct KMeansTests {
    @Test(arguments: [KMeans.Initialization.kMeansPlusPlus(), .kMeansPlusPlus(trials: 1), .random])
    func matchesScikitLearnOnSeparatedBlobs(initialization: KMeans.Initialization) throws {
        let x: Matrix<Double> = try evalMatrix("kmeans_x")
        let model = try KMeans(clusters: 4, initialization: initialization, restarts: 10, seed: 1).fit(x)
        let reference = try evalScalar("kmeans_inertia")
        #expect(model.inertia <= reference * 1.001, "inertia \(model.inertia) vs sklearn \(reference)")
        #expect(sameUpToPermutation(model.labels, try evalLabels("kmeans_labels")))
        #expect(model.converged)
        #expect(model.predict(x) == model.labels)
        // Inertia is the sum of squared distances to the reported centroids.
        var inertia = 0.0
        for i in 0..<x.rows {
            let c = model.labels[i]
            for j in 0..<x.columns { inertia += (x[i, j] - model.centroids[c, j]) * (x[i, j] - model.centroids[c, j]) }
        }
        #expect(Swift.abs(inertia - model.inertia) < 1e-9 * inertia)
    }

    @Test func singlePrecisionAndDeterminism() throws {
        let x: Matrix<Float> = try evalMatrix("kmeans_x", as: Float.self)
        let a = try KMeans(clusters: 4, seed: 5).fit(x)
        let b = try KMeans(clusters: 4, seed: 5).fit(x)
        #expect(a.labels == b.labels && a.centroids == b.centroids)
        #expect(sameUpToPermutation(a.labels, try evalLabels("kmeans_labels")))
        #expect(a.inertia <= (try evalScalar("kmeans_inertia")) * 1.001)
    }

    @Test func centroidsAreClusterMeansAndBadInputThrows() throws {
        let (x, _) = separatedBlobs(count: 90, classes: 3, dimension: 2, spread: 1.5, seed: 8, as: Double.self)
        let model = try KMeans(clusters: 5, restarts: 2, seed: 2).fit(x)
        for c in 0..<5 {
            let members = model.labels.indices.filter { model.labels[$0] == c }
            #expect(!members.isEmpty)
            let mean = x.rows(at: members).mean(over: .rows)
            #expect(maxAbsDifference(mean, model.centroids.row(c)) < 1e-9)
        }
        let one = try KMeans(clusters: 1).fit(x)
        #expect(Swift.abs(one.inertia - Double(x.rows) * x.variance(over: .rows).reduce(0, +)) < 1e-8 * one.inertia)
        #expect(throws: EstimatorError.self) { try KMeans(clusters: 91).fit(x) }
        #expect(throws: EstimatorError.self) { try KMeans(clusters: 0).fit(x) }
    }
}
