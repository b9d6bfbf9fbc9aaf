import Foundation
import LatentCore
import LatentIO
import Testing
@testable import LatentExperiments

/// Collects batch events from worker threads.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items = [BatchEvent]()

    func add(_ e: BatchEvent) { lock.lock(); items.append(e); lock.unlock() }

    var events: [BatchEvent] { lock.lock(); defer { lock.unlock() }; return items }

    var skipped: [RunKey] { events.compactMap { if case let .skipped(_, key, _) = $0 { return key }; return nil } }
    var started: [RunKey] { events.compactMap { if case let .started(_, key) = $0 { return key }; return nil } }
    var failures: [String] { events.compactMap { if case let .failed(_, _, error, _) = $0 { return error }; return nil } }
}

@Suite("Batch runner: resume, failures, interruption, jobs")
struct BatchRunnerTests {
    let folder: TemporaryFolder
    init() throws {
        folder = try TemporaryFolder()
        _ = try folder.writeToyData("toy.npy")
    }

    func batch(_ yaml: String, catalog: ExperimentCatalog = ToyMethods.catalog()) throws -> BatchFile {
        try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url, catalog: catalog)
    }

    func statuses(_ store: RunStore) throws -> [RunStatus] { try store.runs().map(\.run.status) }

    static let twoByTwo = """
        name: resume
        datasets:
          - {name: toy, path: toy.npy, label-column: 6}
        methods:
          - method: truncated-svd
            components: [1, 2]
        seeds: [0, 1]
        """

    @Test("a batch runs every grid point and seed; running it again skips them all")
    func resumeDone() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let runner = BatchRunner(store: store, catalog: ToyMethods.catalog())
        let b = try batch(Self.twoByTwo)
        let first = try runner.run(b)
        #expect(first.total == 4 && first.done == 4 && first.failed == 0 && !first.stopped)
        let runs = try store.runs()
        #expect(runs.map(\.run.status) == [.done, .done, .done, .done])
        // Default evaluations: all that apply (the dataset has labels, so label-count and few-shot
        // too), and the method's own metric (truncated-svd is pca's).
        let fewShotKeys = [1, 2, 4, 8].flatMap { ["fewshot-\($0)", "fewshot-\($0)-ci95"] }
        #expect(runs.allSatisfy { Set($0.metrics.keys) == Set(["explained-variance", "label-count", "reconstruction-error",
                                                               "explained-variance-ratio-sum"] + fewShotKeys) })
        #expect(runs.allSatisfy { ($0.metrics["fewshot-8"] ?? -1) >= 0 && ($0.metrics["fewshot-8"] ?? 2) <= 1 })
        #expect(runs.allSatisfy { $0.run.codeVersion == LatentVersion.string && $0.run.duration != nil })

        let log = EventLog()
        let second = try runner.run(b, onEvent: { log.add($0) })
        #expect(second.skippedDone == 4 && second.done == 0)
        #expect(log.skipped == b.runs && log.started.isEmpty)
        #expect(try store.runs().map(\.metrics) == runs.map(\.metrics))
        if case let .planned(total, toRun)? = log.events.first { #expect(total == 4 && toRun == 0) } else { Issue.record("no plan event first") }
    }

    @Test("new grid points are added; done runs keep their ids and results")
    func resumeNewPoints() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let runner = BatchRunner(store: store, catalog: ToyMethods.catalog())
        _ = try runner.run(try batch(Self.twoByTwo))
        let before = try store.runs()
        let wider = Self.twoByTwo.replacingOccurrences(of: "[1, 2]", with: "[1, 2, 3]").replacingOccurrences(of: "[0, 1]", with: "[0, 1, 2]")
        let log = EventLog()
        let summary = try runner.run(try batch(wider), onEvent: { log.add($0) })
        #expect(summary.total == 9 && summary.skippedDone == 4 && summary.done == 5)
        let after = try store.runs()
        #expect(after.count == 9)
        #expect(Array(after.prefix(4)).map(\.id) == before.map(\.id))
        #expect(Array(after.prefix(4)).map(\.run.startedAt) == before.map(\.run.startedAt))
        #expect(Set(log.started.map { "\($0.parameters.int("components"))/\($0.seed)" }) == ["1/2", "2/2", "3/0", "3/1", "3/2"])
    }

    @Test("a failing run is recorded with its error and the batch goes on; failed runs are redone only with retryFailed")
    func failures() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let runner = BatchRunner(store: store, catalog: ToyMethods.catalog())
        let b = try batch("""
            name: failing
            datasets: [{name: toy, path: toy.npy}]
            methods:
              - method: truncated-svd
                components: [2, 50]
              - method: toy
                fail: [false, true]
            seeds: [0, 1]
            """)
        let log = EventLog()
        let summary = try runner.run(b, onEvent: { log.add($0) })
        #expect(summary.total == 8 && summary.done == 4 && summary.failed == 4 && summary.failedNow == 4)
        #expect(summary.description == "8 runs: 4 done, 4 failed")
        let failed = try store.runs(status: .failed)
        #expect(failed.count == 4)
        #expect(failed.filter { $0.run.method == "truncated-svd" }.allSatisfy {
            $0.run.error == "PCA: parameter components 50 exceeds the 6 features" })
        #expect(failed.filter { $0.run.method == "toy" }.allSatisfy { $0.run.error == "toy: parameter fail asked to fail" })
        #expect(failed.allSatisfy { $0.metrics.isEmpty && $0.run.endedAt != nil })
        #expect(log.failures.count == 4)

        // Without the flag: failed runs are skipped but still counted.
        let again = try runner.run(b)
        #expect(again.done == 0 && again.failed == 0 && again.skippedFailed == 4 && again.failedNow == 4)
        #expect(again.description == "8 runs: 0 done, 4 skipped (done before), 4 failed before, not retried (--retry-failed)")
        // With it: redone (and fail again, being deterministic), done runs still skipped.
        let retried = try runner.run(b, options: BatchOptions(retryFailed: true))
        #expect(retried.failed == 4 && retried.skippedDone == 4 && retried.skippedFailed == 0)
        #expect(try store.runs().count == 8)
    }

    @Test("a stop request marks the running run interrupted, starts nothing new, and the next batch resumes")
    func interruption() throws {
        let stop = StopFlag()
        // The run with seed 1 asks for a stop while it fits: it must end up interrupted.
        let catalog = ToyMethods.catalog(hook: { seed in if seed == 1 { stop.stop() } })
        let store = try RunStore(path: folder.path("r.sqlite"))
        let yaml = "name: stop\ndatasets: [{name: toy, path: toy.npy}]\nmethods: [{method: toy, scale: [0.5, 1]}]\nseeds: [0, 1, 2]\n"
        let log = EventLog()
        let summary = try BatchRunner(store: store, catalog: catalog).run(try batch(yaml, catalog: catalog), stop: stop, onEvent: { log.add($0) })
        #expect(summary.stopped && summary.done == 1 && summary.interrupted == 1)
        #expect(try statuses(store) == [.done, .interrupted, .pending, .pending, .pending, .pending])
        #expect(summary.description == "6 runs: 1 done, 1 interrupted, 4 not started")
        #expect(log.events.contains { if case .interrupted = $0 { return true }; return false })

        // Resume without stopping: everything but the done run executes, with the same ids.
        let resumed = try BatchRunner(store: store, catalog: ToyMethods.catalog()).run(try batch(yaml))
        #expect(resumed.skippedDone == 1 && resumed.done == 5 && !resumed.stopped)
        #expect(try statuses(store) == Array(repeating: .done, count: 6))
        let reference = try RunStore(path: folder.path("ref.sqlite"))
        _ = try BatchRunner(store: reference, catalog: ToyMethods.catalog()).run(try batch(yaml))
        #expect(try store.runs().map(\.metrics) == reference.runs().map(\.metrics))
    }

    @Test("runs left running by a dead process are redone")
    func abandoned() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let b = try batch(Self.twoByTwo)
        let experiment = try store.registerExperiment(name: b.name, description: nil, sourcePath: nil, source: nil)
        let ids = try store.plan(experimentID: experiment, keys: b.runs).map { $0.id! }
        try store.markRunning(runID: ids[1])   // as if killed with SIGKILL
        let summary = try BatchRunner(store: store).run(b)
        #expect(summary.done == 4)
        #expect(try statuses(store) == [.done, .done, .done, .done])
    }

    @Test("several jobs give the same results as one, and restore the thread count")
    func jobs() throws {
        let yaml = Self.twoByTwo.replacingOccurrences(of: "[0, 1]", with: "[0, 1, 2, 3]")
        let serial = try RunStore(path: folder.path("serial.sqlite"))
        let parallel = try RunStore(path: folder.path("parallel.sqlite"))
        _ = try BatchRunner(store: serial).run(try batch(yaml))
        let threads = Parallel.threadCount
        let summary = try BatchRunner(store: parallel).run(try batch(yaml), options: BatchOptions(jobs: 3))
        #expect(summary.done == 8)
        #expect(Parallel.threadCount == threads)
        let a = try serial.runs(), b = try parallel.runs()
        #expect(a.map { "\($0.run.parameters)/\($0.run.seed)" } == b.map { "\($0.run.parameters)/\($0.run.seed)" })
        for (x, y) in zip(a, b) {
            for (name, value) in x.metrics { #expect(abs(value - y.metrics[name]!) <= 1e-12 * max(1, abs(value)), "\(name)") }
        }
    }

    @Test("evaluations named in the file run, including label-based ones; artifacts are saved and recorded")
    func evaluationsAndArtifacts() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let catalog = ToyMethods.catalog()
        let b = try batch("""
            name: arts
            datasets: [{name: toy, path: toy.npy, label-column: -1}]
            methods: [{method: toy, scale: 0.5}]
            evaluations: [label-count, reconstruction-error]
            artifacts: arts
            """, catalog: catalog)
        _ = try BatchRunner(store: store, catalog: catalog).run(b)
        let run = try #require(try store.runs().first)
        #expect(Set(run.metrics.keys) == ["label-count", "reconstruction-error", "scale-echo", "seed-echo"])
        #expect(run.metrics["label-count"] == 3)
        // x̂ = x/2 on the 5 feature columns: error = mean(x²)/4.
        let x = try catalog.datasets.load(b.datasets[0]).features
        let expected = x.storage.reduce(0) { $0 + $1 * $1 } / Double(x.count) / 4
        #expect(abs(run.metrics["reconstruction-error"]! - expected) < 1e-12 * expected)
        #expect(run.artifacts.map(\.name) == ["scaled"])
        let saved: Matrix<Double> = try NPY.read(URL(fileURLWithPath: run.artifacts[0].path))
        #expect(saved == x.rows(0..<2) * 0.5)
        #expect(run.artifacts[0].path == folder.path("arts/run-\(run.id)-scaled.npy"))
    }

    @Test("a dataset that cannot be loaded stops the batch before anything is written")
    func badDataset() throws {
        let b = try batch(Self.twoByTwo)
        try folder.write("toy.npy", "not an npy file")
        let store = try RunStore(path: folder.path("r.sqlite"))
        #expect(throws: BatchFileError.self) { try BatchRunner(store: store).run(b) }
        #expect(try store.experiments().isEmpty && store.runs().isEmpty)
        do {
            _ = try BatchRunner(store: store).run(b)
        } catch let error as BatchFileError {
            #expect(error.line == 3)
            #expect(error.message.hasPrefix("dataset 'toy' cannot be loaded: "))
        }
    }

    @Test("a runner whose catalog lacks a method or evaluation of the file refuses to start")
    func catalogMismatch() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let b = try batch("name: m\ndatasets: [{name: toy, path: toy.npy}]\nmethods:\n  - method: toy\n")
        #expect(throws: BatchFileError(path: "batch.yaml", line: 4, message: "method 'toy' is not known; known: autoencoder, bert, colorization, context, cpc, dict, gpt, ica, inpainting, kpca, linear-autoencoder, nmf, pca, rbm, rotation, simclr, truncated-svd, tsne, vae, word2vec")) {
            try BatchRunner(store: store).run(b)
        }
        var catalog = ToyMethods.catalog()
        let c = try batch("name: m\ndatasets: [{name: toy, path: toy.npy, label-column: 6}]\nmethods: [{method: toy}]\nevaluations: [label-count]\n")
        catalog.evaluations = .standard
        #expect(throws: BatchFileError.self) { try BatchRunner(store: store, catalog: catalog).run(c) }
        #expect(try store.runs().isEmpty)
    }

    @Test("label columns: by index, negative from the end, checked to be whole numbers")
    func labels() throws {
        let m = Matrix<Double>([[1, 2, 0], [3, 4, 1], [5, 6, 1]])
        let (x, y) = try DatasetRegistry.split(m, labelColumn: -1, path: "m.npy")
        #expect(x == Matrix([[1, 2], [3, 4], [5, 6]]) && y == [0, 1, 1])
        #expect(try DatasetRegistry.split(m, labelColumn: 0, path: "m.npy").labels == [1, 3, 5])
        #expect(throws: DatasetError(path: "m.npy", message: "label column 4 does not exist: the data has 3 columns (positions count from 1; -1 is the last)")) {
            try DatasetRegistry.split(m, labelColumn: 3, path: "m.npy")
        }
        #expect(throws: DatasetError(path: "m.npy", message: "label column 2, row 1: 0.5 is not a whole number")) {
            try DatasetRegistry.split(Matrix([[1, 0.5]]), labelColumn: 1, path: "m.npy")
        }
        let path = try folder.write("l.npy", m)
        let d = try loadDataset(DatasetSpec(name: "l", source: .file(path: path, format: "npy"), labelColumn: .index(2)))
        #expect(d.labels == [0, 1, 1] && d.features.columns == 2)
        #expect(throws: DatasetError.self) { try loadDataset(DatasetSpec(name: "l", source: .file(path: path, format: "parquet"))) }
        #expect(throws: DatasetError.self) { try loadDataset(DatasetSpec(name: "l", source: .builtin("imagenet"))) }
    }

    @Test("a VAE is a batch method: its codes are evaluated like any representation")
    func vaeBatch() throws {
        let store = try RunStore(path: folder.path("vae.sqlite"))
        let yaml = """
            name: neural
            datasets:
              - {name: toy, path: toy.npy, label-column: 6}
            methods:
              - method: vae
                likelihood: gaussian
                code-size: 2
                hidden: 8
                epochs: 2
                batch-size: 10
                beta: [1, 4]
            evaluations: [reconstruction-error, fewshot]
            """
        let summary = try BatchRunner(store: store).run(try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url, catalog: .standard))
        #expect(summary.done == 2 && summary.failed == 0)
        let runs = try store.runs()
        #expect(runs.allSatisfy { ($0.metrics["reconstruction-error"] ?? -1) > 0 && $0.metrics["final-training-loss"] != nil })
        #expect(runs.allSatisfy { ($0.metrics["fewshot-1"] ?? -1) >= 0 })
    }
}
