import Foundation
import Testing
@testable import LatentManifold
import LatentCore
import LatentTestSupport

@Suite("t-SNE affinities against scikit-learn")
struct TSNEAffinityTests {
    let perplexity = 5.0

    @Test func conditionalProbabilitiesMatchBinarySearchPerplexity() throws {
        let x = try Fixtures.matrix("tsne/x")
        let expected = try Fixtures.vector("tsne/conditional")
        let n = x.rows
        let d = pairwiseSquaredDistances(x)
        let result = PerplexityCalibration.calibrate(squaredDistances: d, rows: n, width: n, perplexity: perplexity, skipDiagonal: true)
        #expect(maxAbsDifference(result.probabilities, expected) < 1e-6)
        // Each β reproduces its row: p_j|i = exp(−β d_ij) / Σ_k exp(−β d_ik), and the row's perplexity is 5.
        for i in 0..<n {
            var row = (0..<n).map { $0 == i ? 0.0 : exp(-d[i * n + $0] * result.betas[i]) }
            let s = row.reduce(0, +)
            row = row.map { $0 / s }
            #expect(maxAbsDifference(row, Array(result.probabilities[(i * n)..<((i + 1) * n)])) < 1e-12)
            let entropy = -row.filter { $0 > 0 }.map { $0 * log($0) }.reduce(0, +)
            #expect(abs(exp(entropy) - perplexity) < 1e-3)
        }
    }

    @Test func exactJointProbabilitiesMatch() throws {
        let x = try Fixtures.matrix("tsne/x")
        let expected = try Fixtures.vector("tsne/p_exact")
        let (p, _) = denseJointProbabilities(squaredDistances: pairwiseSquaredDistances(x), count: x.rows, perplexity: perplexity)
        #expect(maxAbsDifference(p, expected) < 1e-6)
        #expect(abs(p.reduce(0, +) - 1) < 1e-9)
    }

    @Test(arguments: [false, true])
    func nearestNeighborJointProbabilitiesMatch(float: Bool) throws {
        let expected = try Fixtures.vector("tsne/p_nn")
        let n = 50, k = min(n - 1, Int(3 * perplexity + 1))
        let p: SparseAffinities
        if float {
            let x = try Fixtures.matrix("tsne/x", as: Float.self)
            let knn = NearestNeighbors(queries: x, references: x, k: k, excludingSelf: true)
            let c = PerplexityCalibration.calibrate(squaredDistances: knn.squaredDistances, rows: n, width: k, perplexity: perplexity)
            p = SparseAffinities(conditional: c.probabilities, neighbors: knn.indices, count: n, k: k)
        } else {
            let x = try Fixtures.matrix("tsne/x")
            let knn = NearestNeighbors(queries: x, references: x, k: k, excludingSelf: true)
            let c = PerplexityCalibration.calibrate(squaredDistances: knn.squaredDistances, rows: n, width: k, perplexity: perplexity)
            p = SparseAffinities(conditional: c.probabilities, neighbors: knn.indices, count: n, k: k)
        }
        #expect(maxAbsDifference(p.dense(), expected) < 1e-6)
        #expect(abs(p.values.reduce(0, +) - 1) < 1e-12)
        // Symmetric, sorted columns.
        let dense = p.dense()
        for i in 0..<n { for j in 0..<n { #expect(dense[i * n + j] == dense[j * n + i]) } }
        for i in 0..<n { #expect(p.columns[p.rowStarts[i]..<p.rowStarts[i + 1]] == ArraySlice(p.columns[p.rowStarts[i]..<p.rowStarts[i + 1]].sorted())) }
    }

    @Test(arguments: [1, 7, 20])
    func nearestNeighborsMatchBruteForce(k: Int) {
        let x = Matrix<Float>.randomNormal(300, 6, seed: 3)
        let q = Matrix<Float>.randomNormal(40, 6, seed: 4)
        let knn = NearestNeighbors(queries: q, references: x, k: k)
        let own = NearestNeighbors(queries: x, references: x, k: k, excludingSelf: true)
        for i in 0..<q.rows {
            let d = (0..<x.rows).map { j in (0..<6).map { a in Double(q[i, a] - x[j, a]) * Double(q[i, a] - x[j, a]) }.reduce(0, +) }
            let order = d.indices.sorted { d[$0] < d[$1] }
            #expect(Array(knn.indices[(i * k)..<((i + 1) * k)]) == Array(order.prefix(k)))
            #expect(maxAbsDifference(Array(knn.squaredDistances[(i * k)..<((i + 1) * k)]), order.prefix(k).map { d[$0] }) < 1e-4)
        }
        for i in 0..<x.rows { #expect(!own.indices[(i * k)..<((i + 1) * k)].contains(i)) }
    }
}
