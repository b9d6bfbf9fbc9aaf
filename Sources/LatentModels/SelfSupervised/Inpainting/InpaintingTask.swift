import LatentCore
import LatentNN

/// Training a context encoder on `DataLoader` batches of image rows `(B, C·H·W)`: each image gets
/// a hole (`InpaintingMask`, drawn from the network's generator), the hole is filled with
/// `fillValue`, and the loss is the mean squared error over the hole's values only — Pathak et al.
/// 2016's reconstruction loss `‖M̂ ⊙ (x − F((1 − M̂) ⊙ x))‖²`, normalised by the hole's size.
/// Metrics (summed over samples): `loss`. Evaluation draws its holes from a generator seeded by
/// `evaluationSeed` and the batch's first row, so evaluating never changes the training stream.
public final class InpaintingTask<Scalar: BLASScalar>: TrainingTask {
    public let network: AutoencoderNetwork<Scalar>
    public let mask: InpaintingMask
    /// `(channels, height, width)` of one image row.
    public let imageShape: (channels: Int, height: Int, width: Int)
    /// The value written into the hole (a constant the encoder sees instead of the pixels).
    public let fillValue: Scalar
    public let evaluationSeed: UInt64
    public var model: any Module<Scalar> { network }

    public init(network: AutoencoderNetwork<Scalar>, mask: InpaintingMask, imageShape: (channels: Int, height: Int, width: Int),
                fillValue: Scalar, evaluationSeed: UInt64 = 0) {
        self.network = network
        self.mask = mask
        self.imageShape = imageShape
        self.fillValue = fillValue
        self.evaluationSeed = evaluationSeed
    }

    /// The hole map `(B, C·H·W)` (1 in the hole) for `b` images, drawn from `rng`.
    func holes(_ b: Int, using rng: inout Xoshiro256StarStar) -> Tensor<Scalar> {
        let (c, h, w) = imageShape
        var storage: [Scalar] = []
        storage.reserveCapacity(b * c * h * w)
        for _ in 0..<b {
            let hole: [Scalar] = mask.draw(height: h, width: w, using: &rng)
            for _ in 0..<c { storage += hole }
        }
        return Tensor(shape: [b, c * h * w], storage: storage)
    }

    /// Per-sample mean squared error over the hole `(B)`.
    func holeError(_ x: Tensor<Scalar>, holes m: Tensor<Scalar>) -> Tensor<Scalar> {
        let input = x * (1 - m) + m * fillValue                                  // (B, d), hole filled
        let output = network.decode(network.encode(input))                      // (B, d)
        let squared = ((output - x) * m).squared().sum(alongAxis: 1)            // (B)
        return squared / (m.sum(alongAxis: 1) + 1e-12)
    }

    public func loss(_ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> {
        holeError(batch.inputs, holes: holes(batch.indices.count, using: &network.generator)).mean()
    }

    public func metrics(_ batch: DataLoader<Scalar>.Batch) -> Metrics {
        var rng = Xoshiro256StarStar(seed: BatchOrder.sampleSeed(seed: evaluationSeed, epoch: 0, index: batch.indices.first ?? 0))
        let e = holeError(batch.inputs, holes: holes(batch.indices.count, using: &rng))
        return Metrics(["loss": e.storage.reduce(0) { $0 + Double($1) }], count: batch.indices.count)
    }
}
