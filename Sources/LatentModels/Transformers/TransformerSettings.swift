import LatentNN

/// The shape of a BERT- or GPT-style transformer: `layers` blocks of width `modelSize` with
/// `heads` attention heads (each of size `modelSize / heads`) and an MLP of width `4·modelSize`,
/// over at most `context` positions (learned position embeddings).
public struct TransformerArchitecture: Codable, Sendable, Equatable {
    /// Number of transformer blocks (≥ 1).
    public var layers: Int
    /// Width D of every token state (≥ 1, a multiple of `heads`).
    public var modelSize: Int
    /// Attention heads per block (≥ 1).
    public var heads: Int
    /// Longest sequence the position table covers (≥ 2): the training window.
    public var context: Int
    /// Dropout probability on embeddings, attention outputs and MLP outputs, in [0, 1).
    public var dropout: Double
    /// Pre-LN blocks (GPT-2, Xiong et al. 2020) when true, post-LN (BERT, Vaswani et al. 2017) when false.
    public var normFirst: Bool

    public init(layers: Int = 4, modelSize: Int = 128, heads: Int = 4, context: Int = 64, dropout: Double = 0.1, normFirst: Bool) {
        self.layers = layers
        self.modelSize = modelSize
        self.heads = heads
        self.context = context
        self.dropout = dropout
        self.normFirst = normFirst
    }

    /// Why these sizes cannot be built, or `nil`.
    public var problem: String? {
        if layers < 1 { return "layers \(layers) must be at least 1" }
        if heads < 1 { return "heads \(heads) must be at least 1" }
        if modelSize < 1 || modelSize % heads != 0 { return "model size \(modelSize) must be a positive multiple of the \(heads) heads" }
        if context < 2 { return "context \(context) must be at least 2" }
        if !(dropout >= 0 && dropout < 1) { return "dropout \(dropout) must lie in [0, 1)" }
        return nil
    }
}

/// How a language model is optimised: AdamW (Loshchilov & Hutter 2019; decay on matrices and
/// embeddings only) with linear warm-up then cosine decay, on batches of random windows of the
/// training tokens. An "epoch" is `stepsPerEpoch` steps (a checkpoint is written after each), since
/// windows are drawn at random offsets rather than by passes over the corpus.
public struct LanguageModelTraining: Codable, Sendable, Equatable {
    /// Checkpointed rounds of training (≥ 1).
    public var epochs: Int
    /// Optimizer steps per epoch (≥ 1).
    public var stepsPerEpoch: Int
    /// Windows per step (≥ 1).
    public var batchSize: Int
    /// Peak learning rate (> 0), reached after `warmupSteps`, then decayed to 0 by a cosine.
    public var learningRate: Double
    /// Linear warm-up steps (≥ 0).
    public var warmupSteps: Int
    /// AdamW's decoupled weight decay on matrices and embeddings (≥ 0).
    public var weightDecay: Double
    /// Global gradient-norm bound, or `nil` for none.
    public var maximumGradientNorm: Double?
    /// Held-out windows scored after each epoch (≥ 0; at most what the held-out tokens hold).
    public var evaluationWindows: Int
    /// Seeds the weights, the windows, the masks and dropout.
    public var seed: UInt64

    public init(epochs: Int = 1, stepsPerEpoch: Int = 100, batchSize: Int = 32, learningRate: Double = 1e-3,
                warmupSteps: Int = 20, weightDecay: Double = 0.01, maximumGradientNorm: Double? = 1,
                evaluationWindows: Int = 64, seed: UInt64 = 0) {
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay
        self.maximumGradientNorm = maximumGradientNorm
        self.evaluationWindows = evaluationWindows
        self.seed = seed
    }

    /// Total optimizer steps of the run.
    public var totalSteps: Int { epochs * stepsPerEpoch }

    /// The schedule: warm-up, then cosine decay to 0 over the whole run.
    public var schedule: LearningRateSchedule {
        .cosine(base: learningRate, totalSteps: totalSteps, warmupSteps: Swift.min(warmupSteps, totalSteps))
    }

    /// Why these settings cannot be used, or `nil`.
    public var problem: String? {
        if epochs < 1 { return "epochs \(epochs) must be at least 1" }
        if stepsPerEpoch < 1 { return "steps per epoch \(stepsPerEpoch) must be at least 1" }
        if batchSize < 1 { return "batch size \(batchSize) must be at least 1" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning rate \(learningRate) must be positive and finite" }
        if warmupSteps < 0 { return "warm-up steps \(warmupSteps) must be at least 0" }
        if !(weightDecay >= 0 && weightDecay.isFinite) { return "weight decay \(weightDecay) must be finite and ≥ 0" }
        if let g = maximumGradientNorm, !(g > 0 && g.isFinite) { return "gradient-norm bound \(g) must be positive and finite" }
        if evaluationWindows < 0 { return "evaluation windows \(evaluationWindows) must be at least 0" }
        return nil
    }
}

/// Input a language model cannot use, or a configuration that cannot be built.
public enum LanguageModelError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of range; the message names it.
    case invalidConfiguration(String)
    /// Fewer tokens than one training window needs.
    case tooFewTokens(found: Int, needed: Int)
    /// A token id outside the vocabulary, at `position` of the token stream.
    case tokenOutOfRange(position: Int, id: Int, vocabularySize: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(m): return "invalid language-model configuration: \(m)"
        case let .tooFewTokens(f, n): return "the corpus has \(f) tokens; one training window needs \(n)"
        case let .tokenOutOfRange(p, id, v): return "token \(p + 1) has id \(id), outside the vocabulary 0..<\(v)"
        }
    }
}
