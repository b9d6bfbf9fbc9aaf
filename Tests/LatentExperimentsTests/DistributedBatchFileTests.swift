import Foundation
import LatentCore
import Synchronization
import Testing
@testable import LatentExperiments

@Suite("Batch files marked distributed: methods checked when parsed, every fit through the runner's fitter")
struct DistributedBatchFileTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        _ = try folder.writeToyData("wine.npy")
    }

    /// The toy catalog in which `toy` may run distributed, except with `mode: b`.
    var catalog: ExperimentCatalog {
        var catalog = ToyMethods.catalog()
        catalog.distributedMethods = ["toy": { p in p.string("mode") == "b" ? "mode 'b' is single-process" : nil }]
        return catalog
    }

    /// A batch of `entry` (a method entry's lines, from line 6) with `tail` as its last line.
    func text(_ entry: String, _ tail: String) -> String {
        """
        name: d
        datasets:
          - name: wine
            path: wine.npy
        methods:
        \(entry)
        seeds: [0, 1]
        \(tail)
        """
    }

    func parse(_ yaml: String) throws -> BatchFile {
        try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url, catalog: catalog)
    }

    /// Expects `yaml` to be rejected at `line` with a message containing `fragment`.
    func expectRejected(_ yaml: String, line: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(yaml)
            Issue.record("accepted; expected line \(line): \(fragment)", sourceLocation: sourceLocation)
        } catch let error as BatchFileError {
            #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("distributed: true parses for a method with a distributed fit; false or absent is a plain batch")
    func parses() throws {
        let toy = "  - method: toy\n    scale: [1, 2]"
        #expect(try parse(text(toy, "distributed: true")).distributed)
        #expect(try !parse(text(toy, "distributed: false")).distributed)
        #expect(try !parse(text(toy, "")).distributed)
        // any method may be named when the batch is not distributed
        #expect(try !parse(text("  - method: truncated-svd", "distributed: false")).distributed)
    }

    @Test("a method without a distributed fit, a grid point its check refuses, and a non-boolean are refused with their lines")
    func refusals() {
        expectRejected(text("  - method: truncated-svd", "distributed: true"), line: 6,
                       "method 'truncated-svd' cannot run in a distributed batch (distributed: true, line 8); methods that can: toy")
        expectRejected(text("  - method: toy\n    mode: [a, b]", "distributed: true"), line: 6,
                       "method 'toy' in a distributed batch: mode 'b' is single-process")
        expectRejected(text("  - method: toy", "distributed: yes please"), line: 8, "'distributed' must be true or false")
    }

    @Test("the runner refuses a distributed batch without a fitter or with several jobs, and fits every run through the fitter")
    func runnerUsesTheFitter() throws {
        let batch = try parse(text("  - method: toy\n    scale: [1, 2]", "distributed: true"))
        let store = try RunStore(path: folder.path("r.sqlite"))
        let runner = BatchRunner(store: store, catalog: catalog)
        #expect(throws: BatchFileError.self) { try runner.run(batch) }
        let calls = Mutex<[RunKey]>([])
        let fitter: BatchOptions.Fitter = { key, dataset in
            calls.withLock { $0.append(key) }
            return try ToyMethods.toy().fit(dataset.features, key.parameters, key.seed)
        }
        #expect(throws: BatchFileError.self) { try runner.run(batch, options: BatchOptions(jobs: 2, fitter: fitter)) }
        #expect(try store.runs().isEmpty, "a refused batch records nothing")

        let summary = try runner.run(batch, options: BatchOptions(fitter: fitter))
        #expect(summary.done == 4 && summary.failed == 0)
        #expect(calls.withLock { $0 } == batch.runs)
        #expect(try store.runs().allSatisfy { $0.run.status == .done && $0.metrics["scale-echo"] == $0.run.parameterValues.double("scale") })
    }
}
