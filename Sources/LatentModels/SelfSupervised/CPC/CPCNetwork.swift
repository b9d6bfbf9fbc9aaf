import LatentCore
import LatentNN

/// The networks of CPC on images (van den Oord, Li & Vinyals 2018, §3.2):
/// - `patchEncoder` g_enc: one patch `(C·s·s)` → embedding z `(D)` (convolutions, then a linear map);
/// - `context` g_ar: the grid of embeddings `(B, D, R, Cols)` → contexts c of the same shape, where
///   c at grid row i sees only rows ≤ i — two convolutions with 2 × 3 kernels whose output row i
///   covers input rows i − 1 and i (a PixelCNN-style row mask), so the receptive field grows upward;
/// - `predictors` W_k, one linear map per offset k: ẑ_{i+k,j} = W_k c_{i,j}.
public final class CPCNetwork<Scalar: BLASScalar>: Module {
    public let patchEncoder: Sequential<Scalar>
    public let embedding: Linear<Scalar>
    public let context: [Conv2d<Scalar>]
    public let predictors: [Linear<Scalar>]

    /// A freshly initialised network, from `seed`.
    public init(grid: PatchGrid, filters: [Int], embeddingSize d: Int, offsets: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let patch = AutoencoderArchitecture.convolutional(channels: grid.channels, height: grid.size, width: grid.size, filters: filters)
        let (body, features): (Sequential<Scalar>, Int) = patch.makeEncoder(inputSize: grid.channels * grid.size * grid.size, using: &rng)
        patchEncoder = body
        embedding = Linear(features, d, using: &rng)
        context = (0..<2).map { _ in Conv2d(d, d, kernel: (2, 3), padding: (1, 1), using: &rng) }
        predictors = (0..<offsets).map { _ in Linear(d, d, using: &rng) }
    }

    /// Embeddings z `(N, D)` of patch rows `(N, C·s·s)`.
    public func embed(_ patches: Tensor<Scalar>) -> Tensor<Scalar> { embedding(patchEncoder(patches)) }

    /// Contexts `(B, D, R, Cols)` of the embedding grid `(B, D, R, Cols)`: row i depends on rows ≤ i only.
    public func summarise(_ z: Tensor<Scalar>) -> Tensor<Scalar> {
        let rows = z.shape[2]
        var c = z
        for (l, conv) in context.enumerated() {
            c = conv(c).slice(alongAxis: 2, 0..<rows)      // (B, D, R + 1, Cols) → rows 0..<R: row i sees i − 1, i
            if l < context.count - 1 { c = c.relu() }
        }
        return c
    }
}
