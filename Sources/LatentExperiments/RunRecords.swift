import LatentCore
import Foundation
import GRDB

/// Where a run stands. Every change of status is one database transaction.
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Planned, not started.
    case pending
    /// Started by a batch that has not finished it yet.
    case running
    /// Finished; its metrics are stored. Skipped when the batch runs again.
    case done
    /// Threw an error (stored in `error`). Redone only with `--retry-failed`.
    case failed
    /// Stopped by Ctrl-C (or its process died). Redone when the batch runs again.
    case interrupted
}

/// A row of the `experiments` table: one per experiment name.
public struct ExperimentRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// The SQLite table: `experiments`.
    public static let databaseTableName = "experiments"
    /// Row id.
    public var id: Int64?
    /// The experiment's name (unique).
    public var name: String
    /// The batch file's description.
    public var description: String?
    /// The batch file's path when it last ran.
    public var sourcePath: String?
    /// The batch file's YAML text when it last ran.
    public var source: String?
    /// When the experiment first ran.
    public var createdAt: Date
    /// When a batch of it last started.
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, description, source
        case sourcePath = "source_path", createdAt = "created_at", updatedAt = "updated_at"
    }

    /// Keeps the row id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of the `runs` table: one method fit with one parameter set and seed on one dataset.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// The SQLite table: `runs`.
    public static let databaseTableName = "runs"
    /// Row id (the run id shown by `latent runs`).
    public var id: Int64?
    /// The experiment's row id.
    public var experimentID: Int64
    /// The dataset's name.
    public var dataset: String
    /// The method's name.
    public var method: String
    /// The resolved parameters as canonical JSON (sorted keys).
    public var parameters: String
    /// The seed, stored as SQLite's signed 64-bit integer (seeds are at most `Int64.max`).
    public var seed: Int64
    /// Where the run stands.
    public var status: RunStatus
    /// When the run was planned.
    public var createdAt: Date
    /// When the run last started.
    public var startedAt: Date?
    /// When the run last finished, failed or was interrupted.
    public var endedAt: Date?
    /// Seconds from start to end of the last attempt.
    public var duration: Double?
    /// The error text of a failed run.
    public var error: String?
    /// `LatentVersion.string` of the code that last ran it.
    public var codeVersion: String

    enum CodingKeys: String, CodingKey {
        case id, dataset, method, parameters, seed, status, duration, error
        case experimentID = "experiment_id", createdAt = "created_at", startedAt = "started_at"
        case endedAt = "ended_at", codeVersion = "code_version"
    }

    /// Keeps the row id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The parameters parsed back from JSON.
    public var parameterValues: Parameters { (try? Parameters.fromCanonicalJSON(parameters)) ?? [:] }
}

/// A row of the `metrics` table: one named number of one run.
public struct MetricRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table: `metrics`.
    public static let databaseTableName = "metrics"
    /// The run's id.
    public var runID: Int64
    /// The metric's name (`reconstruction-error`, …).
    public var name: String
    /// Its value (finite).
    public var value: Double

    enum CodingKeys: String, CodingKey {
        case name, value
        case runID = "run_id"
    }
}

/// A row of the `artifacts` table: a file a run wrote.
public struct ArtifactRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// The SQLite table: `artifacts`.
    public static let databaseTableName = "artifacts"
    /// Row id.
    public var id: Int64?
    /// The run's id.
    public var runID: Int64
    /// What the file holds (`components`, …).
    public var name: String
    /// The file's path.
    public var path: String

    enum CodingKeys: String, CodingKey {
        case id, name, path
        case runID = "run_id"
    }

    /// Keeps the row id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A run with its experiment's name, metrics and artifacts: what `latent runs` shows.
public struct RunDetails: Sendable, Equatable {
    /// The run's row.
    public let run: RunRecord
    /// The experiment's name.
    public let experiment: String
    /// Metrics by name (empty unless done).
    public let metrics: [String: Double]
    /// Files the run wrote.
    public let artifacts: [ArtifactRecord]

    /// The run's id (always set for stored runs).
    public var id: Int64 { run.id ?? 0 }
}
