import Foundation
import LatentCore

/// Training stopped because the numbers went bad.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss of optimizer step `step` (1-based, counted over the whole run) in `epoch`
    /// (1-based) was NaN or infinite. Nothing was updated or saved from that step on.
    case nonFiniteLoss(epoch: Int, step: Int, value: Double)
    /// Parameter `name` held NaN or infinity after step `step`, so no checkpoint was written.
    case nonFiniteParameter(epoch: Int, step: Int, name: String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, step, value):
            return "training diverged: loss is \(value) at step \(step) (epoch \(epoch)); the last checkpoint is kept — lower the learning rate or clip gradients"
        case let .nonFiniteParameter(epoch, step, name):
            return "training diverged: parameter \(name) is not finite after step \(step) (epoch \(epoch)); the last checkpoint is kept"
        }
    }
}

/// What one epoch of training did.
public struct EpochReport: Sendable, Equatable {
    /// The epoch, 1-based.
    public let epoch: Int
    /// Mean training loss over the epoch's batches.
    public let trainingLoss: Double
    /// The task's metrics on the evaluation set (means per sample), when one was given.
    public let evaluation: [String: Double]?
    /// Optimizer steps taken so far in the run.
    public let step: Int
    /// Wall-clock seconds of the epoch's training (not evaluation).
    public let seconds: Double

    /// Mean loss on the evaluation set (the `loss` metric), when one was given.
    public var evaluationLoss: Double? { evaluation?["loss"] }
    /// Fraction of the evaluation set classified correctly (the `accuracy` metric, 0…1).
    public var evaluationAccuracy: Double? { evaluation?["accuracy"] }
}

/// A notification while training, for progress output.
public enum TrainingEvent: Sendable {
    /// Batch `batch` of `batches` (1-based) of `epoch` is done, as optimizer step `step`, with its loss.
    case step(epoch: Int, batch: Int, batches: Int, step: Int, loss: Double)
    /// An epoch is done (and checkpointed when a checkpoint file is set).
    case epochFinished(EpochReport)
}

/// A training loop for any `TrainingTask`, reading top to bottom like nanoGPT's `train.py`:
/// per step — learning rate from the schedule, forward (the task's loss), loss check, backward,
/// clip, update; per epoch — evaluation (the task's metrics), then a checkpoint.
///
/// Exact resumption: the data order of an epoch depends only on `(seed, epoch)` (`BatchSource`),
/// the learning rate only on the step, and the checkpoint holds the parameters, buffers, optimizer
/// moments and every stochastic module's generator; so `resume()` + `fit` continues bit for bit
/// like a run that was never interrupted.
///
/// Safety: a NaN or infinite loss throws `TrainingError.nonFiniteLoss` naming the step before
/// anything is updated; at the end of an epoch every parameter and buffer must be finite
/// (`TrainingError.nonFiniteParameter` otherwise) before the checkpoint is written, atomically, so
/// the last good checkpoint always survives. After such an error the model is in a diverged state:
/// `resume()` returns it to the last checkpoint.
///
/// The first trainer of a process calls `Allocation.retainFreedMemory()`: every step frees and
/// allocates the same large buffers, which glibc would otherwise unmap and fault in again.
public final class Trainer<Task: TrainingTask> {
    public typealias Scalar = Task.Scalar
    /// What is learned: the model, its loss and metrics.
    public let task: Task
    /// The optimizer over the model's parameters.
    public let optimizer: any Optimizer<Scalar>
    /// Learning rate per step, or `nil` to leave `optimizer.learningRate` alone.
    public let schedule: LearningRateSchedule?
    /// Global gradient-norm bound (`clipGradientNorm`), or `nil` for none.
    public let maximumGradientNorm: Double?
    /// Where a checkpoint is written after every epoch, or `nil`.
    public let checkpoint: URL?
    /// Extra metadata strings stored in checkpoints (e.g. the model kind).
    public let metadata: [String: String]
    /// Epochs and steps done so far, and the run's seed.
    public private(set) var progress: TrainingProgress
    /// Data-parallel training (LatentDistributed): called on every step after `backward()` and
    /// before clipping with this process's loss; it replaces the parameters' gradients by those of
    /// the global batch and returns the global batch's loss, which is then checked for NaN. `nil`
    /// for single-process training (the loss is checked before `backward()`).
    public var gradientReduction: ((_ localLoss: Double) throws -> Double)?
    /// Data-parallel evaluation: turns this process's metric totals into the totals over all
    /// processes (each evaluates its shard of the evaluation set). `nil` for single-process runs.
    public var metricsReduction: ((Metrics) throws -> Metrics)?

    /// The network being trained (`task.model`).
    public var model: any Module<Scalar> { task.model }

    /// A trainer of `task` starting at epoch 0, step 0.
    public init(task: Task, optimizer: any Optimizer<Scalar>, seed: UInt64,
                schedule: LearningRateSchedule? = nil, maximumGradientNorm: Double? = nil,
                checkpoint: URL? = nil, metadata: [String: String] = [:]) {
        self.task = task
        self.optimizer = optimizer
        self.schedule = schedule
        self.maximumGradientNorm = maximumGradientNorm
        self.checkpoint = checkpoint
        self.metadata = metadata
        self.progress = TrainingProgress(seed: seed)
        _ = allocatorTunedForTraining     // the step's buffers are reused, not page-faulted in again
    }

    /// Loads the checkpoint file (model, optimizer, generators, progress) to continue from it.
    /// - Throws: `IOError`, `CheckpointError` (see `Checkpoint.load`).
    @discardableResult
    public func resume(from url: URL? = nil) throws -> Checkpoint.Contents {
        guard let url = url ?? checkpoint else { preconditionFailure("Trainer.resume: no checkpoint file given") }
        // with a TrainingDistribution bound, one process reads the file for all
        let contents = try TrainingDistributionScope.current.map { try Checkpoint.load($0.readCheckpoint(url), into: model, optimizer: optimizer) }
            ?? Checkpoint.load(from: url, into: model, optimizer: optimizer)
        progress = contents.progress
        return contents
    }

    /// Loads an already-read checkpoint (e.g. one rank read the file and sent its bytes to all).
    /// - Throws: `CheckpointError` (see `Checkpoint.load`).
    @discardableResult
    public func resume(from file: SafeTensors) throws -> Checkpoint.Contents {
        let contents = try Checkpoint.load(file, into: model, optimizer: optimizer)
        progress = contents.progress
        return contents
    }

    /// Trains until `epochs` epochs are done in total (so a resumed run does the rest), evaluating
    /// on `evaluation` and checkpointing after each epoch. Returns the reports of the epochs run.
    /// With a `TrainingDistribution` bound (`TrainingDistributionScope`), it trains on this
    /// process's share of the batches that the distribution gives it.
    /// - Throws: `TrainingError` when the numbers diverge, `IOError` when a checkpoint cannot be
    ///   written, or what the batch source (or the distribution) throws.
    @discardableResult
    public func fit(_ training: some BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)? = nil, epochs: Int,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> [EpochReport] {
        guard let distribution = TrainingDistributionScope.current else {
            return try fitEpochs(training, evaluation: evaluation, epochs: epochs, onEvent: onEvent)
        }
        let shares = try distribution.distribute(self, training: training, evaluation: evaluation)
        return try fitEpochs(shares.training, evaluation: shares.evaluation, epochs: epochs, onEvent: onEvent)
    }

    private func fitEpochs(_ training: some BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)?, epochs: Int,
                           onEvent: (TrainingEvent) -> Void) throws -> [EpochReport] {
        var reports: [EpochReport] = []
        while progress.epoch < epochs {
            let report = try trainEpoch(training, evaluation: evaluation, onEvent: onEvent)
            reports.append(report)
            onEvent(.epochFinished(report))
        }
        return reports
    }

    /// Runs one epoch (number `progress.epoch`) over `training`, then evaluates and checkpoints.
    public func trainEpoch(_ training: some BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)? = nil,
                           onEvent: (TrainingEvent) -> Void = { _ in }) throws -> EpochReport {
        let epoch = progress.epoch + 1
        let start = ContinuousClock.now
        let batches = training.batchCount
        task.prepareForTraining()
        var total = 0.0, done = 0
        try training.forEachBatch(epoch: progress.epoch) { batch in
            // learning rate for this step
            if let schedule { optimizer.learningRate = schedule.rate(at: progress.step) }
            // forward, with a check before anything changes
            let l = task.loss(batch)
            var value = Double(l.item)
            if gradientReduction == nil {
                guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: progress.step + 1, value: value) }
            }
            // backward and update
            model.zeroGrad()
            l.backward()
            if let gradientReduction {
                // every process takes part in the reduction, so the check uses the global loss
                value = try gradientReduction(value)
                guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: progress.step + 1, value: value) }
            }
            if let maximumGradientNorm { clipGradientNorm(optimizer.parameters, maxNorm: maximumGradientNorm) }
            optimizer.step()
            progress.step += 1
            total += value
            done += 1
            onEvent(.step(epoch: epoch, batch: done, batches: batches, step: progress.step, loss: value))
        }
        model.zeroGrad()
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        // a NaN can hide from the loss (ReLU maps it to 0), so check the weights before saving them
        if let bad = model.namedTensors().first(where: { !Trainer.allFinite($0.tensor.storage) }) {
            throw TrainingError.nonFiniteParameter(epoch: epoch, step: progress.step, name: bad.name)
        }
        progress.epoch += 1
        let scores = try evaluation.map { source -> Metrics in
            let local = try self.evaluate(source)
            return try metricsReduction.map { try $0(local) } ?? local
        }
        if let checkpoint {
            let distribution = TrainingDistributionScope.current
            if distribution?.writesCheckpoints ?? true {
                try Checkpoint.save(model: model, optimizer: optimizer, progress: progress,
                                    metadata: metadata.merging(distribution?.checkpointMetadata ?? [:]) { _, added in added }, to: checkpoint)
            }
        }
        return EpochReport(epoch: epoch, trainingLoss: total / Double(Swift.max(1, done)), evaluation: scores?.means,
                           step: progress.step, seconds: seconds)
    }

    /// Whether every value is finite (a NaN or ±∞ makes `x − x` NaN, so one pass of subtractions).
    static func allFinite(_ values: [Scalar]) -> Bool {
        values.withUnsafeBufferPointer { p in
            var acc: Scalar = 0
            for v in p { acc += v - v }
            return acc == 0
        }
    }

    /// The task's metrics summed over `source` (epoch 0's order), in evaluation mode without
    /// recording gradients; training modes are restored after.
    public func evaluate(_ source: any BatchSource<Task.Batch>) throws -> Metrics {
        model.eval()
        defer { task.prepareForTraining() }
        return try withoutGradient {
            var sum = Metrics()
            try source.forEachBatch(epoch: 0) { sum += task.metrics($0) }
            return sum
        }
    }
}

extension Trainer {
    /// A classifier trainer (`ClassificationTask`): cross-entropy against the batch labels,
    /// accuracy on the evaluation set.
    public convenience init<S: BLASScalar>(model: any Layer<S>, optimizer: any Optimizer<S>, seed: UInt64,
                                           schedule: LearningRateSchedule? = nil, maximumGradientNorm: Double? = nil,
                                           checkpoint: URL? = nil, metadata: [String: String] = [:]) where Task == ClassificationTask<S> {
        self.init(task: ClassificationTask(model), optimizer: optimizer, seed: seed, schedule: schedule,
                  maximumGradientNorm: maximumGradientNorm, checkpoint: checkpoint, metadata: metadata)
    }
}
