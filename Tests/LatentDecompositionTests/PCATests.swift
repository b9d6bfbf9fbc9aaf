import LatentCore
import LatentDecomposition
import LatentTestSupport
import Testing

/// Relative difference of two arrays: max |a − b| / max |b|.
func relativeDifference<S: BLASScalar>(_ a: [S], _ b: [S]) -> Double {
    let scale = b.reduce(0.0) { Swift.max($0, Double(Swift.abs($1))) }
    return maxAbsDifference(a, b) / Swift.max(scale, .leastNormalMagnitude)
}

@Suite("PCA")
struct PCATests {
    static let solvers: [PCASolver] = [.full, .covarianceEigen, .randomized]

    @Test("every solver matches scikit-learn (Double, 1e-5 relative)", arguments: solvers)
    func matchesScikitLearn(solver: PCASolver) throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let model = try PCA<Double>(components: .count(8), solver: solver).fit(x)
        #expect(model.method.rawValue == solver.rawValue)
        #expect(relativeError(model.components, try Fixtures.matrix("pca/components")) < 1e-5)
        #expect(relativeDifference(model.explainedVariance, try Fixtures.vector("pca/explained_variance")) < 1e-5)
        #expect(relativeDifference(model.explainedVarianceRatio, try Fixtures.vector("pca/explained_variance_ratio")) < 1e-5)
        #expect(relativeDifference(model.singularValues, try Fixtures.vector("pca/singular_values")) < 1e-5)
        #expect(relativeDifference([model.noiseVariance], try Fixtures.vector("pca/noise_variance")) < 1e-5)
        #expect(relativeDifference(model.mean, try Fixtures.vector("pca/mean")) < 1e-12)
        let xNew = try Fixtures.matrix("pca/x_new", as: Double.self)
        let z = try model.transform(xNew)
        #expect(relativeError(z, try Fixtures.matrix("pca/transform_new")) < 1e-5)
        #expect(relativeError(try model.inverseTransform(z), try Fixtures.matrix("pca/inverse_new")) < 1e-5)
    }

    @Test("randomized normalisers all converge", arguments: RandomizedSVD.Normalizer.allCases)
    func normalizers(normalizer: RandomizedSVD.Normalizer) throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let model = try PCA<Double>(components: .count(8), solver: .randomized, powerIterations: 4, normalizer: normalizer, seed: 7).fit(x)
        #expect(relativeError(model.components, try Fixtures.matrix("pca/components")) < 1e-5)
        #expect(relativeDifference(model.explainedVariance, try Fixtures.vector("pca/explained_variance")) < 1e-5)
    }

    @Test("wide data (randomized works on the transpose) matches the full SVD")
    func wideData() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self).rows(0..<20)         // 20 × 30
        let full = try PCA<Double>(components: .count(3), solver: .full).fit(x)
        let fast = try PCA<Double>(components: .count(3), solver: .randomized, powerIterations: 10).fit(x)
        #expect(relativeError(fast.components, full.components) < 1e-6)
        #expect(relativeDifference(fast.explainedVarianceRatio, full.explainedVarianceRatio) < 1e-8)
        #expect(relativeDifference([fast.noiseVariance], [full.noiseVariance]) < 1e-8)
    }

    @Test("whitening matches scikit-learn and gives unit-variance projections")
    func whitening() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        for solver in Self.solvers {
            let model = try PCA<Double>(components: .count(8), whiten: true, solver: solver).fit(x)
            let xNew = try Fixtures.matrix("pca/x_new", as: Double.self)
            #expect(relativeError(try model.transform(xNew), try Fixtures.matrix("pca/whiten_transform_new")) < 1e-5)
            let variances = try model.transform(x).variance(over: .rows, ddof: 1)
            #expect(maxAbsDifference(variances, [Double](repeating: 1, count: 8)) < 1e-8)
            let z = try model.transform(xNew)
            #expect(relativeError(try model.inverseTransform(z), try Fixtures.matrix("pca/inverse_new")) < 1e-5)
        }
    }

    @Test("a variance fraction keeps as many components as scikit-learn")
    func varianceFraction() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let expected = Int(try Fixtures.vector("pca/fraction_components", as: Double.self)[0])
        for solver in [PCASolver.full, .covarianceEigen, .auto] {
            let model = try PCA<Double>(components: .varianceFraction(0.9), solver: solver).fit(x)
            #expect(model.outputFeatures == expected)
            #expect(relativeDifference([model.noiseVariance], try Fixtures.vector("pca/fraction_noise_variance")) < 1e-5)
            let kept = model.explainedVarianceRatio.reduce(0, +)
            #expect(kept > 0.9 && kept - model.explainedVarianceRatio.last! <= 0.9)
        }
        #expect(throws: EstimatorError.self) { try PCA<Double>(components: .varianceFraction(0.9), solver: .randomized).fit(x) }
        #expect(throws: EstimatorError.self) { try PCA<Double>(components: .varianceFraction(1.5)).fit(x) }
    }

    @Test("covariance and precision match scikit-learn and are inverses")
    func covarianceAndPrecision() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let model = try PCA<Double>(components: .count(8)).fit(x)
        let c = model.covariance(), p = try model.precision()
        #expect(relativeError(c, try Fixtures.matrix("pca/covariance")) < 1e-5)
        #expect(relativeError(p, try Fixtures.matrix("pca/precision")) < 1e-5)
        #expect(maxAbsDifference(c * p, .identity(30)) < 1e-8)
    }

    @Test("rank-deficient data: top components match scikit-learn, all components reconstruct exactly")
    func rankDeficient() throws {
        let x = try Fixtures.matrix("pca/xr", as: Double.self)                   // 100 × 20, rank 6
        for solver in Self.solvers {
            let model = try PCA<Double>(components: .count(4), solver: solver).fit(x)
            #expect(relativeError(model.components, try Fixtures.matrix("pca/xr_components")) < 1e-5)
            #expect(relativeDifference(model.explainedVariance, try Fixtures.vector("pca/xr_explained_variance")) < 1e-5)
            #expect(relativeDifference(model.explainedVarianceRatio, try Fixtures.vector("pca/xr_explained_variance_ratio")) < 1e-5)
            #expect(relativeDifference(model.singularValues, try Fixtures.vector("pca/xr_singular_values")) < 1e-5)
            #expect(relativeDifference([model.noiseVariance], try Fixtures.vector("pca/xr_noise_variance")) < 1e-5)
            let six = try PCA<Double>(components: .count(6), solver: solver).fit(x)
            #expect(relativeError(try six.inverseTransform(try six.transform(x)), x) < 1e-10)
            #expect(Swift.abs(six.explainedVarianceRatio.reduce(0, +) - 1) < 1e-10)
        }
    }

    @Test("identities: orthonormal components, projection variances, reconstruction, sign convention")
    func identities() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        for solver in Self.solvers {
            let model = try PCA<Double>(components: .count(8), solver: solver).fit(x)
            #expect(maxAbsDifference(model.components.gram(transpose: false), .identity(8)) < 1e-10)
            let z = try model.transform(x)
            #expect(maxAbsDifference(z.variance(over: .rows, ddof: 1), model.explainedVariance) < 1e-8)
            for i in 0..<8 {
                let row = model.components.row(i)
                let largest = row.max { Swift.abs($0) < Swift.abs($1) }!
                #expect(largest > 0)
            }
        }
        let all = try PCA<Double>(components: .all).fit(x)
        #expect(all.outputFeatures == 30 && all.noiseVariance == 0)
        #expect(relativeError(try all.inverseTransform(try all.transform(x)), x) < 1e-12)
        #expect(Swift.abs(all.explainedVarianceRatio.reduce(0, +) - 1) < 1e-12)
    }

    @Test("Float runs every solver close to the Double reference", arguments: solvers)
    func float(solver: PCASolver) throws {
        let x = try Fixtures.matrix("pca/x", as: Float.self)
        let model = try PCA<Float>(components: .count(8), solver: solver).fit(x)
        #expect(relativeError(model.components, try Fixtures.matrix("pca/components", as: Float.self)) < 2e-3)
        #expect(relativeDifference(model.explainedVarianceRatio, try Fixtures.vector("pca/explained_variance_ratio", as: Float.self)) < 1e-4)
        let z = try model.transform(try Fixtures.matrix("pca/x_new", as: Float.self))
        #expect(relativeError(z, try Fixtures.matrix("pca/transform_new", as: Float.self)) < 2e-3)
    }

    @Test("auto picks the documented solver")
    func autoRule() {
        let pca = PCA<Float>(components: 50)
        #expect(pca.resolvedSolver(samples: 60000, features: 784) == .covarianceEigen)
        #expect(pca.resolvedSolver(samples: 300, features: 200) == .full)
        #expect(pca.resolvedSolver(samples: 1000, features: 5000) == .randomized)
        #expect(PCA<Float>(components: 900).resolvedSolver(samples: 1000, features: 5000) == .full)
        #expect(PCA<Float>(components: .all).resolvedSolver(samples: 1000, features: 5000) == .full)
    }

    @Test("the same seed gives the same randomized result")
    func seeded() throws {
        let x = try Fixtures.matrix("pca/x", as: Float.self)
        let a = try PCA<Float>(components: .count(5), solver: .randomized, powerIterations: 1, seed: 3).fit(x)
        let b = try PCA<Float>(components: .count(5), solver: .randomized, powerIterations: 1, seed: 3).fit(x)
        #expect(a == b)
    }

    @Test("bad input throws clear errors")
    func badInput() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        #expect(throws: EstimatorError.tooFewSamples(method: "PCA", samples: 5, needed: 8)) {
            try PCA<Double>(components: 8).fit(x.rows(0..<5))
        }
        #expect(throws: EstimatorError.tooFewSamples(method: "PCA", samples: 1, needed: 2)) { try PCA<Double>(components: 1).fit(x.rows(0..<1)) }
        #expect(throws: EstimatorError.self) { try PCA<Double>(components: 31).fit(x) }
        #expect(throws: EstimatorError.self) { try PCA<Double>(components: 0).fit(x) }
        var bad = x
        bad[3, 4] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "PCA", row: 3, column: 4)) { try PCA<Double>(components: 2).fit(bad) }
        let model = try PCA<Double>(components: 2).fit(x)
        #expect(throws: EstimatorError.featureMismatch(method: "PCA", expected: 30, got: 29)) {
            try model.transform(x.columns(0..<29))
        }
        #expect(throws: EstimatorError.self) { try model.inverseTransform(Matrix<Double>.zeros(2, 3)) }
    }

    @Test("fitted models round-trip through Codable")
    func codable() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let model = try PCA<Double>(components: 3, whiten: true).fit(x)
        let data = try JSONEncoder().encode(model)
        #expect(try JSONDecoder().decode(PCAModel<Double>.self, from: data) == model)
    }
}

import Foundation

@Suite("RandomizedSVD")
struct RandomizedSVDTests {
    /// A matrix with singular values 0.7^j: the truncated SVD is well separated.
    func decaying(_ m: Int, _ n: Int) throws -> Matrix<Double> {
        let u = try Matrix<Double>.randomNormal(m, Swift.min(m, n), seed: 1).qr().q
        let v = try Matrix<Double>.randomNormal(n, Swift.min(m, n), seed: 2).qr().q
        let s = (0..<Swift.min(m, n)).map { Double.pow(0.7, Double($0)) }
        return Matrix.gemm(u.multiplying(row: s), v, transposeB: true)
    }

    @Test("tall and wide, centred or not: matches the exact SVD's leading triplets", arguments: [(60, 25), (25, 60)])
    func matchesExact(shape: (Int, Int)) throws {
        let base = try decaying(shape.0, shape.1)
        let offset = (0..<shape.1).map { Double($0) / 10 }
        for centering in [nil, offset] {
            let a = centering.map { base.adding(row: $0) } ?? base
            let r = try RandomizedSVD.decompose(a, rank: 5, centering: centering, seed: 4)
            #expect(r.u.rows == shape.0 && r.u.columns == 5 && r.vt.rows == 5 && r.vt.columns == shape.1)
            let exact = try base.svd()
            #expect(relativeDifference(r.s, Array(exact.s[0..<5])) < 1e-10)
            // U·S·Vᵀ equals the exact rank-5 truncation of the (centred) matrix.
            let approx = Matrix.gemm(r.u.multiplying(row: r.s), r.vt)
            let best = Matrix.gemm(exact.u.columns(0..<5).multiplying(row: Array(exact.s[0..<5])), exact.vt.rows(0..<5))
            #expect(maxAbsDifference(approx, best) < 1e-10)
            #expect(maxAbsDifference(r.u.gram(), .identity(5)) < 1e-12)
            #expect(maxAbsDifference(r.vt.gram(transpose: false), .identity(5)) < 1e-12)
        }
    }

    @Test("the range finder returns an orthonormal basis of the dominant range")
    func rangeFinder() throws {
        let a = try decaying(80, 30)
        var rng = Xoshiro256StarStar(seed: 9)
        let q = try RandomizedSVD.rangeFinder(a, size: 12, powerIterations: 3, normalizer: .qr, using: &rng)
        #expect(q.rows == 80 && q.columns == 12)
        #expect(maxAbsDifference(q.gram(), .identity(12)) < 1e-12)
        // ‖A − QQᵀA‖ is about σ₁₃ = 0.7¹².
        let residual = a - Matrix.gemm(q, Matrix.gemm(q, a, transposeA: true))
        #expect(Double(residual.frobeniusNorm()) < 2 * Double.pow(0.7, 12))
        #expect(RandomizedSVD.defaultPowerIterations(rank: 5, rows: 1000, columns: 100) == 7)
        #expect(RandomizedSVD.defaultPowerIterations(rank: 50, rows: 1000, columns: 100) == 4)
    }
}
