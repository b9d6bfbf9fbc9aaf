import LatentCore
import RealModule

/// The fixed sinusoidal position codes of Vaswani et al. (2017, §3.5), added to `(B, T, D)` inputs:
///
///     PE(t, 2i) = sin(t / 10000^{2i/D}),   PE(t, 2i+1) = cos(t / 10000^{2i/D})
///
/// The table `(maximumLength, D)` is a buffer (no gradient); an odd `D` ends with a sine column.
/// - Complexity: O(B · T · D) per call.
public final class SinusoidalPositionalEncoding<Scalar: BLASScalar>: Layer {
    /// `(maximumLength, dimension)`, row `t` the code of position `t`.
    public let table: Tensor<Scalar>

    public init(maximumLength: Int, dimension: Int) {
        table = SinusoidalPositionalEncoding.table(length: maximumLength, dimension: dimension)
    }

    /// The code table `(length, dimension)` (computed in `Double`, then rounded).
    public static func table(length: Int, dimension: Int) -> Tensor<Scalar> {
        var values = [Scalar](repeating: 0, count: length * dimension)
        for t in 0..<length {
            for j in 0..<dimension {
                let frequency = Double.exp(-Double(j - j % 2) / Double(dimension) * Double.log(10000))
                let angle = Double(t) * frequency
                values[t * dimension + j] = Scalar(j % 2 == 0 ? Double.sin(angle) : Double.cos(angle))
            }
        }
        return Tensor(shape: [length, dimension], storage: values)
    }

    /// `x + PE[0..<T]` for `x (B, T, D)` (or `(T, D)`).
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        PositionalEncoding.add(table, to: x, "SinusoidalPositionalEncoding")
    }
}

/// Learned absolute positions (BERT, GPT-2): a trainable table `(maximumLength, D)` whose first `T`
/// rows are added to `(B, T, D)` inputs. Initialised `N(0, 0.02²)` as in GPT-2 and BERT.
/// - Complexity: O(B · T · D) per call; the gradient reaches the first `T` rows.
public final class LearnedPositionalEmbedding<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>

    public init(maximumLength: Int, dimension: Int, using rng: inout Xoshiro256StarStar) {
        weight = Tensor.randomNormal([maximumLength, dimension], standardDeviation: 0.02, using: &rng, requiresGrad: true)
    }

    /// `x + weight[0..<T]` for `x (B, T, D)` (or `(T, D)`).
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        PositionalEncoding.add(weight, to: x, "LearnedPositionalEmbedding")
    }
}

enum PositionalEncoding {
    /// `x + table[0..<T]` broadcast over the batch, checking `T ≤ maximumLength` and `D`.
    static func add<S: BLASScalar>(_ table: Tensor<S>, to x: Tensor<S>, _ name: String) -> Tensor<S> {
        precondition((x.rank == 2 || x.rank == 3) && x.shape.last == table.shape[1] && x.shape[x.rank - 2] <= table.shape[0],
                     "\(name): input \(x.shape) needs (B, T, \(table.shape[1])) with T ≤ \(table.shape[0])")
        let t = x.shape[x.rank - 2]
        return x + (t == table.shape[0] ? table : table.slice(alongAxis: 0, 0..<t))
    }
}
