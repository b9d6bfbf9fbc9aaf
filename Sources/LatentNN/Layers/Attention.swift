import LatentCore
import RealModule

/// Multi-head scaled dot-product attention (Vaswani et al. 2017, §3.2):
/// `softmax(Q·Kᵀ/√d_head + mask)·V` in `heads` subspaces of size `d_head = d_model/heads`, with
/// input projections Q, K, V and an output projection, all `Linear(d_model, d_model)`.
///
/// Shapes: input `(B, T, d_model)` → output `(B, T, d_model)`; scores `(B, heads, T, T)`.
/// Masks: `causal` hides future positions (GPT-style decoders); `keyPadding[b][t] == true` hides
/// key `t` of sequence `b` (padding in BERT-style batches). Masked scores are set to −10⁹ before
/// the softmax.
/// - Complexity: O(B·T·d_model²) for the projections plus O(B·T²·d_model) for the scores.
public final class MultiHeadAttention<Scalar: BLASScalar>: Layer {
    public let query: Linear<Scalar>, key: Linear<Scalar>, value: Linear<Scalar>, output: Linear<Scalar>
    public let heads: Int
    /// Whether position t may only attend to positions ≤ t.
    public let causal: Bool

    public init(modelSize: Int, heads: Int, causal: Bool = false, using rng: inout Xoshiro256StarStar) {
        precondition(heads > 0 && modelSize % heads == 0, "MultiHeadAttention: model size \(modelSize) not divisible by \(heads) heads")
        query = Linear(modelSize, modelSize, using: &rng)
        key = Linear(modelSize, modelSize, using: &rng)
        value = Linear(modelSize, modelSize, using: &rng)
        output = Linear(modelSize, modelSize, using: &rng)
        self.heads = heads
        self.causal = causal
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { callAsFunction(x, keyPadding: nil) }

    /// Self-attention over `x (B, T, d_model)`, hiding the keys where `keyPadding[b][t]` is true.
    public func callAsFunction(_ x: Tensor<Scalar>, keyPadding: [[Bool]]?) -> Tensor<Scalar> {
        precondition(x.rank == 3, "MultiHeadAttention: input must be (B, T, d_model), got \(x.shape)")
        let (B, T, C) = (x.shape[0], x.shape[1], x.shape[2])
        let hs = C / heads
        func split(_ t: Tensor<Scalar>) -> Tensor<Scalar> {
            t.reshaped([B, T, heads, hs]).permuted([0, 2, 1, 3])                 // (B, nh, T, hs)
        }
        let q = split(query(x)), k = split(key(x)), v = split(value(x))
        var scores = q.matmul(k, transposeB: true) / Scalar(Double(hs).squareRoot())   // (B, nh, T, T)
        if causal {
            var mask = [Scalar](repeating: 0, count: T * T)
            for i in 0..<T { for j in (i + 1)..<Swift.max(i + 1, T) { mask[i * T + j] = 1 } }
            scores = scores.maskedFill(where: Tensor(shape: [T, T], storage: mask), with: -1e9)
        }
        if let keyPadding {
            precondition(keyPadding.count == B && keyPadding.allSatisfy { $0.count == T },
                         "MultiHeadAttention: key padding mask must be \(B) × \(T)")
            let mask = keyPadding.flatMap { $0.map { $0 ? Scalar(1) : 0 } }
            scores = scores.maskedFill(where: Tensor(shape: [B, 1, 1, T], storage: mask), with: -1e9)
        }
        let attended = scores.softmax(alongAxis: -1).matmul(v)                    // (B, nh, T, hs)
        return output(attended.permuted([0, 2, 1, 3]).reshaped([B, T, C]))       // (B, T, C)
    }
}

/// A pre-LN transformer block (Xiong et al. 2020; GPT-2's layout): two residual lines,
/// `x + attention(LN(x))` then `x + MLP(LN(x))`, the MLP being `Linear(C, 4C) → GELU → Linear(4C, C)`.
/// Input and output `(B, T, C)`. Dropout with probability `dropout` after attention and the MLP.
public final class TransformerBlock<Scalar: BLASScalar>: Layer {
    public let norm1: LayerNorm<Scalar>, attention: MultiHeadAttention<Scalar>
    public let norm2: LayerNorm<Scalar>, expand: Linear<Scalar>, contract: Linear<Scalar>
    public let dropout: Dropout<Scalar>

    public init(modelSize: Int, heads: Int, causal: Bool = false, dropout: Double = 0, seed: UInt64 = 0,
                using rng: inout Xoshiro256StarStar) {
        norm1 = LayerNorm(modelSize)
        attention = MultiHeadAttention(modelSize: modelSize, heads: heads, causal: causal, using: &rng)
        norm2 = LayerNorm(modelSize)
        expand = Linear(modelSize, 4 * modelSize, using: &rng)
        contract = Linear(4 * modelSize, modelSize, using: &rng)
        self.dropout = Dropout(probability: dropout, seed: seed)
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { callAsFunction(x, keyPadding: nil) }

    /// The block with a key-padding mask passed to its attention.
    public func callAsFunction(_ x: Tensor<Scalar>, keyPadding: [[Bool]]?) -> Tensor<Scalar> {
        let h = x + dropout(attention(norm1(x), keyPadding: keyPadding))
        return h + dropout(contract(expand(norm2(h)).gelu()))
    }
}
