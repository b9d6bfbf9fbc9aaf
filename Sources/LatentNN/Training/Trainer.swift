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
    /// Mean loss on the evaluation set, when one was given.
    public let evaluationLoss: Double?
    /// Fraction of the evaluation set classified correctly (0…1), when one was given.
    public let evaluationAccuracy: Double?
    /// Optimizer steps taken so far in the run.
    public let step: Int
    /// Wall-clock seconds of the epoch's training (not evaluation).
    public let seconds: Double
}

/// A notification while training, for progress output.
public enum TrainingEvent: Sendable {
    /// Batch `batch` of `batches` (1-based) of `epoch` is done, as optimizer step `step`, with its loss.
    case step(epoch: Int, batch: Int, batches: Int, step: Int, loss: Double)
    /// An epoch is done (and checkpointed when a checkpoint file is set).
    case epochFinished(EpochReport)
}

/// A small training loop for supervised models, reading top to bottom like nanoGPT's `train.py`:
/// per step — learning rate from the schedule, forward, loss check, backward, clip, update; per
/// epoch — evaluation, then a checkpoint.
///
/// Exact resumption: the data order of an epoch depends only on `(seed, epoch)` (`DataLoader`),
/// the learning rate only on the step, and the checkpoint holds the parameters, buffers, optimizer
/// moments and dropout generators; so `resume()` + `fit` continues bit for bit like a run that was
/// never interrupted.
///
/// Safety: a NaN or infinite loss throws `TrainingError.nonFiniteLoss` naming the step before
/// anything is updated; at the end of an epoch every parameter and buffer must be finite
/// (`TrainingError.nonFiniteParameter` otherwise) before the checkpoint is written, atomically, so
/// the last good checkpoint always survives. After such an error the model is in a diverged state:
/// `resume()` returns it to the last checkpoint.
public final class Trainer<Scalar: BLASScalar> {
    /// The network being trained.
    public let model: any Layer<Scalar>
    /// The optimizer over `model`'s parameters.
    public let optimizer: any Optimizer<Scalar>
    /// Learning rate per step, or `nil` to leave `optimizer.learningRate` alone.
    public let schedule: LearningRateSchedule?
    /// Global gradient-norm bound (`clipGradientNorm`), or `nil` for none.
    public let maximumGradientNorm: Double?
    /// Where a checkpoint is written after every epoch, or `nil`.
    public let checkpoint: URL?
    /// Extra metadata strings stored in checkpoints (e.g. the model kind).
    public let metadata: [String: String]
    /// The loss of a batch; by default cross-entropy of `model(inputs)` against the labels.
    public let loss: (any Layer<Scalar>, DataLoader<Scalar>.Batch) -> Tensor<Scalar>
    /// Epochs and steps done so far, and the run's seed.
    public private(set) var progress: TrainingProgress

    /// A trainer starting at epoch 0, step 0.
    public init(model: any Layer<Scalar>, optimizer: any Optimizer<Scalar>, seed: UInt64,
                schedule: LearningRateSchedule? = nil, maximumGradientNorm: Double? = nil,
                checkpoint: URL? = nil, metadata: [String: String] = [:],
                loss: @escaping (any Layer<Scalar>, DataLoader<Scalar>.Batch) -> Tensor<Scalar> = Trainer.crossEntropyLoss) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.maximumGradientNorm = maximumGradientNorm
        self.checkpoint = checkpoint
        self.metadata = metadata
        self.loss = loss
        self.progress = TrainingProgress(seed: seed)
    }

    /// Cross-entropy of the model's logits against the batch labels.
    public static func crossEntropyLoss(_ model: any Layer<Scalar>, _ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> {
        Loss.crossEntropy(model(batch.inputs), batch.labels)
    }

    /// Loads the checkpoint file (model, optimizer, generators, progress) to continue from it.
    /// - Throws: `IOError`, `CheckpointError` (see `Checkpoint.load`).
    @discardableResult
    public func resume(from url: URL? = nil) throws -> Checkpoint.Contents {
        guard let url = url ?? checkpoint else { preconditionFailure("Trainer.resume: no checkpoint file given") }
        let contents = try Checkpoint.load(from: url, into: model, optimizer: optimizer)
        progress = contents.progress
        return contents
    }

    /// Trains until `epochs` epochs are done in total (so a resumed run does the rest), evaluating
    /// on `evaluation` and checkpointing after each epoch. Returns the reports of the epochs run.
    /// - Throws: `TrainingError` when the numbers diverge, `IOError` when a checkpoint cannot be written.
    @discardableResult
    public func fit(_ training: DataLoader<Scalar>, evaluation: DataLoader<Scalar>? = nil, epochs: Int,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> [EpochReport] {
        var reports: [EpochReport] = []
        while progress.epoch < epochs {
            let report = try trainEpoch(training, evaluation: evaluation, onEvent: onEvent)
            reports.append(report)
            onEvent(.epochFinished(report))
        }
        return reports
    }

    /// Runs one epoch (number `progress.epoch`) over `training`, then evaluates and checkpoints.
    public func trainEpoch(_ training: DataLoader<Scalar>, evaluation: DataLoader<Scalar>? = nil,
                           onEvent: (TrainingEvent) -> Void = { _ in }) throws -> EpochReport {
        let epoch = progress.epoch + 1
        let start = ContinuousClock.now
        let batches = training.batches(epoch: progress.epoch)
        model.train()
        var total = 0.0
        for (i, batch) in batches.enumerated() {
            // learning rate for this step
            if let schedule { optimizer.learningRate = schedule.rate(at: progress.step) }
            // forward, with a check before anything changes
            let l = loss(model, batch)
            let value = Double(l.item)
            guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: progress.step + 1, value: value) }
            // backward and update
            model.zeroGrad()
            l.backward()
            if let maximumGradientNorm { clipGradientNorm(optimizer.parameters, maxNorm: maximumGradientNorm) }
            optimizer.step()
            progress.step += 1
            total += value
            onEvent(.step(epoch: epoch, batch: i + 1, batches: batches.count, step: progress.step, loss: value))
        }
        model.zeroGrad()
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        // a NaN can hide from the loss (ReLU maps it to 0), so check the weights before saving them
        if let bad = model.namedTensors().first(where: { !Trainer.allFinite($0.tensor.storage) }) {
            throw TrainingError.nonFiniteParameter(epoch: epoch, step: progress.step, name: bad.name)
        }
        progress.epoch += 1
        let scores = evaluation.map { self.evaluate($0) }
        if let checkpoint {
            try Checkpoint.save(model: model, optimizer: optimizer, progress: progress, metadata: metadata, to: checkpoint)
        }
        return EpochReport(epoch: epoch, trainingLoss: total / Double(Swift.max(1, batches.count)),
                           evaluationLoss: scores?.loss, evaluationAccuracy: scores?.accuracy,
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

    /// Mean loss and classification accuracy (argmax of the logits vs the labels) over `loader`,
    /// in evaluation mode without recording gradients; the model returns to training mode after.
    public func evaluate(_ loader: DataLoader<Scalar>) -> (loss: Double, accuracy: Double) {
        model.eval()
        defer { model.train() }
        return withoutGradient {
            var lossSum = 0.0, correct = 0, seen = 0
            for batch in loader.batches(epoch: 0) {
                let logits = model(batch.inputs)
                lossSum += Double(Loss.crossEntropy(logits, batch.labels).item) * Double(batch.labels.count)
                correct += zip(logits.argmax(alongAxis: 1), batch.labels).filter { $0 == $1 }.count
                seen += batch.labels.count
            }
            return (lossSum / Double(Swift.max(1, seen)), Double(correct) / Double(Swift.max(1, seen)))
        }
    }
}
