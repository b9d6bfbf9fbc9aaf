import LatentCore

/// A lookup table of `count` vectors of size `dimension` (`nn.Embedding`): indices `(I…)` →
/// `(I…, dimension)`. Weight `(count, dimension)` initialised `N(0, 1)` as in PyTorch.
/// - Complexity: O(indices · dimension); backward scatters into the looked-up rows.
public final class Embedding<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>

    public init(weight: Tensor<Scalar>) {
        precondition(weight.rank == 2, "Embedding: weight must be (count, dimension), got \(weight.shape)")
        self.weight = weight
    }

    public convenience init(count: Int, dimension: Int, using rng: inout Xoshiro256StarStar) {
        self.init(weight: Tensor.randomNormal([count, dimension], using: &rng, requiresGrad: true))
    }

    /// The vectors of `indices`, shaped `indexShape + [dimension]`.
    public func callAsFunction(_ indices: [Int], shape indexShape: [Int]) -> Tensor<Scalar> {
        for i in indices { precondition(i >= 0 && i < weight.shape[0], "Embedding: index \(i) outside 0..<\(weight.shape[0])") }
        return weight.gatherRows(indices, indexShape: indexShape)
    }

    /// Looks up a tensor of (integer-valued) indices, as the `Layer` requirement.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        callAsFunction(x.storage.map { Int($0) }, shape: x.shape)
    }
}
