import LatentCore
import LatentNN

/// Training a `ColorizationNetwork` on `DataLoader` batches of Lab patch rows `(B, 3·H·W)`
/// (`NaturalPatches.Layout.lab`: L/100, a/100, b/100 planes): the network sees the L plane and
/// regresses the a and b planes; the loss is their mean squared error. Metrics (summed over
/// samples): `loss` (per-sample MSE over the colour values).
public final class ColorizationTask<Scalar: BLASScalar>: TrainingTask {
    public let network: ColorizationNetwork<Scalar>
    /// Pixels per plane, `H·W`.
    public let area: Int
    public var model: any Module<Scalar> { network }

    public init(network: ColorizationNetwork<Scalar>, area: Int) {
        self.network = network
        self.area = area
    }

    /// Per-sample mean squared error of the predicted colour planes `(B)`.
    func colourError(_ lab: Tensor<Scalar>) -> Tensor<Scalar> {
        let lightness = lab.slice(alongAxis: 1, 0..<area)                     // (B, H·W)
        let colour = lab.slice(alongAxis: 1, area..<(3 * area))               // (B, 2·H·W)
        return (network(lightness) - colour).squared().mean(alongAxis: 1)     // (B)
    }

    public func loss(_ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> { colourError(batch.inputs).mean() }

    public func metrics(_ batch: DataLoader<Scalar>.Batch) -> Metrics {
        Metrics(["loss": colourError(batch.inputs).storage.reduce(0) { $0 + Double($1) }], count: batch.indices.count)
    }
}
