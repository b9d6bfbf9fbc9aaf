import LatentCore
import LatentNN

/// SimCLR's network: the encoder f `(B, C, H, W) → (B, h)` and the projection head g `(B, h) → (B, z)`.
public final class SimCLRNetwork: Module {
    public typealias Scalar = Float
    public let encoder: Sequential<Float>
    public let projection: Sequential<Float>

    public init(encoder: Sequential<Float>, projection: Sequential<Float>) {
        self.encoder = encoder
        self.projection = projection
    }
}

/// One SimCLR step on a batch of two views `[(B, C, H, W), (B, C, H, W)]`: both views go through
/// f and g together as one batch of 2B (so BatchNorm sees all 2N views, as SimCLR's global BN),
/// then NT-Xent over the 2N projections. Metrics: `loss` (NT-Xent, summed per pair) and
/// `accuracy` (views whose nearest other view is their partner).
public final class SimCLRTask: TrainingTask {
    public let network: SimCLRNetwork
    public let temperature: Double
    public var model: any Module<Float> { network }

    public init(network: SimCLRNetwork, temperature: Double) {
        self.network = network
        self.temperature = temperature
    }

    /// The projections of the two views, `(B, z)` each.
    func projections(_ views: [Tensor<Float>]) -> (Tensor<Float>, Tensor<Float>) {
        precondition(views.count == 2 && views[0].shape == views[1].shape, "SimCLRTask: need two views of one shape")
        let b = views[0].shape[0]
        let z = network.projection(network.encoder(Tensor.concatenate(views, alongAxis: 0)))        // (2B, z)
        return (z.slice(alongAxis: 0, 0..<b), z.slice(alongAxis: 0, b..<(2 * b)))
    }

    public func loss(_ views: [Tensor<Float>]) -> Tensor<Float> {
        let (a, b) = projections(views)
        return Loss.ntXent(a, b, temperature: temperature)
    }

    public func metrics(_ views: [Tensor<Float>]) -> Metrics {
        let (a, b) = projections(views)
        let n = a.shape[0]
        let z = Tensor.concatenate([a, b], alongAxis: 0).l2Normalized(alongAxis: 1)
        var similarity = z.matmul(z, transposeB: true).storage
        for i in 0..<(2 * n) { similarity[i * 2 * n + i] = -.infinity }
        var correct = 0
        for i in 0..<(2 * n) {
            let row = similarity[(i * 2 * n)..<((i + 1) * 2 * n)]
            if row.indices.max(by: { row[$0] < row[$1] })! - i * 2 * n == (i + n) % (2 * n) { correct += 1 }
        }
        return Metrics(["loss": Double(Loss.ntXent(a, b, temperature: temperature).item) * Double(n), "accuracy": Double(correct) / 2],
                       count: n)
    }
}
