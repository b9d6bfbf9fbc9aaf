import Foundation
import LatentCore
import LatentNN

/// SimCLR (Chen, Kornblith, Norouzi, Hinton, "A Simple Framework for Contrastive Learning of
/// Visual Representations", ICML 2020), Algorithm 1: for each image of a mini-batch of N, two
/// augmented views; the encoder f (`ImageEncoderArchitecture`) and the projection head g (an MLP)
/// map the 2N views to z; the loss is NT-Xent with temperature τ over the 2N views
/// (`Loss.ntXent`); after training g is thrown away and f's output h is the representation.
///
/// ```swift
/// let simclr = SimCLR(training: TrainingSettings(epochs: 10, batchSize: 256, learningRate: 1e-3))
/// let model = try simclr.fit(images, threads: 2)       // images: n × 784 in [0, 1]
/// let features = model.encode(images)                  // n × 128
/// ```
///
/// Deviations from the paper, for 2 CPU cores: Adam instead of LARS, a small CNN instead of
/// ResNet-50, batches of hundreds instead of thousands (see docs/self-supervised.md).
public struct SimCLR: Codable, Sendable, Equatable {
    public var architecture: ImageEncoderArchitecture
    /// Sizes of g after f's features: `[hidden, output]` (SimCLR: 2048 → 128 for ResNet-50).
    public var projection: [Int]
    /// τ in NT-Xent (> 0).
    public var temperature: Double
    public var augmentation: AugmentationSettings
    public var training: TrainingSettings

    public init(architecture: ImageEncoderArchitecture = ImageEncoderArchitecture(), projection: [Int] = [128, 64],
                temperature: Double = 0.5, augmentation: AugmentationSettings = .simCLR,
                training: TrainingSettings = TrainingSettings(epochs: 10, batchSize: 256, learningRate: 1e-3)) {
        self.architecture = architecture
        self.projection = projection
        self.temperature = temperature
        self.augmentation = augmentation
        self.training = training
    }

    /// The `method` entry of its model files.
    public static let method = "simclr"

    /// What is wrong with the method's own settings (sizes, temperature, grid), or `nil`; `fit`
    /// checks these and the encoder, augmentation and training settings.
    public var problem: String? {
        if projection.isEmpty || projection.contains(where: { $0 < 1 }) { return "projection sizes \(projection) must be positive" }
        if !(temperature > 0 && temperature.isFinite) { return "temperature \(temperature) must be positive and finite" }
        if training.batchSize < 2 { return "batch size \(training.batchSize) must be at least 2 (negatives come from the batch)" }
        return nil
    }

    /// Trains on image rows (`n × C·H·W`) and returns the encoder f.
    ///
    /// - Parameters:
    ///   - threads: workers that augment a batch's images; `prefetch`: batches augmented ahead on
    ///     a background thread. Neither changes the result.
    ///   - checkpoint: written atomically after every epoch; `resume` continues from it bit for bit.
    /// - Throws: `SelfSupervisedError`, `AutoencoderError` for bad data, `TrainingError`,
    ///   `IOError`/`CheckpointError` for checkpoint files.
    /// - Complexity: per epoch, `2n` forward and backward passes of f and g, and O(B²·d) per batch for NT-Xent.
    public func fit(_ images: Matrix<Float>, threads: Int = 1, prefetch: Int = 2, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedImageEncoder {
        try SelfSupervisedTraining.check(method: Self.method, images: images, architecture: architecture, augmentation: augmentation,
                                         training: training, extra: problem)
        let a = architecture
        var rng = Xoshiro256StarStar(seed: training.seed)
        let network = SimCLRNetwork(encoder: a.makeEncoder(using: &rng), projection: multilayerHead([a.outputSize] + projection, using: &rng))
        // dropLast: NT-Xent's negatives are the batch, so every step sees the same number of them
        let source = augmentation.pipeline(channels: a.channels, height: a.height, width: a.width)
            .batches(of: images, channels: a.channels, height: a.height, width: a.width, views: 2,
                     batchSize: Swift.min(training.batchSize, images.rows), dropLast: true, seed: training.seed,
                     threads: threads, prefetch: prefetch)
        return try SelfSupervisedTraining.fit(method: Self.method, configuration: self, architecture: a, training: training,
                                              epochs: \.training.epochs, task: SimCLRTask(network: network, temperature: temperature),
                                              encoder: network.encoder, source: source, checkpoint: checkpoint, resume: resume, onEvent: onEvent)
    }
}
