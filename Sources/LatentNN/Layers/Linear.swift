import LatentCore

/// A fully connected layer `y = x·Wᵀ + b`.
///
/// `weight` is `(outputSize, inputSize)` and `bias` `(outputSize)`, PyTorch's layout, so
/// checkpoints map one to one. Input `(…, inputSize)` → output `(…, outputSize)`: all leading
/// dimensions fold into one GEMM (`transposeB` instead of a transposed copy).
/// Initialisation: PyTorch's default, `U(−1/√inputSize, 1/√inputSize)` for weight and bias.
/// - Complexity: O(rows · inputSize · outputSize).
public final class Linear<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>
    public let bias: Tensor<Scalar>?

    /// A layer with the given weight `(out, in)` and optional bias `(out)`.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>?) {
        precondition(weight.rank == 2, "Linear: weight must be 2-D (out, in), got \(weight.shape)")
        if let bias { precondition(bias.shape == [weight.shape[0]], "Linear: bias \(bias.shape) for weight \(weight.shape)") }
        self.weight = weight
        self.bias = bias
    }

    /// A freshly initialised layer.
    public convenience init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true, using rng: inout Xoshiro256StarStar) {
        let w: Tensor<Scalar> = Initialization.pytorchDefault([outputSize, inputSize], fanIn: inputSize, using: &rng)
        let b: Tensor<Scalar>? = bias ? Initialization.pytorchDefault([outputSize], fanIn: inputSize, using: &rng) : nil
        self.init(weight: w, bias: b)
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.shape.last == weight.shape[1], "Linear: input \(x.shape) for weight \(weight.shape) (need last dimension \(weight.shape[1]))")
        return x.linear(weight: weight, bias: bias)
    }
}
