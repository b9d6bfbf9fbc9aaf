import Foundation
import LatentCore
import LatentIO
import LatentNN

/// Data parallelism over the ranks of an MPI job for every `Trainer` built while it is bound
/// (`TrainingDistributionScope.$current.withValue(DataParallelism(world)) { … }`): the way any
/// model's `fit` — autoencoder, VAE, SimCLR, GPT, BERT, … — trains distributed without knowing
/// it. Each trainer gets what `DataParallelTraining` sets up: its training and evaluation
/// sources cut into shards (`ShardedBatches`; the source must be a `DataLoader` or
/// `DataPipeline`), gradients and running statistics all-reduced weighted by shard size
/// (`GradientAllReduce`), metrics summed over the ranks, rank 0's weights broadcast first, and a
/// check that every rank has the same set-up (seed, data sizes, parameters, progress). Only rank 0
/// writes checkpoints (with a `ranks` entry); checkpoints are read by rank 0 and sent to all, and
/// one from another number of ranks is refused.
///
/// What equals one process: see `DataParallelTraining` (a mean-of-samples loss without batch
/// statistics, dropout or per-batch noise trains to the single process's weights up to rounding).
///
/// `@unchecked Sendable` because a task-local value must be `Sendable`: the communicator is used
/// only by the trainers of the code inside `withValue`, which run on the calling thread — the
/// thread that initialised MPI, as its funneled mode requires (a task-local value does not reach
/// other threads).
public final class DataParallelism: TrainingDistribution, @unchecked Sendable {
    /// The ranks that share the work.
    public let communicator: Communicator
    /// Elements per all-reduce message.
    public let bucketElements: Int
    /// Each distributed trainer's transfer cost so far: seconds, steps, bytes per step.
    private var costs: [() -> (seconds: Double, steps: Int, bytes: Int)] = []
    /// The trainers set up so far (a resumed or repeated `fit` is not set up twice).
    private var installed: Set<ObjectIdentifier> = []

    public init(communicator: Communicator, bucketElements: Int = 1 << 20) {
        self.communicator = communicator
        self.bucketElements = bucketElements
    }

    public var writesCheckpoints: Bool { communicator.isRoot }

    /// Seconds spent in the gradient all-reduces of every trainer distributed so far (packing,
    /// transfer, and waiting for the slowest rank), the steps they reduced, and the bytes each
    /// step moved (of the last trainer).
    public var communication: (seconds: Double, steps: Int, bytesPerStep: Int) {
        let all = costs.map { $0() }
        return (all.reduce(0) { $0 + $1.seconds }, all.reduce(0) { $0 + $1.steps }, all.last?.bytes ?? 0)
    }

    public var checkpointMetadata: [String: String] { ["ranks": String(communicator.size)] }

    /// Rank 0 reads the file and sends its bytes (`Communicator.readOnRoot`).
    /// - Throws: `DistributedError.rankFailed` when rank 0 cannot read it,
    ///   `DistributedError.rankCountChanged` for a checkpoint of another number of ranks.
    public func readCheckpoint(_ url: URL) throws -> SafeTensors {
        let file = try SafeTensors(bytes: communicator.readOnRoot(url), path: url.path)
        try Self.requireSameRanks(file, communicator: communicator)
        return file
    }

    /// Throws `DistributedError.rankCountChanged` unless `file` was written by a run on as many
    /// ranks as `communicator` has (or records none): a resumed run must cut its batches alike.
    static func requireSameRanks(_ file: SafeTensors, communicator: Communicator) throws {
        if let saved = file.metadata["ranks"].flatMap(Int.init), saved != communicator.size {
            throw DistributedError.rankCountChanged(checkpoint: file.path, saved: saved, now: communicator.size)
        }
    }

    /// - Throws: `DistributedError.unsupported` for a source that cannot be cut into shards,
    ///   and what `DataParallelTraining.init` throws.
    public func distribute<Task: TrainingTask>(_ trainer: Trainer<Task>, training: any BatchSource<Task.Batch>,
                                               evaluation: (any BatchSource<Task.Batch>)?) throws
        -> (training: any BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)?) {
        // `DataParallelTraining` passes its own shards, with its reductions set
        if training is any AlreadySharded { return (training, evaluation) }
        func shardable(_ source: any BatchSource<Task.Batch>) throws -> any ShardableBatchSource<Task.Batch> {
            guard let s = source as? any ShardableBatchSource<Task.Batch> else {
                throw DistributedError.unsupported("a batch source that cannot be cut into shards (\(type(of: source)); use a DataLoader or DataPipeline)")
            }
            return s
        }
        let evaluationSource = try evaluation.map(shardable)
        let shards = try shard(shardable(training), trainer: trainer, evaluationSamples: evaluationSource?.sampleCount)
        return (shards, try evaluationSource.map { try evaluationShards($0) })
    }

    /// This rank's shards of `source` (a generic function, so that an existential opens into it).
    private func evaluationShards<Source: ShardableBatchSource>(_ source: Source) throws -> any BatchSource<Source.Batch> {
        try ShardedBatches(source, rank: communicator.rank, ranks: communicator.size)
    }

    private func shard<Source: ShardableBatchSource, Task: TrainingTask>(
        _ source: Source, trainer: Trainer<Task>, evaluationSamples: Int?) throws -> any BatchSource<Task.Batch> where Source.Batch == Task.Batch {
        let shards = try ShardedBatches(source, rank: communicator.rank, ranks: communicator.size)
        guard installed.insert(ObjectIdentifier(trainer)).inserted else { return shards }
        let reduction = try Self.install(on: trainer, training: shards, evaluationSamples: evaluationSamples, communicator: communicator,
                                         bucketElements: bucketElements)
        costs.append { [reduction] in
            (reduction.communicationSeconds, reduction.steps, reduction.elementsPerStep * MemoryLayout<Task.Scalar>.size)
        }
        return shards
    }

    /// Makes `trainer` a data-parallel one over `communicator`: checks that every rank has the
    /// same set-up, broadcasts rank 0's weights, sets the trainer's gradient and metric
    /// reductions. Shared by `DataParallelTraining` and `distribute`.
    static func install<Task: TrainingTask, Source: ShardableBatchSource>(
        on trainer: Trainer<Task>, training: ShardedBatches<Source>, evaluationSamples: Int?, communicator: Communicator,
        bucketElements: Int) throws -> GradientAllReduce<Task.Scalar> where Source.Batch == Task.Batch {
        let model = trainer.task.model
        let parameters = trainer.optimizer.parameters
        let trainable = Set(parameters.map(ObjectIdentifier.init))
        let buffers = model.namedTensors().map(\.tensor).filter { !trainable.contains(ObjectIdentifier($0)) }
        let reduction = GradientAllReduce(communicator: communicator, parameters: parameters, buffers: buffers, bucketElements: bucketElements)
        let source = training.source
        let settings = trainer.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        try communicator.requireAgreement(
            [Int64(bitPattern: trainer.progress.seed), Int64(source.sampleCount), Int64(source.batchSize), Int64(source.batchCount),
             Int64(evaluationSamples ?? -1), Int64(parameters.count), Int64(reduction.elementsPerStep),
             Int64(bitPattern: StableHash.fnv1a(settings)), Int64(trainer.progress.step)],
            on: "the training set-up (seed, samples, batch size, batches, evaluation samples, parameters, elements per step, hash of the checkpoint metadata, steps done)")
        // start from rank 0's weights, so the ranks are identical whatever their initialisation did
        for (_, tensor) in model.namedTensors() { try communicator.broadcastValues(&tensor.storage) }
        trainer.gradientReduction = { [unowned trainer, reduction] localLoss in
            let batch = trainer.progress.step % training.batchCount
            return try reduction.reduce(localLoss: localLoss, samples: training.shardSize(ofBatch: batch))
        }
        trainer.metricsReduction = { [communicator] local in try communicator.allReduce(local) }
        return reduction
    }
}
