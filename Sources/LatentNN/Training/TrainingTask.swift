import LatentCore

/// What a model learns from a batch: the loss to minimise and the numbers to report. One
/// `Trainer` runs any task — a classifier, a VAE (reconstruction + KL), SimCLR (NT-Xent over two
/// views), a masked or causal language model — because the task, not the trainer, knows what a
/// batch holds and what the model returns.
///
/// ```swift
/// final class Reconstruction: TrainingTask {
///     let autoencoder: Sequential<Float>
///     var model: any Module<Float> { autoencoder }
///     init(_ autoencoder: Sequential<Float>) { self.autoencoder = autoencoder }
///     func loss(_ batch: DataLoader<Float>.Batch) -> Tensor<Float> {
///         Loss.meanSquaredError(autoencoder(batch.inputs), batch.inputs)
///     }
///     func metrics(_ batch: DataLoader<Float>.Batch) -> Metrics {      // sums over the batch
///         let n = batch.indices.count
///         return Metrics(["loss": Double(loss(batch).item) * Double(n)], count: n)
///     }
/// }
/// ```
public protocol TrainingTask<Batch>: AnyObject {
    associatedtype Scalar: BLASScalar
    /// What one step consumes (e.g. `DataLoader.Batch`, `TokenBatch`, a pair of views).
    associatedtype Batch
    /// Everything that is trained, evaluated and checkpointed (the optimizer gets its parameters).
    var model: any Module<Scalar> { get }
    /// The scalar loss of `batch`, recorded for `backward()`; the model is in training mode.
    func loss(_ batch: Batch) -> Tensor<Scalar>
    /// Each metric summed over the batch's samples, and the sample count; called in evaluation
    /// mode without gradient recording. The trainer divides the totals over a data set by its count.
    func metrics(_ batch: Batch) -> Metrics
    /// Sets the modes for a training epoch; by default `model.train()`. A task over a frozen
    /// encoder calls `model.train()` and then `encoder.eval()` so the encoder keeps evaluation
    /// behaviour (no dropout, running statistics) under a trainable head.
    func prepareForTraining()
}

extension TrainingTask {
    public func prepareForTraining() { model.train() }
}

/// Metric totals over some samples: `totals["loss"]` is the sum of per-sample losses, so means
/// over a data set are exact however it is batched.
public struct Metrics: Sendable, Equatable {
    /// Each metric summed over the samples.
    public var totals: [String: Double]
    /// The number of samples.
    public var count: Int

    public init(_ totals: [String: Double] = [:], count: Int = 0) {
        self.totals = totals
        self.count = count
    }

    /// Adds another batch's totals and count.
    public static func += (a: inout Metrics, b: Metrics) {
        a.totals.merge(b.totals, uniquingKeysWith: +)
        a.count += b.count
    }

    /// The mean of metric `name` per sample, or `nil` when absent (or no samples).
    public func mean(_ name: String) -> Double? {
        guard let t = totals[name], count > 0 else { return nil }
        return t / Double(count)
    }

    /// Every metric's mean per sample.
    public var means: [String: Double] { totals.compactMapValues { count > 0 ? $0 / Double(count) : nil } }
}

/// Classification of `DataLoader` batches: cross-entropy of `model(inputs)` against the labels;
/// metrics `loss` (cross-entropy) and `accuracy` (argmax of the logits equal to the label).
public final class ClassificationTask<Scalar: BLASScalar>: TrainingTask {
    /// The classifier: inputs `(B, …)` to logits `(B, classes)`.
    public let classifier: any Layer<Scalar>
    public var model: any Module<Scalar> { classifier }

    public init(_ classifier: any Layer<Scalar>) { self.classifier = classifier }

    public func loss(_ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> {
        Loss.crossEntropy(classifier(batch.inputs), batch.labels)
    }

    public func metrics(_ batch: DataLoader<Scalar>.Batch) -> Metrics {
        let logits = classifier(batch.inputs)
        let n = batch.labels.count
        let correct = zip(logits.argmax(alongAxis: 1), batch.labels).filter { $0 == $1 }.count
        return Metrics(["loss": Double(Loss.crossEntropy(logits, batch.labels).item) * Double(n), "accuracy": Double(correct)], count: n)
    }
}
