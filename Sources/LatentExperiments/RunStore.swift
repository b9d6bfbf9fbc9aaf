import Foundation
import GRDB
import LatentCore

/// The SQLite file that holds experiments, runs, their metrics and artifacts (GRDB, WAL mode).
///
/// Tables (created by versioned migrations, see `RunStore.migrator`):
/// - `experiments(id, name UNIQUE, description, source_path, source, created_at, updated_at)`
/// - `runs(id, experiment_id, dataset, method, parameters, seed, status, created_at, started_at,
///   ended_at, duration, error, code_version)`, unique on (experiment_id, dataset, method,
///   parameters, seed): a run's identity
/// - `metrics(run_id, name, value)`, primary key (run_id, name)
/// - `artifacts(id, run_id, name, path)`
///
/// Every state change of a run is one transaction, so the file is consistent whenever a batch
/// stops. Writes from concurrent runs are serialized by GRDB's single writer. Reads (e.g.
/// `latent runs list` while a batch runs) see the last committed state.
public final class RunStore: Sendable {
    /// The database file.
    public let path: String
    let pool: any DatabaseWriter

    /// Opens the store at `path` for writing (`latent batch`), creating the file when `create` is
    /// true, and applies pending migrations.
    /// - Throws: `RunStoreError.missing` when the file does not exist and `create` is false;
    ///   `RunStoreError.sqlite` (with SQLite's result code) when it is not a usable SQLite database.
    public init(path: String, create: Bool = true) throws {
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw RunStoreError.missing(path: path)
        }
        try Self.refuseFolder(path)
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "latent-runs"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw RunStoreError.sqlite(path: path, code: error.extendedResultCode.rawValue, message: error.message ?? "\(error.resultCode)")
        }
    }

    /// Opens an existing store read-only (`latent runs`): never creates a file, a table or a
    /// write-ahead log entry; a SQLite file without Latent's tables is refused, not initialised.
    /// - Throws: `RunStoreError.missing`, `.notResults` or `.sqlite`.
    public init(readingFrom path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw RunStoreError.missing(path: path) }
        try Self.refuseFolder(path)
        self.path = path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.label = "latent-runs-read"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let applied = try queue.read { db in try db.tableExists("runs") ? Self.migrator.appliedMigrations(db) : [] }
            guard applied.first == "v1-experiments-runs-metrics-artifacts" else { throw RunStoreError.notResults(path: path) }
            pool = queue
        } catch let error as DatabaseError {
            throw RunStoreError.sqlite(path: path, code: error.extendedResultCode.rawValue, message: error.message ?? "\(error.resultCode)")
        }
    }

    private static func refuseFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw RunStoreError.sqlite(path: path, code: 14, message: "is a folder, not a database file")
        }
    }

    /// Copies the write-ahead log into the database file and empties it (SQLite's TRUNCATE
    /// checkpoint), so the `.sqlite` file alone holds every result — safe to copy or send.
    /// `latent batch` calls it when a batch ends, however it ends short of a kill.
    public func checkpoint() throws {
        guard let pool = pool as? DatabasePool else { return }
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch let error as DatabaseError {
            throw RunStoreError.sqlite(path: path, code: error.extendedResultCode.rawValue, message: error.message ?? "\(error.resultCode)")
        }
    }

    /// The schema's migrations, in order. Add a new `registerMigration` for each schema change;
    /// never edit an applied one.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-experiments-runs-metrics-artifacts") { db in
            try db.create(table: "experiments") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("description", .text)
                t.column("source_path", .text)
                t.column("source", .text)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("experiment_id", .integer).notNull().indexed().references("experiments", onDelete: .cascade)
                t.column("dataset", .text).notNull()
                t.column("method", .text).notNull()
                t.column("parameters", .text).notNull()
                t.column("seed", .integer).notNull()
                t.column("status", .text).notNull()
                    .check { RunStatus.allCases.map(\.rawValue).contains($0) }
                t.column("created_at", .datetime).notNull()
                t.column("started_at", .datetime)
                t.column("ended_at", .datetime)
                t.column("duration", .double)
                t.column("error", .text)
                t.column("code_version", .text).notNull()
                t.uniqueKey(["experiment_id", "dataset", "method", "parameters", "seed"])
            }
            try db.create(index: "runs_on_status", on: "runs", columns: ["status"])
            try db.create(table: "metrics") { t in
                t.column("run_id", .integer).notNull().indexed().references("runs", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("value", .double).notNull()
                t.primaryKey(["run_id", "name"])
            }
            try db.create(table: "artifacts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().indexed().references("runs", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("path", .text).notNull()
            }
        }
        return migrator
    }

    /// Identifiers of the migrations applied to this file, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Self.migrator.appliedMigrations($0) }
    }

    // MARK: - Batch bookkeeping (one transaction each)

    /// Creates the experiment `name` or updates its description and source; returns its id.
    public func registerExperiment(name: String, description: String?, sourcePath: String?, source: String?) throws -> Int64 {
        try pool.write { db in
            let now = Date()
            if var existing = try ExperimentRecord.filter(Column("name") == name).fetchOne(db) {
                existing.description = description
                existing.sourcePath = sourcePath
                existing.source = source
                existing.updatedAt = now
                try existing.update(db)
                return existing.id!
            }
            var record = ExperimentRecord(id: nil, name: name, description: description, sourcePath: sourcePath,
                                          source: source, createdAt: now, updatedAt: now)
            try record.insert(db)
            return record.id!
        }
    }

    /// Marks runs of the experiment left `running` by a process that died as `interrupted`;
    /// returns how many. Call before a batch starts (one batch per experiment at a time).
    @discardableResult
    public func recoverAbandonedRuns(experimentID: Int64) throws -> Int {
        try pool.write { db in
            try RunRecord.filter(Column("experiment_id") == experimentID && Column("status") == RunStatus.running.rawValue)
                .updateAll(db, Column("status").set(to: RunStatus.interrupted.rawValue), Column("ended_at").set(to: Date()))
        }
    }

    /// The stored runs for `keys`, inserting those not stored yet as `pending`, in the order of `keys`.
    public func plan(experimentID: Int64, keys: [RunKey]) throws -> [RunRecord] {
        try pool.write { db in
            try keys.map { key in
                let parameters = key.parametersJSON
                let seed = Int64(bitPattern: key.seed)
                if let existing = try RunRecord
                    .filter(Column("experiment_id") == experimentID && Column("dataset") == key.dataset
                            && Column("method") == key.method && Column("parameters") == parameters && Column("seed") == seed)
                    .fetchOne(db) {
                    return existing
                }
                var record = RunRecord(id: nil, experimentID: experimentID, dataset: key.dataset, method: key.method,
                                       parameters: parameters, seed: seed, status: .pending, createdAt: Date(),
                                       startedAt: nil, endedAt: nil, duration: nil, error: nil, codeVersion: LatentVersion.string)
                try record.insert(db)
                return record
            }
        }
    }

    /// Marks a run `running` from now, clearing the results of any earlier attempt.
    public func markRunning(runID: Int64) throws {
        try pool.write { db in
            try MetricRecord.filter(Column("run_id") == runID).deleteAll(db)
            try ArtifactRecord.filter(Column("run_id") == runID).deleteAll(db)
            try db.execute(sql: """
                UPDATE runs SET status = ?, started_at = ?, ended_at = NULL, duration = NULL, error = NULL, code_version = ?
                WHERE id = ?
                """, arguments: [RunStatus.running.rawValue, Date(), LatentVersion.string, runID])
        }
    }

    /// Marks a `running` run `done` with its metrics and artifacts. Returns false (and stores
    /// nothing) when the run is no longer `running`, e.g. because Ctrl-C marked it interrupted.
    @discardableResult
    public func markDone(runID: Int64, metrics: [String: Double], artifacts: [(name: String, path: String)], duration: Double) throws -> Bool {
        try pool.write { db in
            guard try finish(db, runID: runID, status: .done, duration: duration, error: nil) else { return false }
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
                try MetricRecord(runID: runID, name: name, value: value).insert(db)
            }
            for artifact in artifacts {
                var record = ArtifactRecord(id: nil, runID: runID, name: artifact.name, path: artifact.path)
                try record.insert(db)
            }
            return true
        }
    }

    /// Marks a `running` run `failed` with the error's text; false when it is no longer `running`.
    @discardableResult
    public func markFailed(runID: Int64, error: String, duration: Double) throws -> Bool {
        try pool.write { db in try finish(db, runID: runID, status: .failed, duration: duration, error: error) }
    }

    /// Marks the given runs `interrupted` where they are still `running`; returns how many changed.
    @discardableResult
    public func markInterrupted(runIDs: [Int64]) throws -> Int {
        try pool.write { db in
            try RunRecord.filter(runIDs.contains(Column("id")) && Column("status") == RunStatus.running.rawValue)
                .updateAll(db, Column("status").set(to: RunStatus.interrupted.rawValue), Column("ended_at").set(to: Date()))
        }
    }

    private func finish(_ db: Database, runID: Int64, status: RunStatus, duration: Double, error: String?) throws -> Bool {
        try db.execute(sql: """
            UPDATE runs SET status = ?, ended_at = ?, duration = ?, error = ? WHERE id = ? AND status = ?
            """, arguments: [status.rawValue, Date(), duration, error, runID, RunStatus.running.rawValue])
        return db.changesCount == 1
    }

    // MARK: - Reading

    /// All experiments, oldest first.
    public func experiments() throws -> [ExperimentRecord] {
        try pool.read { try ExperimentRecord.order(Column("id")).fetchAll($0) }
    }

    /// Runs with their experiment names, metrics and artifacts, in id order, optionally only of
    /// one experiment and/or with one status.
    public func runs(experiment: String? = nil, status: RunStatus? = nil) throws -> [RunDetails] {
        try pool.read { db in
            var request = RunRecord.order(Column("id"))
            if let status { request = request.filter(Column("status") == status.rawValue) }
            let experiments = try ExperimentRecord.fetchAll(db)
            let names = Dictionary(uniqueKeysWithValues: experiments.map { ($0.id!, $0.name) })
            if let experiment {
                guard let id = experiments.first(where: { $0.name == experiment })?.id else { return [] }
                request = request.filter(Column("experiment_id") == id)
            }
            return try details(db, try request.fetchAll(db), names: names)
        }
    }

    /// One run with everything stored about it, or `nil` when there is no such id.
    public func run(id: Int64) throws -> RunDetails? {
        try pool.read { db in
            guard let record = try RunRecord.fetchOne(db, key: id) else { return nil }
            let names = Dictionary(uniqueKeysWithValues: try ExperimentRecord.fetchAll(db).map { ($0.id!, $0.name) })
            return try details(db, [record], names: names).first
        }
    }

    private func details(_ db: Database, _ records: [RunRecord], names: [Int64: String]) throws -> [RunDetails] {
        let ids = records.compactMap(\.id)
        var metrics = [Int64: [String: Double]]()
        for m in try MetricRecord.filter(ids.contains(Column("run_id"))).fetchAll(db) { metrics[m.runID, default: [:]][m.name] = m.value }
        var artifacts = [Int64: [ArtifactRecord]]()
        for a in try ArtifactRecord.filter(ids.contains(Column("run_id"))).order(Column("id")).fetchAll(db) { artifacts[a.runID, default: []].append(a) }
        return records.map { r in
            RunDetails(run: r, experiment: names[r.experimentID] ?? "?", metrics: metrics[r.id!] ?? [:], artifacts: artifacts[r.id!] ?? [])
        }
    }
}

/// A run store that cannot be opened as asked.
public enum RunStoreError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist (and was not to be created).
    case missing(path: String)
    /// The file is a SQLite database without Latent's tables.
    case notResults(path: String)
    /// SQLite refused the file: its extended result code (14 cannot open, 26 not a database, …) and message.
    case sqlite(path: String, code: Int32, message: String)

    /// The message, naming the file.
    public var description: String {
        switch self {
        case let .missing(path): return "\(path): no such results database (run `latent batch` first, or pass --db)"
        case let .notResults(path): return "\(path): a SQLite file without Latent's tables, not a results database written by `latent batch`; left unchanged"
        case let .sqlite(path, code, message): return "\(path): SQLite error \(code): \(message)"
        }
    }
}
