import Foundation
import LatentCore
import LatentDecomposition
import LatentEval
import LatentIO
import Testing
@testable import LatentExperiments

/// `evaluations: [disentanglement]` on datasets that carry their generative factors.
@Suite("Disentanglement as a batch evaluation")
struct DisentanglementEvaluationTests {
    /// A small version of the standard evaluation and of the built-in dataset, for debug-build speed.
    static let evaluation = EvaluationRegistry.disentanglement(votes: 20, batchSize: 8)

    @Test("the evaluation scores the representation as DisentanglementScores does, on the dataset's rows and its generator")
    func matchesTheLibrary() throws {
        let data = DatasetRegistry.dsprites(name: "dsprites", rows: 200)
        #expect(data.features.rows == 200 && data.features.columns == 4096 && data.labels == data.groundTruth!.factors.map { $0[0] })
        let pca = try PCA<Double>(components: 4, seed: 1).fit(data.features)
        let metrics = try Self.evaluation.evaluate(data, FittedModel(pca))
        let truth = GroundTruth<Double>(factorSizes: DSprites.factorSizes) { rows in try! pca.transform(DSprites.images(rows.map(DSprites.index(of:)))) }
        let direct = try DisentanglementScores.compute(codes: pca.transform(data.features), factors: data.groundTruth!.factors, truth: truth,
                                                       votes: 20, batchSize: 8, importance: .gradientBoostedTrees(), seed: 0)
        #expect(metrics["mig"] == direct.mig && metrics["sap"] == direct.sap)
        #expect(metrics["dci-disentanglement"] == direct.dci.disentanglement && metrics["dci-informativeness"] == direct.dci.informativeness)
        #expect(metrics["factorvae-score"] == direct.factorVAE && metrics["beta-vae-score"] == direct.betaVAE)
        #expect(metrics.count == 7 && metrics.values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test("a batch names it on a dataset with factors; a dataset without them is refused at parse time")
    func inABatch() throws {
        let folder = try TemporaryFolder()
        _ = try folder.writeToyData("toy.npy")
        var catalog = ExperimentCatalog.standard
        catalog.evaluations.register(Self.evaluation)
        catalog.datasets.register(builtin: "dsprites-small", hasGroundTruth: true) { spec in DatasetRegistry.dsprites(name: spec.name, rows: 200) }
        let yaml = """
            name: factors
            datasets:
              - {name: sprites, builtin: dsprites-small}
            methods:
              - method: pca
                components: 3
            """
        let store = try RunStore(path: folder.path("d.sqlite"))
        let summary = try BatchRunner(store: store, catalog: catalog).run(
            try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url, catalog: catalog))
        #expect(summary.done == 1)
        let metrics = try #require(try store.runs().first).metrics   // default evaluations include it: the dataset has factors
        #expect(["mig", "sap", "dci-completeness", "factorvae-score", "beta-vae-score", "fewshot-1"].allSatisfy { metrics[$0] != nil })

        let refused = """
            name: no-factors
            datasets:
              - {name: toy, path: toy.npy, label-column: 6}
            methods:
              - method: pca
            evaluations: [disentanglement]
            """
        #expect(throws: BatchFileError.self) { try BatchFile.parse(yaml: refused, path: "batch.yaml", baseDirectory: folder.url, catalog: catalog) }
        do {
            _ = try BatchFile.parse(yaml: refused, path: "batch.yaml", baseDirectory: folder.url, catalog: catalog)
        } catch {
            #expect("\(error)".contains("evaluation 'disentanglement' needs a dataset with generative factors (builtin: dsprites, dsprites-small); dataset 'toy'"), "\(error)")
        }
    }
}
