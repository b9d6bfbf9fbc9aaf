import Foundation
import LatentCore
import LatentDecomposition
import LatentIO
import LatentTestSupport
import Testing
@testable import LatentExperiments

@Suite("truncated-svd method and the standard evaluations")
struct TruncatedSVDTests {
    /// docs/examples/blobs.npy: 150 × 6 features plus the label column.
    static func blobs() throws -> Dataset {
        let url = Fixtures.folder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/blobs.npy")
        let (x, labels) = try DatasetRegistry.split(try NPY.read(url), labelColumn: -1, path: url.path)
        return Dataset(name: "blobs", features: x, labels: labels)
    }

    func metrics(_ data: Dataset, _ parameters: Parameters) throws -> [String: Double] {
        let spec = MethodRegistry.standard["truncated-svd"]!
        let model = try spec.fit(data.features, try spec.resolve(parameters), 0)
        var m = model.metrics
        for e in [EvaluationRegistry.reconstructionError, EvaluationRegistry.explainedVariance] {
            m.merge(try e.evaluate(data, model)) { _, b in b }
        }
        return m
    }

    @Test("explained variance and reconstruction error match scikit-learn PCA for k = 1…6, both solvers")
    func matchesScikitLearn() throws {
        let data = try Self.blobs()
        #expect(data.features.columns == 6 && data.features.rows == 150)
        let reference: Matrix<Double> = try Fixtures.matrix("experiments/blobs_pca")
        for i in 0..<reference.rows {
            let k = Int(reference[i, 0])
            for solver in ["svd", "eigen"] {
                let m = try metrics(data, ["components": .int(k), "solver": .string(solver)])
                #expect(abs(m["explained-variance"]! - reference[i, 1]) < 1e-10, "k=\(k) \(solver)")
                #expect(abs(m["reconstruction-error"]! - reference[i, 2]) < 1e-9 * max(1, reference[i, 2]), "k=\(k) \(solver)")
            }
        }
    }

    /// The `PCAModel` the alias fits.
    func fit(_ x: Matrix<Double>, _ parameters: Parameters) throws -> PCAModel<Double> {
        let spec = MethodRegistry.standard["truncated-svd"]!
        return try #require(try spec.fit(x, try spec.resolve(parameters), 0).state as? PCAModel<Double>)
    }

    @Test("components are orthonormal, the solvers agree, and the error is the tail of the spectrum")
    func identities() throws {
        let data = try Self.blobs()
        let x = data.features
        let svd = try fit(x, ["components": .int(3), "solver": .string("svd")])
        let eig = try fit(x, ["components": .int(3), "solver": .string("eigen")])
        #expect(svd.method == .full && eig.method == .covarianceEigen)
        let gram = Matrix.gemm(svd.components, svd.components, transposeB: true)
        #expect(gram.storage.indices.allSatisfy { abs(gram.storage[$0] - (($0 / 3 == $0 % 3) ? 1 : 0)) < 1e-12 })
        // Sign convention makes the two solvers' components equal, not just the subspaces.
        #expect(zip(svd.components.storage, eig.components.storage).allSatisfy { abs($0 - $1) < 1e-8 })
        #expect(zip(svd.singularValues, eig.singularValues).allSatisfy { abs($0 - $1) < 1e-8 * $0 })
        // ‖Xc − X̂‖² = Σ_{i>k} sᵢ² (Eckart–Young).
        let all = try x.centered().centered.singularValues()
        let tail = all[3...].reduce(0) { $0 + $1 * $1 }
        let xHat = try svd.inverseTransform(svd.transform(x))
        let sse = zip(x.storage, xHat.storage).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(abs(sse - tail) < 1e-9 * tail)
        // Uncentred (scikit-learn's TruncatedSVD): no mean is removed, the components are the top
        // right singular vectors of the raw data.
        let raw = try fit(x, ["components": .int(2), "center": .bool(false)])
        #expect(raw.mean.allSatisfy { $0 == 0 })
        var vt = try x.svd().vt.rows(0..<2)
        vt.flipSignsSoLargestEntryIsPositive()
        #expect(zip(raw.components.storage, vt.storage).allSatisfy { abs($0 - $1) < 1e-10 })
    }

    @Test("bad input is PCA's thrown EstimatorError, with the numbers in the message")
    func errors() throws {
        let data = try Self.blobs()
        #expect(throws: EstimatorError.invalidParameter(method: "PCA", name: "components", reason: "7 exceeds the 6 features")) {
            try metrics(data, ["components": .int(7)])
        }
        var x = Matrix<Double>.ones(4, 3)
        x[2, 1] = .nan
        for center in [true, false] {
            #expect(throws: EstimatorError.nonFinite(method: "PCA", row: 2, column: 1)) { try fit(x, ["components": .int(1), "center": .bool(center)]) }
        }
        #expect(throws: EstimatorError.tooFewSamples(method: "PCA", samples: 1, needed: 2)) {
            try fit(.ones(1, 3), ["components": .int(1)])
        }
        #expect(throws: EstimatorError.invalidData(method: "explained-variance", reason: "the data has zero variance")) {
            let flat = Dataset(name: "flat", features: .ones(5, 3))
            let model = FittedModel(outputFeatures: 3, transform: { $0 }, reconstruct: { $0 })
            _ = try EvaluationRegistry.explainedVariance.evaluate(flat, model)
        }
    }

    @Test("artifacts: components, singular values and mean")
    func artifacts() throws {
        let data = try Self.blobs()
        let spec = MethodRegistry.standard["truncated-svd"]!
        let model = try spec.fit(data.features, try spec.resolve(["components": .int(2)]), 0)
        #expect(model.outputFeatures == 2)
        #expect(Set(model.artifacts.keys) == ["components", "singular-values", "mean"])
        #expect(model.artifacts["components"]!.shape == (2, 6))
        #expect(try model.transform(data.features).shape == (150, 2))
    }
}
