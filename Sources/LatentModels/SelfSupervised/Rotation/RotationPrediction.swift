import Foundation
import LatentCore
import LatentNN

/// Rotation prediction (Gidaris, Singh, Komodakis, "Unsupervised Representation Learning by
/// Predicting Image Rotations", ICLR 2018): every image is shown at 0°, 90°, 180° and 270° (all
/// four in the same batch, as the paper found best) and the encoder f plus a classifier head
/// learns which rotation it sees (4-way cross-entropy). The head is dropped after training.
///
/// ```swift
/// let model = try RotationPrediction(training: TrainingSettings(epochs: 5, batchSize: 64)).fit(images)
/// ```
public struct RotationPrediction: Codable, Sendable, Equatable {
    public var architecture: ImageEncoderArchitecture
    /// Hidden sizes of the classifier head between f's features and the 4 logits (empty: linear).
    public var head: [Int]
    /// Applied to each image before its four rotations.
    public var augmentation: AugmentationSettings
    public var training: TrainingSettings

    public init(architecture: ImageEncoderArchitecture = ImageEncoderArchitecture(), head: [Int] = [128],
                augmentation: AugmentationSettings = .light,
                training: TrainingSettings = TrainingSettings(epochs: 5, batchSize: 64, learningRate: 1e-3)) {
        self.architecture = architecture
        self.head = head
        self.augmentation = augmentation
        self.training = training
    }

    public static let method = "rotation"

    /// What is wrong with the method's own settings (sizes, temperature, grid), or `nil`; `fit`
    /// checks these and the encoder, augmentation and training settings.
    public var problem: String? {
        if head.contains(where: { $0 < 1 }) { return "head sizes \(head) must be positive" }
        if architecture.height != architecture.width { return "rotation prediction needs square images, not \(architecture.height)×\(architecture.width)" }
        return nil
    }

    /// Trains on image rows (`n × C·H·W`, square images) and returns the encoder f. Parameters and
    /// errors as `SimCLR.fit`. - Complexity: per epoch, `4n` forward and backward passes.
    public func fit(_ images: Matrix<Float>, threads: Int = 1, prefetch: Int = 2, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedImageEncoder {
        try SelfSupervisedTraining.check(method: Self.method, images: images, architecture: architecture, augmentation: augmentation,
                                         training: training, extra: problem)
        let a = architecture
        var rng = Xoshiro256StarStar(seed: training.seed)
        let encoder = a.makeEncoder(using: &rng)
        let network = PretextNetwork(encoder: encoder, head: multilayerHead([a.outputSize] + head + [4], using: &rng))
        let augment = augmentation.pipeline(channels: a.channels, height: a.height, width: a.width)
        let source = DataPipeline<[ImageSample], [Tensor<Float>]>(
            count: images.rows, batchSize: training.batchSize, seed: training.seed, threads: threads, prefetch: prefetch,
            sample: { i, rng in
                let image = augment(ImageSample(row: i, of: images, channels: a.channels, height: a.height, width: a.width), using: &rng)
                return (0..<4).map { RightAngleRotation.rotated(image, quarterTurns: $0) }
            },
            collate: { samples in (0..<4).map { k in AugmentationPipeline.stack(samples.map { $0[k] }) } })
        return try SelfSupervisedTraining.fit(method: Self.method, configuration: self, architecture: a, training: training,
                                              epochs: \.training.epochs, task: RotationTask(network: network), encoder: encoder,
                                              source: source, checkpoint: checkpoint, resume: resume, onEvent: onEvent)
    }
}

/// A pretext task's network: the encoder f and a classifier head on its features.
public final class PretextNetwork: Module {
    public typealias Scalar = Float
    public let encoder: Sequential<Float>
    public let head: Sequential<Float>

    public init(encoder: Sequential<Float>, head: Sequential<Float>) {
        self.encoder = encoder
        self.head = head
    }
}

/// One rotation-prediction step on four tensors `(B, C, H, W)` — the batch at 0°, 90°, 180°,
/// 270° — classified together as one batch of 4B. Metrics: `loss` and `accuracy` per image-rotation.
public final class RotationTask: TrainingTask {
    public let network: PretextNetwork
    public var model: any Module<Float> { network }

    public init(network: PretextNetwork) { self.network = network }

    func logitsAndLabels(_ rotations: [Tensor<Float>]) -> (Tensor<Float>, [Int]) {
        precondition(rotations.count == 4, "RotationTask: need the four rotations, got \(rotations.count) tensors")
        let b = rotations[0].shape[0]
        let labels = (0..<4).flatMap { [Int](repeating: $0, count: b) }
        return (network.head(network.encoder(Tensor.concatenate(rotations, alongAxis: 0))), labels)     // (4B, 4)
    }

    public func loss(_ rotations: [Tensor<Float>]) -> Tensor<Float> {
        let (logits, labels) = logitsAndLabels(rotations)
        return Loss.crossEntropy(logits, labels)
    }

    public func metrics(_ rotations: [Tensor<Float>]) -> Metrics {
        let (logits, labels) = logitsAndLabels(rotations)
        let correct = zip(logits.argmax(alongAxis: 1), labels).filter { $0 == $1 }.count
        return Metrics(["loss": Double(Loss.crossEntropy(logits, labels).item) * Double(labels.count), "accuracy": Double(correct)],
                       count: labels.count)
    }
}
