import LatentCore

/// Weight initialisations, as PyTorch uses them by default.
///
/// `fanIn` is the number of inputs that feed one output (`in_features`, or `C_in·kH·kW` for a
/// convolution). PyTorch's default for `Linear` and `Conv2d` is Kaiming-uniform with `a = √5`,
/// which works out to `U(−1/√fanIn, 1/√fanIn)` for the weight, and the same bound for the bias.
public enum Initialization {
    /// `U(−bound, bound)` with `bound = 1/√fanIn`: PyTorch's default for Linear/Conv weights and biases.
    public static func pytorchDefault<S: BLASScalar>(_ shape: [Int], fanIn: Int, using rng: inout Xoshiro256StarStar) -> Tensor<S> {
        let bound = 1 / Double(max(1, fanIn)).squareRoot()
        return Tensor.randomUniform(shape, low: S(-bound), high: S(bound), using: &rng, requiresGrad: true)
    }

    /// Kaiming (He et al. 2015) normal, `N(0, 2/fanIn)`: for layers followed by ReLU.
    public static func kaimingNormal<S: BLASScalar>(_ shape: [Int], fanIn: Int, using rng: inout Xoshiro256StarStar) -> Tensor<S> {
        Tensor.randomNormal(shape, standardDeviation: S((2 / Double(max(1, fanIn))).squareRoot()), using: &rng, requiresGrad: true)
    }

    /// Xavier/Glorot (Glorot & Bengio 2010) uniform, `U(−a, a)` with `a = √(6/(fanIn + fanOut))`.
    public static func xavierUniform<S: BLASScalar>(_ shape: [Int], fanIn: Int, fanOut: Int, using rng: inout Xoshiro256StarStar) -> Tensor<S> {
        let a = (6 / Double(max(1, fanIn + fanOut))).squareRoot()
        return Tensor.randomUniform(shape, low: S(-a), high: S(a), using: &rng, requiresGrad: true)
    }
}
