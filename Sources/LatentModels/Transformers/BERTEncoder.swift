import LatentCore
import LatentNN

/// A BERT-style encoder (Devlin et al. 2019) with its masked-language-model head.
///
/// Embeddings: token + learned position + segment, then LayerNorm and dropout (BERT's layout).
/// `layers` blocks, post-LN as in BERT (`normFirst: false`) or pre-LN (then a final LayerNorm).
/// MLM head as BERT's `cls.predictions`: `Linear(D, D) → GELU → LayerNorm`, then logits against
/// the token embedding (tied: `h·Eᵀ + b`, with a bias per token).
///
/// Dimensions: B batch, T sequence length (≤ context), D model size, V vocabulary size.
public final class BERTEncoder<Scalar: BLASScalar>: Module {
    public let tokens: Embedding<Scalar>
    public let positions: LearnedPositionalEmbedding<Scalar>
    public let segments: Embedding<Scalar>
    public let embeddingNorm: LayerNorm<Scalar>
    public let dropout: Dropout<Scalar>
    public let blocks: [TransformerBlock<Scalar>]
    /// The final LayerNorm of a pre-LN stack (post-LN blocks end normalised already).
    public let finalNorm: LayerNorm<Scalar>?
    public let headTransform: Linear<Scalar>
    public let headNorm: LayerNorm<Scalar>
    /// The MLM output bias `(V)`.
    public let headBias: Tensor<Scalar>
    public let architecture: TransformerArchitecture

    /// Weights from `seed`: embeddings `N(0, 0.02²)` (BERT's initialiser range), linear layers as
    /// PyTorch's default; every dropout its own stream split from `seed`.
    public init(architecture a: TransformerArchitecture, vocabularySize: Int, segmentCount: Int = 2, seed: UInt64) {
        precondition(a.problem == nil, "BERTEncoder: \(a.problem ?? "")")
        var rng = Xoshiro256StarStar(seed: seed)
        tokens = Embedding(weight: Tensor.randomNormal([vocabularySize, a.modelSize], standardDeviation: 0.02, using: &rng, requiresGrad: true))
        positions = LearnedPositionalEmbedding(maximumLength: a.context, dimension: a.modelSize, using: &rng)
        segments = Embedding(weight: Tensor.randomNormal([segmentCount, a.modelSize], standardDeviation: 0.02, using: &rng, requiresGrad: true))
        embeddingNorm = LayerNorm(a.modelSize, epsilon: 1e-12)
        dropout = Dropout(probability: a.dropout)
        blocks = (0..<a.layers).map { _ in
            TransformerBlock(modelSize: a.modelSize, heads: a.heads, dropout: a.dropout, normFirst: a.normFirst, using: &rng)
        }
        finalNorm = a.normFirst ? LayerNorm(a.modelSize) : nil
        headTransform = Linear(a.modelSize, a.modelSize, using: &rng)
        headNorm = LayerNorm(a.modelSize, epsilon: 1e-12)
        headBias = Tensor.zeros([vocabularySize], requiresGrad: true)
        architecture = a
        seedRandomStreams(seed)
    }

    /// The vocabulary size V.
    public var vocabularySize: Int { tokens.weight.shape[0] }

    /// Final token states `(B, T, D)` of ids `(B, T)`; `segments` `(B, T)` defaults to all 0;
    /// `keyPadding[b][t]` hides padded keys.
    public func hiddenStates(_ ids: IndexTensor, segments segmentIDs: IndexTensor? = nil, keyPadding: [[Bool]]? = nil) -> Tensor<Scalar> {
        let mask = AttentionMask<Scalar>(keyPadding: keyPadding)
        let segment = segments(segmentIDs ?? IndexTensor(shape: ids.shape, storage: [Int](repeating: 0, count: ids.count)))
        var h = dropout(embeddingNorm(positions(tokens(ids)) + segment))                   // (B, T, D)
        for block in blocks { h = block(h, mask: mask) }
        return finalNorm.map { $0(h) } ?? h
    }

    /// MLM logits `(N, V)` of token states `(N, D)`: `LN(GELU(h·W + b))·Eᵀ + bias`.
    public func maskedLanguageModelLogits(_ h: Tensor<Scalar>) -> Tensor<Scalar> {
        headNorm(headTransform(h).gelu()).matmul(tokens.weight, transposeB: true) + headBias
    }

    /// Mean of the final states over each sequence's real tokens: `(B, D)` sentence embeddings.
    public func meanPooled(_ batch: TokenBatch) -> Tensor<Scalar> {
        let (b, t) = batch.shape
        let h = hiddenStates(batch.tokens, keyPadding: batch.keyPadding)                     // (B, T, D)
        let keep = 1 - batch.paddingMask(as: Scalar.self).reshaped([b, t, 1])                 // (B, T, 1)
        let lengths = Tensor<Scalar>(shape: [b, 1], storage: batch.lengths.map { Scalar(Swift.max($0, 1)) })
        return (h * keep).sum(alongAxis: 1) / lengths
    }
}

/// Masked-language-model training of a `BERTEncoder`: cross-entropy of the MLM logits at the
/// chosen positions only (the head runs on those rows alone, a sixth of the work of all positions).
/// Metrics per chosen token: `loss` and `accuracy` (argmax equal to the original token).
public final class MaskedLanguageModelTask<Scalar: BLASScalar>: TrainingTask {
    public let encoder: BERTEncoder<Scalar>
    public var model: any Module<Scalar> { encoder }

    public init(_ encoder: BERTEncoder<Scalar>) { self.encoder = encoder }

    /// The chosen positions' logits `(N, V)` and original ids `(N)`.
    func chosenLogits(_ batch: LanguageModelBatch) -> (logits: Tensor<Scalar>, targets: [Int]) {
        let (b, t) = batch.shape
        let chosen = batch.targets.storage.indices.filter { batch.targets.storage[$0] != LanguageModelBatch.ignoreIndex }
        let h = encoder.hiddenStates(batch.inputs).reshaped([b * t, encoder.architecture.modelSize])   // (B·T, D)
        return (encoder.maskedLanguageModelLogits(h.gatherRows(chosen)), chosen.map { batch.targets.storage[$0] })
    }

    public func loss(_ batch: LanguageModelBatch) -> Tensor<Scalar> {
        let (logits, targets) = chosenLogits(batch)
        return Loss.crossEntropy(logits, targets)
    }

    public func metrics(_ batch: LanguageModelBatch) -> Metrics {
        let (logits, targets) = chosenLogits(batch)
        guard !targets.isEmpty else { return Metrics() }
        let n = targets.count
        let correct = zip(logits.argmax(alongAxis: 1), targets).filter { $0 == $1 }.count
        return Metrics(["loss": Double(Loss.crossEntropy(logits, targets).item) * Double(n), "accuracy": Double(correct)], count: n)
    }
}
