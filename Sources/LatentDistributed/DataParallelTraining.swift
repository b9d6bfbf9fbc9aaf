import Foundation
import LatentCore
import LatentIO
import LatentNN

/// Data-parallel training of any `TrainingTask` with LatentNN's `Trainer`: every rank holds the
/// whole model, trains on its shard of each global batch (`ShardedBatches`: the single process's
/// batches for the same seed, cut into `ranks` pieces), and the gradients of the global batch are
/// all-reduced before every step (`GradientAllReduce`), so every rank takes the same optimizer
/// step. Rank 0's weights are broadcast at the start, so the ranks begin identical.
///
/// What equals a single process: for a loss that is a mean of per-sample terms and a model
/// without batch statistics or dropout, the parameters after each step equal the single-process
/// run's up to the rounding of a different summation order. BatchNorm normalises each shard by its
/// own statistics (running statistics are averaged), dropout masks come from each rank's copy of
/// the model's streams, and a contrastive loss sees only its shard's negatives, so those models
/// train correctly but not bit-identically to one process.
///
/// Files: only rank 0 writes the checkpoint (atomically, after every epoch); it records the number
/// of ranks, and `resume(from:)` refuses a checkpoint from another number of ranks. Rank 0 reads
/// the checkpoint and sends its bytes to all ranks, so the file need not be on a shared disk.
///
/// ```swift
/// let world = try Communicator.world()
/// let training = try DataParallelTraining(task: ClassificationTask(net), optimizer: Adam(parameters: net.parameters),
///                                         seed: 0, checkpoint: url, training: loader, communicator: world)
/// try training.fit(epochs: 5)
/// try world.finalize()
/// ```
public final class DataParallelTraining<Task: TrainingTask, Source: ShardableBatchSource>
where Task.Batch == Source.Batch, Task.Scalar: MPIElement {
    /// The ranks that share the work.
    public let communicator: Communicator
    /// The single-process trainer this rank runs (its checkpoint is set on rank 0 only).
    public let trainer: Trainer<Task>
    /// This rank's shards of the training batches.
    public let training: ShardedBatches<Source>
    /// This rank's shards of the evaluation batches, if any.
    public let evaluation: ShardedBatches<Source>?
    /// The gradient averaging (its `communicationSeconds` tells the cost of the transfers).
    public let reduction: GradientAllReduce<Task.Scalar>

    /// - Parameters:
    ///   - checkpoint: the checkpoint file; written by rank 0 only, with a `ranks` metadata entry.
    ///   - training, evaluation: the global batch sources, the same on every rank.
    /// - Throws: `DistributedError.batchSmallerThanRanks` when a batch cannot give every rank a
    ///   sample; `DistributedError.ranksDisagree` when the ranks' data, seed or model differ;
    ///   `DistributedError.mpi` when a transfer fails.
    public init(task: Task, optimizer: any Optimizer<Task.Scalar>, seed: UInt64, schedule: LearningRateSchedule? = nil,
                maximumGradientNorm: Double? = nil, checkpoint: URL? = nil, metadata: [String: String] = [:],
                training: Source, evaluation: Source? = nil, communicator: Communicator,
                bucketElements: Int = 1 << 20) throws {
        self.communicator = communicator
        var metadata = metadata
        metadata["ranks"] = String(communicator.size)
        trainer = Trainer(task: task, optimizer: optimizer, seed: seed, schedule: schedule, maximumGradientNorm: maximumGradientNorm,
                          checkpoint: communicator.isRoot ? checkpoint : nil, metadata: metadata)
        self.training = try ShardedBatches(training, rank: communicator.rank, ranks: communicator.size)
        self.evaluation = try evaluation.map { try ShardedBatches($0, rank: communicator.rank, ranks: communicator.size) }
        reduction = try DataParallelism.install(on: trainer, training: self.training, evaluationSamples: evaluation?.sampleCount,
                                                communicator: communicator, bucketElements: bucketElements)
    }

    /// Continues from `url`: rank 0 reads the file and sends its bytes to every rank
    /// (`Communicator.readOnRoot`), which all load it (model, optimizer, generators, progress).
    /// - Throws: `DistributedError.rankFailed` on every rank when rank 0 cannot read the file;
    ///   see `resume(from:)` for a file already read.
    @discardableResult
    public func resume(from url: URL) throws -> Checkpoint.Contents {
        try resume(from: SafeTensors(bytes: communicator.readOnRoot(url), path: url.path))
    }

    /// Continues from a checkpoint every rank holds (read by rank 0 and sent to all with
    /// `Communicator.readOnRoot`, so that the file need only be on rank 0's disk).
    /// - Throws: `DistributedError.rankCountChanged` for a checkpoint of another number of ranks;
    ///   `CheckpointError` when it does not fit the model or optimizer (the same on every rank).
    @discardableResult
    public func resume(from file: SafeTensors) throws -> Checkpoint.Contents {
        try DataParallelism.requireSameRanks(file, communicator: communicator)
        return try trainer.resume(from: file)
    }

    /// Trains until `epochs` epochs are done (see `Trainer.fit`); the reports' losses and metrics
    /// are those of the global batches and the whole evaluation set, the same on every rank.
    @discardableResult
    public func fit(epochs: Int, onEvent: (TrainingEvent) -> Void = { _ in }) throws -> [EpochReport] {
        try trainer.fit(training, evaluation: evaluation, epochs: epochs, onEvent: onEvent)
    }
}
