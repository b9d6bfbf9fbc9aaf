import Foundation
import LatentCore
import LatentDecomposition
import LatentTestSupport
import Testing

@Suite("IncrementalPCA")
struct IncrementalPCATests {
    @Test("partialFit on batches of 50 equals scikit-learn's IncrementalPCA")
    func matchesScikitLearn() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        var ipca = IncrementalPCA<Double>(components: 8)
        for start in stride(from: 0, to: 200, by: 50) { try ipca.partialFit(x.rows(start..<start + 50)) }
        #expect(ipca.samplesSeen == 200)
        let model = try ipca.model()
        #expect(model.method == .incremental)
        #expect(relativeError(model.components, try Fixtures.matrix("pca/ipca_components")) < 1e-5)
        #expect(relativeDifference(model.explainedVariance, try Fixtures.vector("pca/ipca_explained_variance")) < 1e-5)
        #expect(relativeDifference(model.explainedVarianceRatio, try Fixtures.vector("pca/ipca_explained_variance_ratio")) < 1e-5)
        #expect(relativeDifference(model.singularValues, try Fixtures.vector("pca/ipca_singular_values")) < 1e-5)
        #expect(relativeDifference([model.noiseVariance], try Fixtures.vector("pca/ipca_noise_variance")) < 1e-5)
        #expect(relativeDifference(model.mean, try Fixtures.vector("pca/ipca_mean")) < 1e-12)
    }

    @Test("fit(batchSize:) merges a short tail like scikit-learn's gen_batches")
    func fitInBatches() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let model = try IncrementalPCA<Double>(components: 8).fit(x, batchSize: 64)
        #expect(relativeError(model.components, try Fixtures.matrix("pca/ipca64_components")) < 1e-5)
        #expect(relativeDifference(model.explainedVariance, try Fixtures.vector("pca/ipca64_explained_variance")) < 1e-5)
    }

    @Test("close to batch PCA; Float works too")
    func closeToPCA() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let pca = try PCA<Double>(components: 8).fit(x)
        let incremental = try IncrementalPCA<Double>(components: 8, batchSize: 40).fit(x)
        // Truncating to k after each batch is an approximation; with k = 8 the top 3 components
        // of this decaying spectrum agree to ~5e-4 (scikit-learn's IncrementalPCA gives the same).
        #expect(relativeError(incremental.components.rows(0..<3), pca.components.rows(0..<3)) < 2e-3)
        #expect(relativeDifference(Array(incremental.explainedVarianceRatio[0..<3]), Array(pca.explainedVarianceRatio[0..<3])) < 1e-4)
        #expect(relativeDifference(incremental.mean, pca.mean) < 1e-12)
        let xf = try Fixtures.matrix("pca/x", as: Float.self)
        let floatModel = try IncrementalPCA<Float>(components: 8, batchSize: 50).fit(xf)
        #expect(relativeError(floatModel.components, try Fixtures.matrix("pca/ipca_components", as: Float.self)) < 2e-3)
        let z = try floatModel.transform(xf)
        #expect(z.rows == 200 && z.columns == 8)
    }

    @Test("all components of full batches reconstruct exactly")
    func reconstruction() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        let model = try IncrementalPCA<Double>(components: 30, whiten: true).fit(x, batchSize: 100)
        #expect(relativeError(try model.inverseTransform(try model.transform(x)), x) < 1e-10)
    }

    @Test("bad input throws clear errors")
    func badInput() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self)
        var ipca = IncrementalPCA<Double>(components: 8)
        #expect(throws: EstimatorError.tooFewSamples(method: "IncrementalPCA", samples: 0, needed: 2)) { try ipca.model() }
        #expect(throws: EstimatorError.tooFewSamples(method: "IncrementalPCA", samples: 5, needed: 8)) {
            try ipca.partialFit(x.rows(0..<5))
        }
        try ipca.partialFit(x.rows(0..<20))
        #expect(throws: EstimatorError.featureMismatch(method: "IncrementalPCA", expected: 30, got: 10)) {
            try ipca.partialFit(x.rows(20..<40).columns(0..<10))
        }
        var bad = x.rows(20..<40)
        bad[1, 2] = .infinity
        #expect(throws: EstimatorError.nonFinite(method: "IncrementalPCA", row: 1, column: 2)) { try ipca.partialFit(bad) }
        #expect(ipca.samplesSeen == 20)
        #expect(throws: EstimatorError.self) { try IncrementalPCA<Double>(components: 31).fit(x) }
    }
}
