import Foundation

/// Spreads a `Trainer`'s run over several processes (data parallelism: LatentDistributed's
/// `DataParallelism`, over MPI). Bound to a stretch of code with
/// `TrainingDistributionScope.$current.withValue(d) { … }`, it reaches every `Trainer` that code
/// builds — also the ones inside a model's `fit` (autoencoders, VAEs, SimCLR, GPT, BERT, …) — so
/// one implementation serves every `TrainingTask` without each `fit` passing it on. While one is
/// bound, `Trainer.fit` trains on this process's share of each batch with collective gradient
/// and metric reductions, `Trainer.resume(from:)` reads the checkpoint through it, and only the
/// process with `writesCheckpoints` writes checkpoints.
public protocol TrainingDistribution: Sendable {
    /// Whether this process writes checkpoints (one process of the job does).
    var writesCheckpoints: Bool { get }
    /// Entries added to every checkpoint's metadata (e.g. the number of processes).
    var checkpointMetadata: [String: String] { get }
    /// The checkpoint at `url`, read once for all processes.
    func readCheckpoint(_ url: URL) throws -> SafeTensors
    /// This process's share of the batches of `training` and `evaluation`; the first time for
    /// `trainer`, also makes its steps collective (sets its `gradientReduction` and
    /// `metricsReduction`) and every process's weights equal. Called by `Trainer.fit`.
    func distribute<Task: TrainingTask>(_ trainer: Trainer<Task>, training: any BatchSource<Task.Batch>,
                                        evaluation: (any BatchSource<Task.Batch>)?) throws
        -> (training: any BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)?)
}

/// The `TrainingDistribution` bound to the running code (a task-local value: bound for the
/// duration of `withValue`, on the calling thread), or `nil` for one process.
public enum TrainingDistributionScope {
    @TaskLocal public static var current: (any TrainingDistribution)?
}
