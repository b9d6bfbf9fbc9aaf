import Foundation
import LatentCore
import LatentNN

/// Context prediction (Doersch, Gupta, Efros, "Unsupervised Visual Representation Learning by
/// Context Prediction", ICCV 2015): a 3 × 3 grid of `patchSize` patches separated by `gap`
/// pixels is laid over the image at a random offset, each patch moved by up to `jitter` pixels;
/// the encoder f sees the centre patch and one of its 8 neighbours, and a head on the two
/// feature vectors side by side predicts the neighbour's position (8-way cross-entropy). The gap
/// and jitter stop it from matching edges and lines across the border. The head is dropped
/// after training; f, being fully convolutional, then encodes whole images.
///
/// Fashion-MNIST defaults: 7 × 7 patches, gap 2, jitter 1 (the grid spans 25 of 28 pixels).
public struct ContextPrediction: Codable, Sendable, Equatable {
    public var architecture: ImageEncoderArchitecture
    public var patchSize: Int
    public var gap: Int
    public var jitter: Int
    /// Hidden sizes of the head between the 2h concatenated features and the 8 logits.
    public var head: [Int]
    /// Applied to the whole image before the patches are cut.
    public var augmentation: AugmentationSettings
    public var training: TrainingSettings

    public init(architecture: ImageEncoderArchitecture = ImageEncoderArchitecture(), patchSize: Int = 7, gap: Int = 2, jitter: Int = 1,
                head: [Int] = [128], augmentation: AugmentationSettings = .light,
                training: TrainingSettings = TrainingSettings(epochs: 5, batchSize: 128, learningRate: 1e-3)) {
        self.architecture = architecture
        self.patchSize = patchSize
        self.gap = gap
        self.jitter = jitter
        self.head = head
        self.augmentation = augmentation
        self.training = training
    }

    public static let method = "context"

    /// The eight neighbour positions (row, column) in the 3 × 3 grid, in label order.
    public static let positions = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)]

    /// What is wrong with the method's own settings (sizes, temperature, grid), or `nil`; `fit`
    /// checks these and the encoder, augmentation and training settings.
    public var problem: String? {
        let a = architecture
        if patchSize < a.minimumSide { return "patch size \(patchSize) is below the encoder's smallest input side \(a.minimumSide)" }
        if gap < 0 || jitter < 0 { return "gap \(gap) and jitter \(jitter) must be ≥ 0" }
        let span = 3 * patchSize + 2 * gap + 2 * jitter
        if span > Swift.min(a.height, a.width) {
            return "3 patches of \(patchSize) with gap \(gap) and jitter \(jitter) need \(span) pixels, the images have \(a.height)×\(a.width)"
        }
        if head.contains(where: { $0 < 1 }) { return "head sizes \(head) must be positive" }
        return nil
    }

    /// The centre patch, one neighbour and its position label (0…7), cut from `image` with `rng`.
    public func patchPair(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> (centre: ImageSample, neighbour: ImageSample, position: Int) {
        let p = patchSize, step = patchSize + gap
        let slackY = image.height - (3 * p + 2 * gap) - 2 * jitter, slackX = image.width - (3 * p + 2 * gap) - 2 * jitter
        precondition(slackY >= 0 && slackX >= 0, "ContextPrediction.patchPair: image \(image.height)×\(image.width) too small for the grid")
        let oy = jitter + rng.integer(below: slackY + 1), ox = jitter + rng.integer(below: slackX + 1)
        func cut(_ row: Int, _ column: Int, using rng: inout Xoshiro256StarStar) -> ImageSample {
            let top = oy + row * step + rng.integer(below: 2 * jitter + 1) - jitter
            let left = ox + column * step + rng.integer(below: 2 * jitter + 1) - jitter
            var patch = ImageSample(channels: image.channels, height: p, width: p)
            for c in 0..<image.channels { for y in 0..<p { for x in 0..<p { patch[c, y, x] = image[c, top + y, left + x] } } }
            return patch
        }
        let position = rng.integer(below: 8)
        let centre = cut(1, 1, using: &rng)
        let (r, c) = Self.positions[position]
        return (centre, cut(r, c, using: &rng), position)
    }

    /// Trains on image rows (`n × C·H·W`) and returns the encoder f. Parameters and errors as
    /// `SimCLR.fit`. - Complexity: per epoch, `2n` patch passes through f and n through the head.
    public func fit(_ images: Matrix<Float>, threads: Int = 1, prefetch: Int = 2, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedImageEncoder {
        try SelfSupervisedTraining.check(method: Self.method, images: images, architecture: architecture, augmentation: augmentation,
                                         training: training, extra: problem)
        let a = architecture
        var rng = Xoshiro256StarStar(seed: training.seed)
        let encoder = a.makeEncoder(using: &rng)
        let network = PretextNetwork(encoder: encoder, head: multilayerHead([2 * a.outputSize] + head + [8], using: &rng))
        let augment = augmentation.pipeline(channels: a.channels, height: a.height, width: a.width)
        let configuration = self
        let source = DataPipeline<(centre: ImageSample, neighbour: ImageSample, position: Int), PatchPairBatch>(
            count: images.rows, batchSize: training.batchSize, seed: training.seed, threads: threads, prefetch: prefetch,
            sample: { i, rng in
                let image = augment(ImageSample(row: i, of: images, channels: a.channels, height: a.height, width: a.width), using: &rng)
                return configuration.patchPair(image, using: &rng)
            },
            collate: { pairs in
                PatchPairBatch(centres: AugmentationPipeline.stack(pairs.map(\.centre)),
                               neighbours: AugmentationPipeline.stack(pairs.map(\.neighbour)), positions: pairs.map(\.position))
            })
        return try SelfSupervisedTraining.fit(method: Self.method, configuration: self, architecture: a, training: training,
                                              epochs: \.training.epochs, task: ContextTask(network: network), encoder: encoder,
                                              source: source, checkpoint: checkpoint, resume: resume, onEvent: onEvent)
    }
}

/// A batch of context-prediction pairs: centre and neighbour patches `(B, C, p, p)` and the
/// neighbours' positions (0…7, `ContextPrediction.positions`).
public struct PatchPairBatch: Sendable {
    public let centres: Tensor<Float>
    public let neighbours: Tensor<Float>
    public let positions: [Int]
}

/// One context-prediction step: both patches through f as one batch of 2B, the two feature
/// vectors concatenated `(B, 2h)`, the head's 8 logits against the positions. Metrics: `loss`, `accuracy`.
public final class ContextTask: TrainingTask {
    public let network: PretextNetwork
    public var model: any Module<Float> { network }

    public init(network: PretextNetwork) { self.network = network }

    func logits(_ batch: PatchPairBatch) -> Tensor<Float> {
        let b = batch.positions.count
        let h = network.encoder(Tensor.concatenate([batch.centres, batch.neighbours], alongAxis: 0))          // (2B, h)
        let pair = Tensor.concatenate([h.slice(alongAxis: 0, 0..<b), h.slice(alongAxis: 0, b..<(2 * b))], alongAxis: 1) // (B, 2h)
        return network.head(pair)                                                                                // (B, 8)
    }

    public func loss(_ batch: PatchPairBatch) -> Tensor<Float> { Loss.crossEntropy(logits(batch), batch.positions) }

    public func metrics(_ batch: PatchPairBatch) -> Metrics {
        let l = logits(batch)
        let correct = zip(l.argmax(alongAxis: 1), batch.positions).filter { $0 == $1 }.count
        let n = batch.positions.count
        return Metrics(["loss": Double(Loss.crossEntropy(l, batch.positions).item) * Double(n), "accuracy": Double(correct)], count: n)
    }
}
