import LatentCore

/// Layers applied one after another: `Sequential { Linear(…); ReLU(); Linear(…) }`.
/// Parameter names are the layer's index: `"0.weight"`, `"2.bias"` (as PyTorch's `nn.Sequential`).
public final class Sequential<Scalar: BLASScalar>: Layer {
    public let layers: [any Layer<Scalar>]

    public init(_ layers: [any Layer<Scalar>]) { self.layers = layers }

    public convenience init(@LayerBuilder<Scalar> _ build: () -> [any Layer<Scalar>]) { self.init(build()) }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        layers.reduce(x) { $1($0) }
    }
}

/// Collects the layers written inside `Sequential { … }`.
@resultBuilder
public enum LayerBuilder<Scalar: BLASScalar> {
    public static func buildExpression(_ layer: any Layer<Scalar>) -> [any Layer<Scalar>] { [layer] }
    public static func buildBlock(_ parts: [any Layer<Scalar>]...) -> [any Layer<Scalar>] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer<Scalar>]?) -> [any Layer<Scalar>] { part ?? [] }
    public static func buildEither(first part: [any Layer<Scalar>]) -> [any Layer<Scalar>] { part }
    public static func buildEither(second part: [any Layer<Scalar>]) -> [any Layer<Scalar>] { part }
    public static func buildArray(_ parts: [[any Layer<Scalar>]]) -> [any Layer<Scalar>] { parts.flatMap { $0 } }
}
