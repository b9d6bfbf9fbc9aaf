import Foundation
import LatentCore
import LatentTestSupport
import Testing
@testable import LatentExperiments

@Suite("docs/examples batch files run end to end")
struct ExampleTests {
    static let examples = Fixtures.folder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/examples")

    @Test("blobs-baselines.yaml: parse, run, resume, compare (values from scikit-learn PCA)")
    func blobsBaselines() throws {
        let folder = try TemporaryFolder()
        let batch = try BatchFile.load(path: Self.examples.appendingPathComponent("blobs-baselines.yaml").path)
        #expect(batch.name == "blobs-baselines")
        #expect(batch.runs.count == (2 * 2 + 1) * 2)
        let store = try RunStore(path: folder.path("results.sqlite"))
        let summary = try BatchRunner(store: store).run(batch)
        #expect(summary.done == 10 && summary.failedNow == 0)
        #expect(try BatchRunner(store: store).run(batch).skippedDone == 10)

        let rows = Comparison.aggregate(try store.runs(experiment: "blobs-baselines"), metrics: ["explained-variance"])
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.seeds == [0, 1] && $0.metrics["explained-variance"]!.standardDeviation == 0 })
        let reference: Matrix<Double> = try Fixtures.matrix("experiments/blobs_pca")
        let centred = rows.filter { $0.parameters.contains(#""center":true"#) }
        #expect(centred.map(\.parameters) == [#"{"center":true,"components":2,"solver":"svd"}"#,
                                              #"{"center":true,"components":3,"solver":"svd"}"#,
                                              #"{"center":true,"components":4,"solver":"eigen"}"#])
        for (row, k) in zip(centred, [2, 3, 4]) {
            #expect(abs(row.metrics["explained-variance"]!.mean - reference[k - 1, 1]) < 1e-10)
        }
    }

    @Test("wine-baselines.yaml (the README's form): CSV with a named label column, PCA grid and ICA, few-shot")
    func wineBaselines() throws {
        let folder = try TemporaryFolder()
        let batch = try BatchFile.load(path: Self.examples.appendingPathComponent("wine-baselines.yaml").path)
        #expect(batch.name == "wine-baselines")
        #expect(batch.runs.count == (2 * 2 + 1) * 2)
        let store = try RunStore(path: folder.path("wine.sqlite"))
        let summary = try BatchRunner(store: store).run(batch)
        #expect(summary.done == 10 && summary.failedNow == 0)
        let rows = Comparison.aggregate(try store.runs(experiment: "wine-baselines"), metrics: ["explained-variance", "fewshot-1"])
        #expect(rows.count == 5)
        // Unstandardised wine: proline (variance ~1e5) dominates, so two components keep > 99.8%.
        for row in rows where row.method == "pca" {
            #expect(row.metrics["explained-variance"]!.mean > 0.998)
            #expect(row.metrics["fewshot-1"]!.mean > 1.0 / 3)
        }
    }
}
