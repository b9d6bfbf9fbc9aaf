import Foundation
import Testing
@testable import LatentManifold
import LatentCore
import LatentTestSupport

@Suite("t-SNE KL divergence and gradient")
struct TSNEGradientTests {
    @Test func exactMatchesScikitLearn() throws {
        let x = try Fixtures.matrix("tsne/x")
        let y = try Fixtures.vector("tsne/y")
        let expectedGradient = try Fixtures.vector("tsne/grad_exact")
        let expectedKL = try Fixtures.vector("tsne/kl_exact")[0]
        let (p, _) = denseJointProbabilities(squaredDistances: pairwiseSquaredDistances(x), count: 50, perplexity: 5)
        var gradient = [Double](repeating: 0, count: 100)
        let kl = exactKLGradient(y: y, p: p, geometry: TSNEGeometry(count: 50, dimensions: 2, dof: 1), computeError: true, gradient: &gradient)
        #expect(abs(kl - expectedKL) < 1e-6)
        #expect(maxAbsDifference(gradient, expectedGradient) < 1e-6)
    }

    /// KL(P‖Q) by its definition, for finite differences.
    func kl(_ y: [Double], _ p: [Double], n: Int, d: Int, dof: Double) -> Double {
        var w = [Double](repeating: 0, count: n * n), z = 0.0
        for i in 0..<n { for j in 0..<n where j != i {
            let dist = (0..<d).map { (y[i * d + $0] - y[j * d + $0]) * (y[i * d + $0] - y[j * d + $0]) }.reduce(0, +)
            w[i * n + j] = pow(1 + dist / dof, -(dof + 1) / 2); z += w[i * n + j]
        } }
        var c = 0.0
        for i in 0..<n { for j in 0..<n where j != i { c += p[i * n + j] * log(p[i * n + j] / (w[i * n + j] / z)) } }
        return c
    }

    @Test(arguments: [(2, 1.0), (3, 2.0)])
    func exactGradientMatchesFiniteDifferences(dimensions d: Int, dof: Double) {
        let n = 8
        let x = Matrix<Double>.randomNormal(n, 3, seed: 11)
        let (p, _) = denseJointProbabilities(squaredDistances: pairwiseSquaredDistances(x), count: n, perplexity: 3)
        let y0 = Matrix<Double>.randomNormal(n, d, seed: 12).storage
        var gradient = [Double](repeating: 0, count: n * d)
        _ = exactKLGradient(y: y0, p: p, geometry: TSNEGeometry(count: n, dimensions: d, dof: dof), computeError: false, gradient: &gradient)
        let h = 1e-6
        for e in 0..<(n * d) {
            var plus = y0, minus = y0
            plus[e] += h; minus[e] -= h
            let numeric = (kl(plus, p, n: n, d: d, dof: dof) - kl(minus, p, n: n, d: d, dof: dof)) / (2 * h)
            #expect(abs(numeric - gradient[e]) < 1e-6 * max(1, abs(numeric)), "coordinate \(e): numeric \(numeric), analytic \(gradient[e])")
        }
    }

    @Test(arguments: [2, 3])
    func barnesHutWithThetaZeroIsExact(dimensions d: Int) {
        let n = 60, k = 16
        let x = Matrix<Double>.randomNormal(n, 5, seed: 5)
        let knn = NearestNeighbors(queries: x, references: x, k: k, excludingSelf: true)
        let c = PerplexityCalibration.calibrate(squaredDistances: knn.squaredDistances, rows: n, width: k, perplexity: 5)
        let p = SparseAffinities(conditional: c.probabilities, neighbors: knn.indices, count: n, k: k)
        let y = Matrix<Double>.randomNormal(n, d, seed: 6).storage
        let g = TSNEGeometry(count: n, dimensions: d, dof: Double(max(d - 1, 1)))
        var exact = [Double](repeating: 0, count: n * d), bh = exact, approx = exact
        let klExact = exactKLGradient(y: y, p: p.dense(), geometry: g, computeError: true, gradient: &exact)
        let klBH = barnesHutKLGradient(y: y, p: p, geometry: g, theta: 0, computeError: true, gradient: &bh)
        _ = barnesHutKLGradient(y: y, p: p, geometry: g, theta: 0.5, computeError: false, gradient: &approx)
        #expect(maxAbsDifference(exact, bh) < 1e-12)
        #expect(abs(klExact - klBH) < 1e-9)
        let scale = exact.map(abs).max()!
        #expect(maxAbsDifference(exact, approx) < 0.05 * scale)
    }
}

@Suite("t-SNE parallel loops give the same bits for any thread count", .serialized)
struct TSNEThreadCountTests {
    @Test func neighborsAffinitiesAndGradientIgnoreThreadCount() {
        let n = 1500, k = 16
        let x = Matrix<Float>.randomNormal(n, 8, seed: 21)
        let y = Matrix<Double>.randomNormal(n, 2, seed: 22).storage
        func run() -> ([Int], [Double], [Double], Double) {
            let knn = NearestNeighbors(queries: x, references: x, k: k, excludingSelf: true)
            let c = PerplexityCalibration.calibrate(squaredDistances: knn.squaredDistances, rows: n, width: k, perplexity: 5)
            let p = SparseAffinities(conditional: c.probabilities, neighbors: knn.indices, count: n, k: k)
            var gradient = [Double](repeating: 0, count: n * 2)
            let kl = barnesHutKLGradient(y: y, p: p, geometry: TSNEGeometry(count: n, dimensions: 2, dof: 1), theta: 0.5,
                                         computeError: true, gradient: &gradient)
            return (knn.indices, knn.squaredDistances, gradient, kl)
        }
        let one = Parallel.withThreadCount(1, run)
        let four = Parallel.withThreadCount(4, run)
        #expect(one.0 == four.0)
        #expect(one.1 == four.1)
        #expect(one.2 == four.2)
        #expect(one.3 == four.3)
    }
}
