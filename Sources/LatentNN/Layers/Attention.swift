import LatentCore
import RealModule

/// Multi-head scaled dot-product attention (Vaswani et al. 2017, §3.2):
/// `softmax(Q·Kᵀ/√d_head + mask)·V` in `heads` subspaces of size `d_head = d_model/heads`, with
/// input projections Q, K, V and an output projection, all `Linear(d_model, d_model)`.
///
/// Shapes: input `(B, T, d_model)` → output `(B, T, d_model)`; scores `(B, heads, T, T)`.
/// Self-attention takes one sequence; cross-attention (`callAsFunction(_:context:)`) takes the
/// queries from `x (B, T_q, d_model)` and keys and values from `context (B, T_k, d_model)`.
/// Masks: `causal` hides future positions (GPT-style decoders); key padding (`[[Bool]]`, lengths
/// or an additive `Tensor`, see `AttentionMask`) hides padded keys (BERT-style batches). Hidden
/// scores are set to −10⁹ before the softmax. The attention itself is the fused
/// `Tensor.attention` (no per-head copies).
/// - Complexity: O(B·T·d_model²) for the projections plus O(B·T_q·T_k·d_model) for the scores.
public final class MultiHeadAttention<Scalar: BLASScalar>: Layer {
    public let query: Linear<Scalar>, key: Linear<Scalar>, value: Linear<Scalar>, output: Linear<Scalar>
    public let heads: Int
    /// Whether position t may only attend to positions ≤ t.
    public let causal: Bool
    /// Dropout on the attention probabilities while training (`nil` when the probability is 0).
    public let attentionDropout: Dropout<Scalar>?

    /// - Parameters:
    ///   - attentionDropout: probability of zeroing each attention weight while training.
    ///   - seed: seeds the attention-dropout generator; `nil` derives it from `rng` (see
    ///     `derivedSeed(_:)`), so layers made one after another from one generator get different
    ///     streams even before `seedRandomStreams` is called.
    public init(modelSize: Int, heads: Int, causal: Bool = false, attentionDropout: Double = 0, seed: UInt64? = nil,
                using rng: inout Xoshiro256StarStar) {
        precondition(heads > 0 && modelSize % heads == 0, "MultiHeadAttention: model size \(modelSize) not divisible by \(heads) heads")
        query = Linear(modelSize, modelSize, using: &rng)
        key = Linear(modelSize, modelSize, using: &rng)
        value = Linear(modelSize, modelSize, using: &rng)
        output = Linear(modelSize, modelSize, using: &rng)
        self.heads = heads
        self.causal = causal
        let seed = seed ?? derivedSeed(rng)
        self.attentionDropout = attentionDropout > 0 ? Dropout(probability: attentionDropout, seed: seed) : nil
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { callAsFunction(x, mask: .none) }

    /// Self-attention over `x (B, T, d_model)`, hiding the keys where `keyPadding[b][t]` is true.
    public func callAsFunction(_ x: Tensor<Scalar>, keyPadding: [[Bool]]?) -> Tensor<Scalar> {
        callAsFunction(x, mask: AttentionMask(keyPadding: keyPadding))
    }

    /// Self-attention over `x (B, T, d_model)` with `mask` (its `causalOffset` is replaced by 0
    /// when the layer is causal).
    public func callAsFunction(_ x: Tensor<Scalar>, mask: AttentionMask<Scalar>) -> Tensor<Scalar> {
        callAsFunction(x, context: x, mask: mask)
    }

    /// Cross-attention: queries from `x (B, T_q, d_model)`, keys and values from
    /// `context (B, T_k, d_model)`; `mask` hides keys of the context. → `(B, T_q, d_model)`.
    public func callAsFunction(_ x: Tensor<Scalar>, context: Tensor<Scalar>, mask: AttentionMask<Scalar> = .none) -> Tensor<Scalar> {
        precondition(x.rank == 3 && context.rank == 3 && context.shape[0] == x.shape[0] && context.shape[2] == x.shape[2],
                     "MultiHeadAttention: inputs must be (B, T, d_model), got \(x.shape) and context \(context.shape)")
        var mask = mask
        if causal { mask.causalOffset = 0 }
        return attend(query(x), key(context), value(context), mask: mask)
    }

    /// One step of incremental decoding: self-attention of the new positions `x (B, T_new, d_model)`
    /// over everything seen so far. Their keys and values are appended to `cache` (without
    /// gradient), and a causal layer lets new position `i` see cached keys and new keys up to `i`.
    /// Feeding a sequence piece by piece gives the outputs of one pass over the whole prefix.
    public func callAsFunction(_ x: Tensor<Scalar>, cache: KeyValueCache<Scalar>, mask: AttentionMask<Scalar> = .none) -> Tensor<Scalar> {
        precondition(x.rank == 3, "MultiHeadAttention: input must be (B, T, d_model), got \(x.shape)")
        let past = cache.length
        let (k, v) = withoutGradient { (key(x), value(x)) }
        cache.append(keys: k, values: v)
        var mask = mask
        if causal { mask.causalOffset = past }
        return attend(query(x), cache.keys, cache.values, mask: mask)
    }

    private func attend(_ q: Tensor<Scalar>, _ k: Tensor<Scalar>, _ v: Tensor<Scalar>, mask: AttentionMask<Scalar>) -> Tensor<Scalar> {
        let attended: Tensor<Scalar>                                                  // (B, T_q, d_model)
        if let drop = attentionDropout, drop.isTraining {
            attended = Tensor.attention(query: q, key: k, value: v, heads: heads, mask: mask,
                                        dropout: drop.probability, generator: &drop.generator)
        } else {
            var unused = Xoshiro256StarStar(seed: 0)
            attended = Tensor.attention(query: q, key: k, value: v, heads: heads, mask: mask, generator: &unused)
        }
        return output(attended)
    }
}

/// The keys and values of the positions decoded so far, for `MultiHeadAttention`'s incremental
/// decoding: `(B, T_cached, d_model)` each, grown by `append`. One cache per attention layer.
public final class KeyValueCache<Scalar: BLASScalar> {
    public private(set) var keys: Tensor<Scalar>
    public private(set) var values: Tensor<Scalar>
    /// The number of cached positions.
    public var length: Int { keys.shape[1] }

    /// An empty cache for `batch` sequences of width `modelSize`.
    public init(batch: Int, modelSize: Int) {
        keys = Tensor.zeros([batch, 0, modelSize])
        values = Tensor.zeros([batch, 0, modelSize])
    }

    /// Appends `(B, T_new, d_model)` keys and values (copied, detached). O(B·(T_cached + T_new)·d_model).
    func append(keys k: Tensor<Scalar>, values v: Tensor<Scalar>) {
        precondition(k.shape[0] == keys.shape[0] && k.shape[2] == keys.shape[2] && v.shape == k.shape,
                     "KeyValueCache: new keys \(k.shape) do not extend the cached \(keys.shape)")
        keys = Self.concatenated(keys, k)
        values = Self.concatenated(values, v)
    }

    private static func concatenated(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
        let (B, Ta, Tb, C) = (a.shape[0], a.shape[1], b.shape[1], a.shape[2])
        var out: [Scalar] = []
        out.reserveCapacity(B * (Ta + Tb) * C)
        for s in 0..<B {
            out.append(contentsOf: a.storage[(s * Ta * C)..<((s + 1) * Ta * C)])
            out.append(contentsOf: b.storage[(s * Tb * C)..<((s + 1) * Tb * C)])
        }
        return Tensor(shape: [B, Ta + Tb, C], storage: out)
    }
}

/// A transformer block with two residual lines and an MLP `Linear(C, 4C) → GELU → Linear(4C, C)`.
/// Pre-LN (`normFirst`, the default; Xiong et al. 2020, GPT-2's layout): `h = x + attn(LN(x))`,
/// `y = h + MLP(LN(h))`. Post-LN (`normFirst: false`, the original of Vaswani et al. 2017 and
/// BERT): `h = LN(x + attn(x))`, `y = LN(h + MLP(h))`. Input and output `(B, T, C)`. Dropout with
/// probability `dropout` after attention and the MLP.
public final class TransformerBlock<Scalar: BLASScalar>: Layer {
    public let norm1: LayerNorm<Scalar>, attention: MultiHeadAttention<Scalar>
    public let norm2: LayerNorm<Scalar>, expand: Linear<Scalar>, contract: Linear<Scalar>
    public let dropout: Dropout<Scalar>
    /// Whether the layer norms come before each sub-layer (pre-LN) or after each residual sum (post-LN).
    public let normFirst: Bool

    /// - Parameter seed: seeds the dropout generators (the attention's with `seed &+ 1`); `nil`
    ///   derives it from `rng` (`derivedSeed(_:)`, which leaves `rng` and so the weights as they
    ///   are), so blocks made one after another never share masks, even before
    ///   `seedRandomStreams` gives every stream its place in the model.
    public init(modelSize: Int, heads: Int, causal: Bool = false, dropout: Double = 0, attentionDropout: Double = 0,
                normFirst: Bool = true, seed: UInt64? = nil, using rng: inout Xoshiro256StarStar) {
        let seed = seed ?? derivedSeed(rng)
        norm1 = LayerNorm(modelSize)
        attention = MultiHeadAttention(modelSize: modelSize, heads: heads, causal: causal,
                                       attentionDropout: attentionDropout, seed: seed &+ 1, using: &rng)
        norm2 = LayerNorm(modelSize)
        expand = Linear(modelSize, 4 * modelSize, using: &rng)
        contract = Linear(4 * modelSize, modelSize, using: &rng)
        self.dropout = Dropout(probability: dropout, seed: seed)
        self.normFirst = normFirst
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { callAsFunction(x, mask: .none) }

    /// The block with a key-padding mask passed to its attention.
    public func callAsFunction(_ x: Tensor<Scalar>, keyPadding: [[Bool]]?) -> Tensor<Scalar> {
        callAsFunction(x, mask: AttentionMask(keyPadding: keyPadding))
    }

    /// The block with `mask` (lengths, padding flags or an additive mask) passed to its attention.
    public func callAsFunction(_ x: Tensor<Scalar>, mask: AttentionMask<Scalar>) -> Tensor<Scalar> {
        if normFirst {
            let h = x + dropout(attention(norm1(x), mask: mask))
            return h + dropout(mlp(norm2(h)))
        }
        let h = norm1(x + dropout(attention(x, mask: mask)))
        return norm2(h + dropout(mlp(h)))
    }

    private func mlp(_ x: Tensor<Scalar>) -> Tensor<Scalar> { contract(expand(x).gelu()) }
}

/// A seed for a module's own generator, drawn from a copy of `rng` jumped 2¹²⁸ steps ahead: the
/// same `rng` state gives the same seed, `rng` itself is not advanced (the weights it draws next
/// do not change), and modules made one after another from one generator (whose state moved on
/// with each one's weights) get different seeds.
func derivedSeed(_ rng: Xoshiro256StarStar) -> UInt64 {
    var fork = rng
    fork.jump()
    return fork.next()
}
