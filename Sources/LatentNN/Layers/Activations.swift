import LatentCore

/// `max(0, x)` elementwise.
public final class ReLU<Scalar: BLASScalar>: Layer {
    public init() {}
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.relu() }
}

/// The Gaussian error linear unit, `x·Φ(x)` (exact by default, or the tanh approximation).
public final class GELU<Scalar: BLASScalar>: Layer {
    public let approximation: GELUApproximation
    public init(approximation: GELUApproximation = .none) { self.approximation = approximation }
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.gelu(approximation: approximation) }
}

/// `tanh(x)` elementwise.
public final class Tanh<Scalar: BLASScalar>: Layer {
    public init() {}
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.tanh() }
}

/// `1/(1 + e^{−x})` elementwise.
public final class Sigmoid<Scalar: BLASScalar>: Layer {
    public init() {}
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.sigmoid() }
}

/// Flattens every dimension from `startAxis` on: `(B, C, H, W)` → `(B, C·H·W)` with the default 1.
public final class Flatten<Scalar: BLASScalar>: Layer {
    public let startAxis: Int
    public init(startAxis: Int = 1) { self.startAxis = startAxis }
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.flattened(fromAxis: startAxis) }
}

/// Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by
/// `1/(1−p)`; the identity in evaluation. The mask comes from the layer's own seeded generator.
public final class Dropout<Scalar: BLASScalar>: Layer, ModeDependentLayer {
    public let probability: Double
    public var isTraining = true
    /// The generator the masks come from. Checkpoints save and restore it, so that a resumed run
    /// drops exactly the elements an uninterrupted one would.
    public var generator: Xoshiro256StarStar

    public init(probability: Double, seed: UInt64 = 0) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) outside [0, 1)")
        self.probability = probability
        self.generator = Xoshiro256StarStar(seed: seed)
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        isTraining ? x.dropout(probability: probability, using: &generator) : x
    }
}
