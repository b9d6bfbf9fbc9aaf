import LatentCore
import LatentNN

/// Augmentations applied in order, each with its own probability: for each step a uniform draw
/// `u` is taken from the sample's generator and the step runs when `u < probability` (the draw is
/// taken whatever the outcome, so the stream — and with it every view — is fixed by the seed).
///
/// ```swift
/// let augment = AugmentationPipeline([
///     .init(RandomResizedCrop(height: 28, width: 28, scale: 0.2...1)),
///     .init(HorizontalFlip(), probability: 0.5),
///     .init(BrightnessContrastJitter(brightness: 0.4, contrast: 0.4), probability: 0.8),
/// ])
/// let view = augment(image, using: &rng)
/// ```
public struct AugmentationPipeline: Augmentation {
    /// One augmentation and the probability that it is applied.
    public struct Step: Sendable {
        public let augmentation: any Augmentation
        public let probability: Double
        public init(_ augmentation: any Augmentation, probability: Double = 1) {
            precondition(probability >= 0 && probability <= 1, "AugmentationPipeline.Step: probability \(probability) must lie in [0, 1]")
            self.augmentation = augmentation
            self.probability = probability
        }
    }

    public let steps: [Step]

    public init(_ steps: [Step]) { self.steps = steps }

    public func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample {
        var out = image
        for step in steps where rng.uniform() < step.probability { out = step.augmentation.apply(out, using: &rng) }
        return out
    }

    /// `apply`, as a function call.
    public func callAsFunction(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample { apply(image, using: &rng) }

    /// A `DataPipeline` over the rows of `images` (`n × C·H·W`) whose batches are `views` tensors
    /// `(B, C, H', W')`, view `v` of sample `i` made by this pipeline from the sample's `v`-th
    /// stream (`DataPipeline.views`). With `views == 1` and no steps it serves the images as they are.
    /// Same seed, same batches, with any `threads` and `prefetch`.
    public func batches(of images: Matrix<Float>, channels: Int, height: Int, width: Int, views: Int, batchSize: Int,
                        shuffle: Bool = true, dropLast: Bool = false, seed: UInt64, threads: Int = 1,
                        prefetch: Int = 0) -> DataPipeline<[ImageSample], [Tensor<Float>]> {
        precondition(images.columns == channels * height * width,
                     "AugmentationPipeline.batches: rows of \(images.columns) values are not \(channels)×\(height)×\(width) images")
        let augment = self
        return DataPipeline(count: images.rows, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed,
                            threads: threads, prefetch: prefetch,
                            sample: DataPipeline<[ImageSample], [Tensor<Float>]>.views(views) { i, rng in
                                augment(ImageSample(row: i, of: images, channels: channels, height: height, width: width), using: &rng)
                            },
                            collate: { samples in (0..<views).map { v in Self.stack(samples.map { $0[v] }) } })
    }

    /// Images of one size stacked into a `(B, C, H, W)` tensor.
    public static func stack(_ images: [ImageSample]) -> Tensor<Float> {
        guard let first = images.first else { return Tensor.zeros([0]) }
        var storage: [Float] = []
        storage.reserveCapacity(images.count * first.pixels.count)
        for image in images {
            precondition(image.channels == first.channels && image.height == first.height && image.width == first.width,
                         "AugmentationPipeline.stack: images of different sizes")
            storage += image.pixels
        }
        return Tensor(shape: [images.count, first.channels, first.height, first.width], storage: storage)
    }
}

extension AugmentationPipeline {
    /// SimCLR's augmentation family (Chen et al. 2020, appendix A) for small images: random resized
    /// crop (area 0.2–1: 28-pixel images lose their object below that), horizontal flip (p = 0.5),
    /// colour jitter (p = 0.8; brightness/contrast for greyscale) and colour drop (p = 0.2) for
    /// RGB, Gaussian blur with a kernel ~10% of the side (p = 0.5). See `AugmentationSettings.simCLR`.
    public static func simCLR(channels: Int, height: Int, width: Int) -> AugmentationPipeline {
        AugmentationSettings.simCLR.pipeline(channels: channels, height: height, width: width)
    }

    /// No augmentation: views are the images themselves.
    public static let identity = AugmentationPipeline([])
}
