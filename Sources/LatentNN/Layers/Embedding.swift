import LatentCore

/// A lookup table of `count` vectors of size `dimension` (`nn.Embedding`): indices `(I…)` →
/// `(I…, dimension)`. Weight `(count, dimension)` initialised `N(0, 1)` as in PyTorch.
///
/// With `sparse: true` (PyTorch's `sparse=True`) the backward pass records only the rows that were
/// looked up, in `weight.sparseGradient`, and `SGD`/`Adam` update only those rows: a step costs
/// O(indices · dimension) instead of O(count · dimension), which is what makes a 100 k-word
/// vocabulary trainable (word2vec). `weight.grad` then stays `nil`.
/// - Complexity: O(indices · dimension) forward; backward the same (sparse) or that plus the
///   dense gradient's O(count · dimension) allocation.
public final class Embedding<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>
    /// Whether the gradient is kept as rows (`weight.sparseGradient`) instead of a dense `grad`.
    public let sparse: Bool

    public init(weight: Tensor<Scalar>, sparse: Bool = false) {
        precondition(weight.rank == 2, "Embedding: weight must be (count, dimension), got \(weight.shape)")
        self.weight = weight
        self.sparse = sparse
    }

    public convenience init(count: Int, dimension: Int, sparse: Bool = false, using rng: inout Xoshiro256StarStar) {
        self.init(weight: Tensor.randomNormal([count, dimension], using: &rng, requiresGrad: true), sparse: sparse)
    }

    /// The vectors of `indices`, shaped `indexShape + [dimension]`.
    public func callAsFunction(_ indices: [Int], shape indexShape: [Int]) -> Tensor<Scalar> {
        for i in indices { precondition(i >= 0 && i < weight.shape[0], "Embedding: index \(i) outside 0..<\(weight.shape[0])") }
        return sparse ? weight.sparseGatherRows(indices, indexShape: indexShape) : weight.gatherRows(indices, indexShape: indexShape)
    }

    /// The vectors of token ids `(I…)` → `(I…, dimension)`.
    public func callAsFunction(_ ids: IndexTensor) -> Tensor<Scalar> {
        callAsFunction(ids.storage, shape: ids.shape)
    }

    /// Looks up a tensor of (integer-valued) indices, as the `Layer` requirement; prefer
    /// `callAsFunction(_: IndexTensor)`, which needs no float-to-index cast.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        callAsFunction(x.storage.map { Int($0) }, shape: x.shape)
    }
}
