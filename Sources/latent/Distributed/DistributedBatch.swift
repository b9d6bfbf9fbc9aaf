import ArgumentParser
import Foundation
import Latent
import LatentDistributed
import LatentExperiments

/// `mpirun -np N latent batch FILE` for a batch file marked `distributed: true`.
///
/// Every rank parses the same file; the ranks check that they agree on it (a hash of its text)
/// and on each dataset's shape. Rank 0 runs the batch exactly as `latent batch` does alone — the
/// SQLite database, its lock, the evaluations, the artifacts, Ctrl-C, the summary — except that
/// each run's fit is done by all ranks together: before a fit, rank 0 broadcasts the run's
/// position in the file's run list; every rank keeps its block of the dataset's rows
/// (`Communicator.block(of:)`, as `latent pca --distributed`) and fits it in lockstep (for `pca`:
/// `DistributedPCA`, the exact covariance-eigen PCA of all rows), so every rank holds the same
/// model. Rank 0 then evaluates that model on the whole dataset and records the run. After the
/// last run rank 0 broadcasts −1 and every rank ends. Other ranks write nothing, and while
/// rank 0 evaluates they wait without spinning (`broadcastWaitingIdle`).
///
/// A fit's failure is collective (the distributed fits check and throw on every rank together):
/// rank 0 records the run as failed and the batch goes on, as alone. Rank 0 loads each dataset
/// once (in its `BatchRunner`); the other ranks load every dataset before the first run, and when
/// one cannot, no rank starts.
enum DistributedBatch {
    /// A method a distributed batch may name.
    struct Method: Sendable {
        /// Why a grid point cannot run distributed (`nil`: it can); checked when the file is parsed.
        let check: @Sendable (Parameters) -> String?
        /// The fit of this rank's block of rows with the run's parameters and seed; a collective
        /// call that returns the same model on every rank.
        let fit: @Sendable (_ block: Matrix<Double>, _ parameters: Parameters, _ seed: UInt64, _ world: Communicator) throws -> LatentCore.FittedModel
    }

    /// The methods a distributed batch may name. `pca` (the method of `PCA+Descriptor.swift`, with
    /// its metric): the covariance-eigen PCA of all ranks' rows, so `solver` must be `auto` or
    /// `covariance-eigen`. Data-parallel training is not a batch method (neural models are not in
    /// the batch registry); the other classic methods are single-process.
    static let methods: [String: Method] = [
        "pca": Method(
            check: { p in
                let solver = p.string("solver")
                return ["auto", "covariance-eigen"].contains(solver) ? nil
                    : "solver '\(solver)' is single-process; a distributed fit computes the covariance-eigen PCA (solver: auto or covariance-eigen)"
            },
            fit: { block, p, _, world in
                let model = try DistributedPCA<Double>(components: .count(p.int("components")), whiten: p.bool("whiten")).fit(block, over: world)
                return model.fittedModel
            }),
    ]

    /// The standard catalog with the command line's methods (`Methods.registry`) and the methods
    /// a distributed batch may name.
    static var catalog: ExperimentCatalog {
        var catalog = ExperimentCatalog(methods: Methods.registry)
        catalog.distributedMethods = methods.mapValues(\.check)
        return catalog
    }

    /// Runs `batch` as this rank of an MPI job; on rank 0, `record` runs the batch with the given
    /// fitter (and may throw after the other ranks were released, e.g. `ExitCode.failure` when
    /// runs failed).
    static func run(_ batch: BatchFile, catalog: ExperimentCatalog,
                    record: (_ fitter: @escaping BatchOptions.Fitter) throws -> Void) throws {
        try DistributedRun.run(what: "\(batch.path) says 'distributed: true'", command: "mpirun -np N latent batch \(batch.path)") { world in
            let runs = batch.runs
            try world.requireAgreement([Int64(bitPattern: StableHash.fnv1a(batch.source)), Int64(runs.count)],
                                       on: "the batch file (a hash of its text, its number of runs)")
            let datasets = try DistributedRun.local(world) { () -> [String: Dataset] in
                if world.isRoot { return [:] }   // rank 0's runner loads them, and names the line of one it cannot
                var loaded: [String: Dataset] = [:]
                for spec in batch.datasets { loaded[spec.name] = try catalog.datasets.load(spec) }
                return loaded
            }
            if world.isRoot {
                let positions = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1, Int64($0)) })
                let funneled = FunneledCommunicator(world: world)
                var failure: Error?
                do {
                    try record { key, dataset in
                        var position = [positions[key]!]
                        try funneled.world.broadcastWaitingIdle(&position)
                        return try fit(key, dataset, over: funneled.world)
                    }
                } catch { failure = error }
                var end: [Int64] = [-1]
                try world.broadcastWaitingIdle(&end)
                if let failure { throw DistributedRun.AfterLastCollective(error: failure) }
            } else {
                while true {
                    var position: [Int64] = [0]
                    try world.broadcastWaitingIdle(&position)
                    guard position[0] >= 0 else { break }
                    let key = runs[Int(position[0])]
                    do {
                        _ = try fit(key, datasets[key.dataset]!, over: world)
                    } catch let error as DistributedError {
                        if case .mpi = error { throw error }   // the transport failed: end the job
                    } catch {
                        // every rank failed this fit together; rank 0 records it and sends the next run
                    }
                }
            }
        }
    }

    /// `key`'s fit on this rank's block of `dataset`'s rows, in lockstep with the other ranks.
    static func fit(_ key: RunKey, _ dataset: Dataset, over world: Communicator) throws -> LatentCore.FittedModel {
        let x = dataset.features
        try world.requireAgreement([Int64(x.rows), Int64(x.columns)], on: "dataset '\(dataset.name)': its rows and columns")
        guard let method = methods[key.method] else { preconditionFailure("DistributedBatch: \(key.method) passed the parse check but has no distributed fit") }
        return try method.fit(x.rows(world.block(of: x.rows)), key.parameters, key.seed, world)
    }
}

/// The communicator, carried into the runner's `@Sendable` fitter. Used without a lock, soundly:
/// a distributed batch runs one job at a time (`BatchRunner` refuses more), so the runner calls
/// its fitter on the thread that called `run` — the thread that initialised MPI, the only one
/// MPI's funneled mode lets call it.
private struct FunneledCommunicator: @unchecked Sendable {
    let world: Communicator
}
