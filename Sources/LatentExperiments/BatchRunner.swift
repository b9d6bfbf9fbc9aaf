import Foundation
import Synchronization
import LatentCore
import LatentIO

/// How a batch runs.
public struct BatchOptions: Sendable {
    /// Runs executed at once (≥ 1). With more than one, the runs go to threads of their own
    /// (`Parallel.runJobs`), each single-threaded inside, so the numbers equal one run at a time;
    /// the process's thread counts are not changed.
    public var jobs: Int
    /// Whether runs that failed before are run again (otherwise they are skipped and still count as failed).
    public var retryFailed: Bool
    /// Fits a run's model in place of its method's own `fit(dataset.features, parameters, seed)`.
    public typealias Fitter = @Sendable (_ key: RunKey, _ dataset: Dataset) throws -> FittedModel
    /// The fitter of every run: a batch marked `distributed: true` needs one that fits in lockstep
    /// with the other ranks of an MPI job (`latent batch` under `mpirun`). Called on the thread
    /// that called `run` when `jobs` is 1. `nil`: each method's own fit.
    public var fitter: Fitter?

    /// Options; defaults: one job, failed runs not retried, each method's own fit.
    public init(jobs: Int = 1, retryFailed: Bool = false, fitter: Fitter? = nil) {
        precondition(jobs >= 1, "BatchOptions: jobs must be at least 1, got \(jobs)")
        self.jobs = jobs
        self.retryFailed = retryFailed
        self.fitter = fitter
    }
}

/// What happens during a batch, reported as it happens (from worker threads).
public enum BatchEvent: Sendable {
    /// The plan: how many runs the file asks for and how many will execute now.
    case planned(total: Int, toRun: Int)
    /// A run was not executed: done already, or failed before and `retryFailed` is off.
    case skipped(runID: Int64, key: RunKey, status: RunStatus)
    /// A run started.
    case started(runID: Int64, key: RunKey)
    /// A run finished with these metrics after `duration` seconds.
    case finished(runID: Int64, key: RunKey, metrics: [String: Double], duration: Double)
    /// A run threw; its error text is stored.
    case failed(runID: Int64, key: RunKey, error: String, duration: Double)
    /// A run was stopped by the stop flag and marked `interrupted`.
    case interrupted(runID: Int64, key: RunKey)
}

/// How a batch ended.
public struct BatchSummary: Sendable, Equatable {
    /// The experiment's row id.
    public let experimentID: Int64
    /// Runs the batch file asks for.
    public let total: Int
    /// Runs not executed because they were done before.
    public let skippedDone: Int
    /// Runs not executed because they failed before (no `retryFailed`).
    public let skippedFailed: Int
    /// Runs that finished in this batch.
    public let done: Int
    /// Runs that failed in this batch.
    public let failed: Int
    /// Runs stopped by the stop flag in this batch.
    public let interrupted: Int
    /// Whether the stop flag ended the batch early (some runs may not have started).
    public let stopped: Bool

    /// Runs of the file that are failed now: failed in this batch or skipped as failed before.
    public var failedNow: Int { failed + skippedFailed }

    /// One line, e.g. `8 runs: 5 done, 1 skipped (done before), 2 failed`.
    public var description: String {
        var parts = ["\(done) done"]
        if skippedDone > 0 { parts.append("\(skippedDone) skipped (done before)") }
        if failed > 0 { parts.append("\(failed) failed") }
        if skippedFailed > 0 { parts.append("\(skippedFailed) failed before, not retried (--retry-failed)") }
        if interrupted > 0 { parts.append("\(interrupted) interrupted") }
        let rest = total - done - skippedDone - failed - skippedFailed - interrupted
        if rest > 0 { parts.append("\(rest) not started") }
        return "\(total) runs: " + parts.joined(separator: ", ")
    }
}

/// Runs a batch file's runs and records them in a `RunStore`.
///
/// Resuming: runs are identified by `RunKey`; running the same file again skips `done` runs,
/// redoes `pending` and `interrupted` ones, redoes `failed` ones only with `retryFailed`, and adds
/// grid points that are new in the file. A run that throws is recorded as `failed` with the
/// error's text and the batch goes on. When the stop flag is set, runs in progress are marked
/// `interrupted` at their next step and no new run starts.
public struct BatchRunner: Sendable {
    /// Where results go.
    public let store: RunStore
    /// Methods, evaluations and data readers.
    public let catalog: ExperimentCatalog

    /// A runner writing to `store`.
    public init(store: RunStore, catalog: ExperimentCatalog = .standard) {
        self.store = store
        self.catalog = catalog
    }

    /// Runs the batch: loads every dataset it uses (nothing is written before all have loaded),
    /// registers the experiment, marks runs a dead process left `running` as `interrupted`, plans
    /// the runs (new ones `pending`), then executes every run that is not skipped, up to
    /// `options.jobs` at once, recording each state change in one transaction.
    /// Only one batch of an experiment should run against a store at a time.
    /// - Parameters:
    ///   - stop: checked before each run starts, after its fit and after each evaluation.
    ///   - onEvent: called from worker threads as runs are skipped, start, finish or fail.
    /// - Returns: counts of what happened; runs that throw are counted, not rethrown.
    /// - Throws: `BatchFileError` (with the dataset's line) when a dataset cannot be loaded or a
    ///   method or evaluation is unknown to this runner's catalog (when the file was parsed with
    ///   another one); the store's errors when it cannot record.
    public func run(_ batch: BatchFile, options: BatchOptions = BatchOptions(), stop: StopFlag = StopFlag(),
                    onEvent: @escaping @Sendable (BatchEvent) -> Void = { _ in }) throws -> BatchSummary {
        // 1. Everything that can be checked, before anything is written.
        if batch.distributed && (options.fitter == nil || options.jobs > 1) {
            throw BatchFileError(path: batch.path, line: 0, message: "the batch is marked 'distributed: true': it runs one job at a time with a distributed fitter (`mpirun -np N latent batch \(batch.path)`)")
        }
        var datasets = [String: Dataset]()
        for spec in batch.datasets {
            do {
                datasets[spec.name] = try catalog.datasets.load(spec)
            } catch {
                throw BatchFileError(path: batch.path, line: spec.line, message: "dataset '\(spec.name)' cannot be loaded: \(error)")
            }
        }
        for grid in batch.methods where catalog.methods[grid.method] == nil {
            throw BatchFileError(path: batch.path, line: grid.line, message: "method '\(grid.method)' is not known; known: \(catalog.methods.names.joined(separator: ", "))")
        }
        for name in batch.evaluations ?? [] where catalog.evaluations[name] == nil {
            throw BatchFileError(path: batch.path, line: 0, message: "evaluation '\(name)' is not known; known: \(catalog.evaluations.names.joined(separator: ", "))")
        }
        if let artifacts = batch.artifactsFolder {
            do {
                try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
            } catch {
                throw BatchFileError(path: batch.path, line: 0, message: "cannot create the artifacts folder \(artifacts): \(error.localizedDescription)")
            }
        }

        // 2. Register and plan (one transaction each).
        let experimentID = try store.registerExperiment(name: batch.name, description: batch.description,
                                                        sourcePath: batch.path, source: batch.source)
        try store.recoverAbandonedRuns(experimentID: experimentID)
        let keys = batch.runs
        let records = try store.plan(experimentID: experimentID, keys: keys)

        var work = [(key: RunKey, id: Int64)]()
        var skipped = [BatchEvent]()
        var skippedDone = 0, skippedFailed = 0
        for (key, record) in zip(keys, records) {
            switch record.status {
            case .done:
                skippedDone += 1
                skipped.append(.skipped(runID: record.id!, key: key, status: .done))
            case .failed where !options.retryFailed:
                skippedFailed += 1
                skipped.append(.skipped(runID: record.id!, key: key, status: .failed))
            default:
                work.append((key, record.id!))
            }
        }
        onEvent(.planned(total: keys.count, toRun: work.count))
        skipped.forEach(onEvent)

        // 3. Execute, up to `jobs` at once; each worker takes the next run from the list.
        let workers = Swift.min(options.jobs, work.count)
        let tally = Tally()
        let loaded = datasets   // read-only from here on, shared by the workers
        let execute: @Sendable ((key: RunKey, id: Int64)) -> Void = { item in
            let outcome = self.execute(item.key, runID: item.id, batch: batch, datasets: loaded, fitter: options.fitter, stop: stop,
                                       onEvent: onEvent)
            tally.add(outcome)
        }
        if workers <= 1 {
            for item in work where !stop.isStopped { execute(item) }
        } else {
            // One thread per job, each single-threaded inside (not concurrentPerform, which caps the width at the core count).
            let next = Tally(), items = work
            Parallel.runJobs(count: workers) { _ in
                while !stop.isStopped, let i = next.take(below: items.count) { execute(items[i]) }
            }
        }
        if let error = tally.storeError { throw error }
        return BatchSummary(experimentID: experimentID, total: keys.count, skippedDone: skippedDone, skippedFailed: skippedFailed,
                            done: tally.count(.done), failed: tally.count(.failed), interrupted: tally.count(.interrupted),
                            stopped: stop.isStopped)
    }

    /// Marks every run of the experiment that is `running` as `interrupted` (one transaction) and
    /// returns how many. For a forced stop that cannot wait for the runs' next step.
    @discardableResult
    public func interruptRunningRuns(experiment: String) throws -> Int {
        let ids = try store.runs(experiment: experiment, status: .running).map(\.id)
        return try store.markInterrupted(runIDs: ids)
    }

    /// One run, steps separated by stop checks. Returns its final status, or the store error that
    /// prevented recording it.
    private func execute(_ key: RunKey, runID: Int64, batch: BatchFile, datasets: [String: Dataset],
                         fitter: BatchOptions.Fitter?, stop: StopFlag,
                         onEvent: @Sendable (BatchEvent) -> Void) -> Result<RunStatus, Error> {
        let method = catalog.methods[key.method]!
        let dataset = datasets[key.dataset]!
        let evaluations = batch.evaluations ?? catalog.defaultEvaluations(for: method, hasLabels: dataset.labels != nil, hasGroundTruth: dataset.groundTruth != nil,
                                                                          isCorpus: dataset.corpus != nil)
        do {
            if stop.isStopped { return .success(.pending) }
            try store.markRunning(runID: runID)
            onEvent(.started(runID: runID, key: key))
            let start = DispatchTime.now().uptimeNanoseconds
            func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            func interrupted() throws -> Result<RunStatus, Error> {
                try store.markInterrupted(runIDs: [runID])
                onEvent(.interrupted(runID: runID, key: key))
                return .success(.interrupted)
            }
            do {
                let model = ReconstructionMemo.wrap(try fitter?(key, dataset) ?? Self.fit(method, on: dataset, key))
                if stop.isStopped { return try interrupted() }
                var metrics = model.metrics
                for name in evaluations {
                    let values = try catalog.evaluations[name]!.evaluate(dataset, model, files: batch.evaluationFiles[name])
                    metrics.merge(values) { _, new in new }
                    if stop.isStopped { return try interrupted() }
                }
                if let bad = metrics.first(where: { !$0.value.isFinite }) {
                    throw RunError(message: "metric '\(bad.key)' is \(bad.value)")
                }
                let artifacts = try saveArtifacts(model, runID: runID, folder: batch.artifactsFolder)
                let duration = elapsed()
                if try store.markDone(runID: runID, metrics: metrics, artifacts: artifacts, duration: duration) {
                    onEvent(.finished(runID: runID, key: key, metrics: metrics, duration: duration))
                    return .success(.done)
                }
                return .success(.interrupted)
            } catch {
                let duration = elapsed(), text = String(describing: error)
                try store.markFailed(runID: runID, error: text, duration: duration)
                onEvent(.failed(runID: runID, key: key, error: text, duration: duration))
                return .success(.failed)
            }
        } catch {
            stop.stop()   // the store is unusable: stop the other workers too
            return .failure(error)
        }
    }

    /// The method's own fit of the run: on the dataset's rows, or on its corpus for corpus methods
    /// (the batch parser pairs only methods and datasets of the same input kind).
    private static func fit(_ method: MethodDescriptor, on dataset: Dataset, _ key: RunKey) throws -> FittedModel {
        if let corpus = dataset.corpus {
            guard let fitCorpus = method.fitCorpus else {
                throw RunError(message: "method '\(method.name)' learns from rows of features; dataset '\(dataset.name)' is a text corpus")
            }
            return try fitCorpus(corpus, key.parameters, key.seed)
        }
        return try method.fit(dataset.features, key.parameters, key.seed)
    }

    /// Writes the model's artifacts as `<folder>/run-<id>-<name>.npy`.
    private func saveArtifacts(_ model: FittedModel, runID: Int64, folder: String?) throws -> [(name: String, path: String)] {
        guard let folder else { return [] }
        return try model.artifacts.keys.sorted().map { name in
            let path = URL(fileURLWithPath: folder).appendingPathComponent("run-\(runID)-\(name).npy").path
            try NPY.write(model.artifacts[name]!, to: URL(fileURLWithPath: path))
            return (name, path)
        }
    }
}

/// A problem inside a run that is not one of its method's own errors.
struct RunError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Remembers the last reconstruction of a run's model, so evaluations that each reconstruct the
/// dataset (reconstruction error, explained variance) compute it once.
private final class ReconstructionMemo: Sendable {
    /// The last input and its reconstruction; held while computing, so concurrent evaluations
    /// of one run wait for the first instead of reconstructing twice.
    private let last = Mutex<(input: Matrix<Double>, output: Matrix<Double>)?>(nil)

    static func wrap(_ model: FittedModel) -> FittedModel {
        guard let reconstruct = model.reconstruct else { return model }
        let memo = ReconstructionMemo()
        return FittedModel(outputFeatures: model.outputFeatures, transform: model.transform,
                           reconstruct: { x in try memo.value(for: x, reconstruct) },
                           metrics: model.metrics, artifacts: model.artifacts)
    }

    func value(for x: Matrix<Double>, _ compute: (Matrix<Double>) throws -> Matrix<Double>) throws -> Matrix<Double> {
        try last.withLock { last in
            if let last, last.input == x { return last.output }
            let output = try compute(x)
            last = (x, output)
            return output
        }
    }
}

/// Counters shared by the workers of a batch; every access holds the lock.
private final class Tally: Sendable {
    private struct State {
        var statuses = [RunStatus]()
        var nextIndex = 0
        var storeError: (any Error)?
    }
    private let state = Mutex(State())

    /// The first error of the run store, if any.
    var storeError: (any Error)? { state.withLock { $0.storeError } }

    func add(_ outcome: Result<RunStatus, Error>) {
        state.withLock { state in
            switch outcome {
            case .success(let s): state.statuses.append(s)
            case .failure(let e): if state.storeError == nil { state.storeError = e }
            }
        }
    }

    func count(_ status: RunStatus) -> Int {
        state.withLock { $0.statuses.filter { $0 == status }.count }
    }

    /// The next unclaimed index below `n`, or nil when all are claimed.
    func take(below n: Int) -> Int? {
        state.withLock { state in
            guard state.nextIndex < n else { return nil }
            state.nextIndex += 1
            return state.nextIndex - 1
        }
    }
}
