import LatentCore
import LatentNN

/// Training CPC on `DataLoader` batches of image rows `(B, C·H·W)`: cut the patch grid, embed every
/// patch, summarise the rows above with the context network, and for each offset k predict the
/// embedding k rows below; InfoNCE (`Loss.infoNCE`, cosine similarity / temperature) picks the true
/// patch among all patches of the batch at that offset — the other images' patches and the same
/// image's other positions are the negatives. The loss is the mean over offsets. Metrics (summed
/// over samples): `loss`.
public final class CPCTask<Scalar: BLASScalar>: TrainingTask {
    public let network: CPCNetwork<Scalar>
    public let grid: PatchGrid
    /// Rows ahead to predict, each ≥ 1 and < `grid.rows` (one predictor each).
    public let offsets: [Int]
    public let temperature: Double
    public var model: any Module<Scalar> { network }

    public init(network: CPCNetwork<Scalar>, grid: PatchGrid, offsets: [Int], temperature: Double) {
        precondition(offsets.count == network.predictors.count && offsets.allSatisfy { $0 >= 1 && $0 < grid.rows },
                     "CPCTask: offsets \(offsets) for a grid of \(grid.rows) rows and \(network.predictors.count) predictors")
        self.network = network
        self.grid = grid
        self.offsets = offsets
        self.temperature = temperature
    }

    /// The mean InfoNCE over the offsets for image rows `x`.
    func contrastiveLoss(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let (b, r, cols) = (x.shape[0], grid.rows, grid.columns)
        let z = network.embed(grid.patches(of: x))                            // (B·R·Cols, D)
        let d = z.shape[1]
        let zGrid = z.reshaped([b, r, cols, d])                               // (B, R, Cols, D)
        let c = network.summarise(zGrid.permuted([0, 3, 1, 2])).permuted([0, 2, 3, 1])   // (B, R, Cols, D)
        var total: Tensor<Scalar>?
        for (k, predictor) in zip(offsets, network.predictors) {
            let n = b * (r - k) * cols
            let predicted = predictor(c.slice(alongAxis: 1, 0..<(r - k)).reshaped([n, d]))   // ẑ_{i+k,j} from c_{i,j}
            let actual = zGrid.slice(alongAxis: 1, k..<r).reshaped([n, d])                   // z_{i+k,j}
            let term = Loss.infoNCE(queries: predicted, keys: actual, temperature: temperature)
            total = total.map { $0 + term } ?? term
        }
        return total! / Scalar(offsets.count)
    }

    public func loss(_ batch: DataLoader<Scalar>.Batch) -> Tensor<Scalar> { contrastiveLoss(batch.inputs) }

    /// The batch's loss times its size (InfoNCE's negatives depend on the batch, so this is a
    /// per-batch figure, not a sum of per-sample terms).
    public func metrics(_ batch: DataLoader<Scalar>.Batch) -> Metrics {
        let n = batch.indices.count
        return Metrics(["loss": Double(contrastiveLoss(batch.inputs).item) * Double(n)], count: n)
    }
}
