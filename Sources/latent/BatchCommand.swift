import ArgumentParser
import Dispatch
import Foundation
import Latent
import LatentExperiments
import Synchronization

/// `latent batch FILE.yaml`: runs every (dataset, method, grid point, seed) of a batch file and
/// records runs and metrics in a SQLite file. Running the same file again resumes it.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run an experiment batch described by a YAML file; results go to a SQLite file.",
        discussion: """
            The file names datasets, methods with parameter grids (a list expands the grid), seeds and \
            evaluations; see docs/examples/blobs-baselines.yaml. It is checked completely before anything \
            runs. Running it again skips done runs, redoes interrupted ones (and failed ones with \
            --retry-failed) and adds new grid points. Ctrl-C marks the running runs interrupted and \
            exits with status 130 (press it twice to stop without waiting for the current step). \
            Progress goes to stderr; the summary to stdout. Use `latent batch --list` to see the methods, \
            their parameters and the evaluations.
            """)

    @Argument(help: "The batch file (YAML).")
    var file: String?

    @Option(help: "The results database (SQLite); created when missing.")
    var db: String = "results.sqlite"

    @Option(parsing: .unconditional, help: "Runs executed at once; with more than one, each run uses one BLAS thread.")
    var jobs: Int = 1

    @Flag(help: "Run again the runs that failed in an earlier batch.")
    var retryFailed = false

    @Flag(help: "List the methods (with their parameters), evaluations and data formats, then exit.")
    var list = false

    @Option(parsing: .unconditional, help: "Threads for OpenBLAS and Latent's loops when --jobs is 1 (default: all cores).")
    var threads: Int?

    func validate() throws {
        try OptionRange.check("--jobs", jobs, 1...1024)
        try OptionRange.check("--threads", threads, OptionRange.threads)
        if file == nil && !list { throw ValidationError("give a batch file (or --list)") }
    }

    func run() throws {
        let catalog = DistributedBatch.catalog   // the standard one, and the methods a distributed batch may name
        if list {
            print(Self.describe(catalog), terminator: "")
            return
        }
        if let threads { Parallel.setThreadCount(threads) }
        let batch: BatchFile
        do {
            batch = try BatchFile.load(path: file!, catalog: catalog)
        } catch let error as BatchFileError {
            StandardError.line(error.description)
            throw ExitCode.failure
        }
        guard batch.distributed else { return try record(batch, catalog: catalog) }
        if jobs > 1 { throw UsageError("--jobs \(jobs): \(file!) says 'distributed: true', so each fit runs over all ranks, one run at a time; leave out --jobs") }
        try DistributedBatch.run(batch, catalog: catalog) { fitter in try record(batch, catalog: catalog, fitter: fitter) }
    }

    /// Runs `batch` and records it in `--db` (with `fitter`: each fit done by the ranks of an MPI
    /// job, this process being rank 0).
    private func record(_ batch: BatchFile, catalog: ExperimentCatalog,
                        fitter: BatchOptions.Fitter? = nil) throws {
        // The database is an output: never the batch file or a dataset, always writable.
        let inputs = [OutputSafety.Named("the batch file", file!)] + batch.datasets.compactMap { spec -> OutputSafety.Named? in
            switch spec.source {
            case let .file(path, _): return .init("dataset '\(spec.name)'", path)
            case let .corpus(source): return .init("corpus '\(spec.name)'", source.path)
            case .builtin: return nil
            }
        } + batch.evaluationFiles.sorted { $0.key < $1.key }.flatMap { name, files in files.map { OutputSafety.Named("a file of evaluation '\(name)'", $0) } }
        try OutputSafety.check(inputs: inputs, outputs: [.file("--db", db)])
        try BatchLock.acquire(db)
        StandardError.line("\(file!): checked; \(batch.runs.count) runs in the grid")
        let store = try RunStore(path: db)
        // However the batch ends (done, failed, Ctrl-C), fold the write-ahead log into the file.
        Finalizers.add { try? store.checkpoint() }
        let runner = BatchRunner(store: store, catalog: catalog)

        // Ctrl-C: the first asks the runs to stop at their next step, the second stops now.
        let stop = StopFlag()
        let interrupts = Counter()
        SignalWatch.watch([SIGINT]) { _ in
            if interrupts.increment() == 1 {
                StandardError.line("interrupted: stopping after the current step (Ctrl-C again to stop now)")
                stop.stop()
            } else {
                let n = (try? runner.interruptRunningRuns(experiment: batch.name)) ?? 0
                try? store.checkpoint()
                StandardError.line("interrupted: \(n) running run(s) marked interrupted")
                StandardOutput.flush()
                _exit(130)   // no exit handlers: other threads are still working; SQLite stays consistent
            }
        }
        defer { SignalWatch.stop([SIGINT]) }

        let progress = BatchProgress()
        let summary: BatchSummary
        do {
            summary = try runner.run(batch, options: BatchOptions(jobs: jobs, retryFailed: retryFailed, fitter: fitter), stop: stop) { progress.report($0) }
        } catch let error as BatchFileError {
            StandardError.line(error.description)
            throw ExitCode.failure
        }
        print("\(batch.name): \(summary.description)")
        if summary.stopped {
            StandardError.line("interrupted: run the same command again to resume")
            throw ExitCode(130)
        }
        if summary.failedNow > 0 {
            StandardError.line("\(summary.failedNow) of \(summary.total) runs failed (see `latent runs list --db \(db) --status failed`)")
            throw ExitCode.failure
        }
    }

    /// The catalog as text: methods with parameters, evaluations, formats, built-in datasets.
    static func describe(_ catalog: ExperimentCatalog) -> String {
        var out = "methods:\n"
        for name in catalog.methods.names {
            let m = catalog.methods[name]!
            out += "  \(name): \(m.summary)\(m.input == .corpus ? " [corpus datasets]" : "")\n"
            for p in m.parameters { out += "    \(p.usage())\n" }
        }
        out += "evaluations:\n"
        for name in catalog.evaluations.names { out += "  \(name): \(catalog.evaluations[name]!.summary)\n" }
        out += "distributed (a batch with 'distributed: true', under mpirun): \(catalog.distributedMethods.keys.sorted().joined(separator: ", "))\n"
        out += "formats: \(catalog.datasets.formatNames.joined(separator: ", "))\n"
        out += "corpus datasets (for corpus methods): corpus: FILE, one sentence per line; lowercase: true|false; tokens: whitespace|alphanumeric\n"
        let builtins = catalog.datasets.builtins.keys.sorted()
        out += "built-in datasets: \(builtins.isEmpty ? "(none)" : builtins.joined(separator: ", "))\n"
        return out
    }
}

/// Prints batch events to stderr, one line each, numbered as runs start.
private final class BatchProgress: Sendable {
    /// Runs to run and runs started so far; held while printing so lines keep their order.
    private let counts = Mutex((total: 0, started: 0))

    func report(_ event: BatchEvent) {
        counts.withLock { counts in report(event, &counts.total, &counts.started) }
    }

    private func report(_ event: BatchEvent, _ total: inout Int, _ started: inout Int) {
        switch event {
        case let .planned(all, toRun):
            total = toRun
            StandardError.line("\(all) runs planned, \(toRun) to run")
        case let .skipped(id, key, status):
            StandardError.line("skipped  #\(id) \(key) (\(status.rawValue) before)")
        case let .started(id, key):
            started += 1
            StandardError.line("[\(started)/\(total)] started  #\(id) \(key)")
        case let .finished(id, key, metrics, duration):
            let values = metrics.keys.sorted().map { "\($0)=\(MetricFormat.number(metrics[$0]!))" }.joined(separator: " ")
            StandardError.line("done     #\(id) \(key) in \(String(format: "%.2f", duration)) s: \(values)")
        case let .failed(id, key, error, _):
            StandardError.line("FAILED   #\(id) \(key): \(error)")
        case let .interrupted(id, key):
            StandardError.line("interrupted #\(id) \(key)")
        }
    }
}

/// One `latent batch` per database at a time: an exclusive `flock` on the database file, held
/// until the process ends (SQLite's own locks are `fcntl` locks, which `flock` does not touch on
/// Linux). A second batch on the same file stops at once with a message instead of marking the
/// first one's running runs interrupted.
enum BatchLock {
    nonisolated(unsafe) private static var descriptors: [Int32] = []

    static func acquire(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure("\(path): cannot open: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            close(fd)
            if busy { throw Failure("\(path): another `latent batch` is using this database; wait for it to finish (or give another --db)") }
            throw Failure("\(path): cannot lock: \(String(cString: strerror(errno)))")
        }
        descriptors.append(fd)   // kept open: closing it would release the lock
    }
}

/// A thread-safe counter.
private final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new value.
    func increment() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}

