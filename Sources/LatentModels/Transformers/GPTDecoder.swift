import LatentCore
import LatentNN

/// A GPT-style decoder (Radford et al. 2018, 2019): token + learned position embeddings, dropout,
/// `layers` causal blocks (pre-LN as GPT-2 by default, post-LN as an option), a final LayerNorm
/// (pre-LN only) and an output head tied to the token embedding: `logits = h·Eᵀ` (no bias).
///
/// Dimensions: B batch, T sequence length (≤ context), D model size, V vocabulary size.
public final class GPTDecoder<Scalar: BLASScalar>: Module {
    public let tokens: Embedding<Scalar>
    public let positions: LearnedPositionalEmbedding<Scalar>
    public let dropout: Dropout<Scalar>
    public let blocks: [TransformerBlock<Scalar>]
    public let finalNorm: LayerNorm<Scalar>?
    public let architecture: TransformerArchitecture

    /// Weights from `seed`: embeddings `N(0, 0.02²)` (GPT-2), linear layers as PyTorch's default;
    /// every dropout its own stream split from `seed`.
    public init(architecture a: TransformerArchitecture, vocabularySize: Int, seed: UInt64) {
        precondition(a.problem == nil, "GPTDecoder: \(a.problem ?? "")")
        var rng = Xoshiro256StarStar(seed: seed)
        tokens = Embedding(weight: Tensor.randomNormal([vocabularySize, a.modelSize], standardDeviation: 0.02, using: &rng, requiresGrad: true))
        positions = LearnedPositionalEmbedding(maximumLength: a.context, dimension: a.modelSize, using: &rng)
        dropout = Dropout(probability: a.dropout)
        blocks = (0..<a.layers).map { _ in
            TransformerBlock(modelSize: a.modelSize, heads: a.heads, causal: true, dropout: a.dropout, normFirst: a.normFirst, using: &rng)
        }
        finalNorm = a.normFirst ? LayerNorm(a.modelSize) : nil
        architecture = a
        seedRandomStreams(seed)
    }

    /// The vocabulary size V.
    public var vocabularySize: Int { tokens.weight.shape[0] }

    /// Final token states `(B, T, D)` of ids `(B, T)`, each position seeing itself and the past.
    public func hiddenStates(_ ids: IndexTensor) -> Tensor<Scalar> {
        var h = dropout(positions(tokens(ids)))                                               // (B, T, D)
        for block in blocks { h = block(h) }
        return finalNorm.map { $0(h) } ?? h
    }

    /// Next-token logits `(B, T, V)` of ids `(B, T)`.
    public func callAsFunction(_ ids: IndexTensor) -> Tensor<Scalar> { logits(hiddenStates(ids)) }

    /// The tied head: `h·Eᵀ`, `(…, D)` → `(…, V)`.
    public func logits(_ h: Tensor<Scalar>) -> Tensor<Scalar> { h.matmul(tokens.weight, transposeB: true) }

    /// Empty key/value caches, one per block, for `batch` sequences.
    public func makeCaches(batch: Int = 1) -> [KeyValueCache<Scalar>] {
        blocks.map { _ in KeyValueCache(batch: batch, modelSize: architecture.modelSize) }
    }

    /// Incremental decoding: the logits `(B, T_new, V)` of new ids `(B, T_new)` that follow the
    /// `caches[0].length` positions already in `caches` (which grow by `T_new`). Equal to the last
    /// `T_new` rows of a pass over the whole sequence, at O(T_new·(T_cached + T_new)) attention
    /// cost instead of O((T_cached + T_new)²). No gradient is recorded.
    /// - Precondition: `T_cached + T_new ≤ context`; one cache per block.
    public func step(_ ids: IndexTensor, caches: [KeyValueCache<Scalar>]) -> Tensor<Scalar> {
        precondition(caches.count == blocks.count, "GPTDecoder.step: \(caches.count) caches for \(blocks.count) blocks")
        let past = caches[0].length, t = ids.shape[1]
        precondition(past + t <= architecture.context, "GPTDecoder.step: \(past) cached + \(t) new positions exceed the context \(architecture.context)")
        return withoutGradient {
            var h = dropout(tokens(ids) + positions.weight.slice(alongAxis: 0, past..<(past + t)))   // (B, T_new, D)
            for (block, cache) in zip(blocks, caches) { h = block(h, cache: cache) }
            return logits(finalNorm.map { $0(h) } ?? h)
        }
    }
}

extension TransformerBlock {
    /// The block on new positions `x (B, T_new, D)` whose attention also sees the keys and values
    /// in `cache` (and appends its own): the same two residual lines as `callAsFunction(_:mask:)`.
    func callAsFunction(_ x: Tensor<Scalar>, cache: KeyValueCache<Scalar>) -> Tensor<Scalar> {
        let mlp = { (h: Tensor<Scalar>) in self.contract(self.expand(h).gelu()) }
        if normFirst {
            let h = x + dropout(attention(norm1(x), cache: cache))
            return h + dropout(mlp(norm2(h)))
        }
        let h = norm1(x + dropout(attention(x, cache: cache)))
        return norm2(h + dropout(mlp(h)))
    }
}

/// Next-token training of a `GPTDecoder`: mean cross-entropy over the positions with a target.
/// Metrics per predicted token: `loss` (its exponential is the perplexity) and `accuracy`.
public final class CausalLanguageModelTask<Scalar: BLASScalar>: TrainingTask {
    public let decoder: GPTDecoder<Scalar>
    public var model: any Module<Scalar> { decoder }

    public init(_ decoder: GPTDecoder<Scalar>) { self.decoder = decoder }

    public func loss(_ batch: LanguageModelBatch) -> Tensor<Scalar> {
        Loss.crossEntropy(decoder(batch.inputs), batch.targets, ignoreIndex: LanguageModelBatch.ignoreIndex)
    }

    public func metrics(_ batch: LanguageModelBatch) -> Metrics {
        let logits = decoder(batch.inputs)                                                    // (B, T, V)
        let n = batch.targetCount
        guard n > 0 else { return Metrics() }
        let flat = logits.reshaped([batch.inputs.count, decoder.vocabularySize])
        let correct = zip(flat.argmax(alongAxis: 1), batch.targets.storage).filter { $0 == $1 }.count
        let loss = Loss.crossEntropy(logits, batch.targets, ignoreIndex: LanguageModelBatch.ignoreIndex)
        return Metrics(["loss": Double(loss.item) * Double(n), "accuracy": Double(correct)], count: n)
    }
}
