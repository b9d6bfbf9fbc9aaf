import Foundation
import GRDB
import LatentCore
import Testing
@testable import LatentExperiments

@Suite("Run store: migrations and state changes")
struct RunStoreTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    static let key = RunKey(experiment: "e", dataset: "d", method: "toy", parameters: ["scale": .double(1)], seed: 3)

    @Test("migrations create the schema once, in WAL mode; reopening applies nothing twice")
    func migrations() throws {
        let path = folder.path("r.sqlite")
        let store = try RunStore(path: path)
        #expect(try store.appliedMigrations() == ["v1-experiments-runs-metrics-artifacts"])
        let columns = try store.pool.read { db in
            try ["experiments", "runs", "metrics", "artifacts"].map { try db.columns(in: $0).map(\.name) }
        }
        #expect(columns[0] == ["id", "name", "description", "source_path", "source", "created_at", "updated_at"])
        #expect(columns[1] == ["id", "experiment_id", "dataset", "method", "parameters", "seed", "status", "created_at",
                               "started_at", "ended_at", "duration", "error", "code_version"])
        #expect(columns[2] == ["run_id", "name", "value"])
        #expect(columns[3] == ["id", "run_id", "name", "path"])
        let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        _ = try store.registerExperiment(name: "e", description: nil, sourcePath: nil, source: nil)
        let again = try RunStore(path: path)
        #expect(try again.appliedMigrations().count == 1)
        #expect(try again.experiments().map(\.name) == ["e"])
        #expect(try again.pool.read { try RunStore.migrator.hasCompletedMigrations($0) })
    }

    @Test("a store that must exist is not created")
    func missing() {
        #expect(throws: RunStoreError.missing(path: folder.path("none.sqlite"))) { try RunStore(path: folder.path("none.sqlite"), create: false) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }

    @Test("plan inserts once; running → done stores metrics; a redo clears them; identity is unique")
    func lifecycle() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let experiment = try store.registerExperiment(name: "e", description: "first", sourcePath: "a.yaml", source: "name: e")
        #expect(try store.registerExperiment(name: "e", description: "second", sourcePath: "a.yaml", source: "name: e") == experiment)
        #expect(try store.experiments().first?.description == "second")

        let planned = try store.plan(experimentID: experiment, keys: [Self.key])
        #expect(planned.count == 1 && planned[0].status == .pending)
        #expect(planned[0].parameters == #"{"scale":1}"# && planned[0].seed == 3 && planned[0].codeVersion == LatentVersion.string)
        let id = planned[0].id!
        #expect(try store.plan(experimentID: experiment, keys: [Self.key]).map(\.id) == [id])

        try store.markRunning(runID: id)
        #expect(try store.run(id: id)?.run.status == .running)
        #expect(try store.markDone(runID: id, metrics: ["a": 1.5, "b": -2], artifacts: [("m", "/tmp/m.npy")], duration: 0.25))
        let done = try #require(try store.run(id: id))
        #expect(done.run.status == .done && done.run.duration == 0.25 && done.run.endedAt != nil)
        #expect(done.metrics == ["a": 1.5, "b": -2])
        #expect(done.artifacts.map(\.path) == ["/tmp/m.npy"])
        #expect(done.experiment == "e")

        // A second markDone for a run that is not running changes nothing.
        #expect(try !store.markDone(runID: id, metrics: ["c": 1], artifacts: [], duration: 1))
        #expect(try store.run(id: id)?.metrics == ["a": 1.5, "b": -2])

        try store.markRunning(runID: id)
        let redo = try #require(try store.run(id: id))
        #expect(redo.metrics.isEmpty && redo.artifacts.isEmpty && redo.run.duration == nil)
        #expect(try store.markFailed(runID: id, error: "boom", duration: 0.1))
        #expect(try store.run(id: id)?.run.error == "boom")
        #expect(try store.runs(status: .failed).map(\.id) == [id])
        #expect(try store.runs(experiment: "other").isEmpty)

        // The identity is unique in the schema itself.
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO runs (experiment_id, dataset, method, parameters, seed, status, created_at, code_version) VALUES (?, 'd', 'toy', '{\"scale\":1}', 3, 'pending', '2026-01-01', 'x')",
                               arguments: [experiment])
            }
        }
        // And the status column only takes the five states.
        #expect(throws: DatabaseError.self) {
            try store.pool.write { try $0.execute(sql: "UPDATE runs SET status = 'weird' WHERE id = ?", arguments: [id]) }
        }
    }

    @Test("interrupting marks only running runs; abandoned running runs are recovered as interrupted")
    func interruption() throws {
        let store = try RunStore(path: folder.path("r.sqlite"))
        let experiment = try store.registerExperiment(name: "e", description: nil, sourcePath: nil, source: nil)
        let keys = (0..<3).map { RunKey(experiment: "e", dataset: "d", method: "toy", parameters: [:], seed: UInt64($0)) }
        let ids = try store.plan(experimentID: experiment, keys: keys).map { $0.id! }
        try store.markRunning(runID: ids[0])
        try store.markRunning(runID: ids[1])
        #expect(try store.markInterrupted(runIDs: ids) == 2)
        #expect(try store.runs().map(\.run.status) == [.interrupted, .interrupted, .pending])
        #expect(try !store.markDone(runID: ids[0], metrics: [:], artifacts: [], duration: 0))
        try store.markRunning(runID: ids[2])
        #expect(try store.recoverAbandonedRuns(experimentID: experiment) == 1)
        #expect(try store.run(id: ids[2])?.run.status == .interrupted)
    }
}
