import LatentCore
import LatentText

/// word2vec (Mikolov et al. 2013, "Efficient estimation of word representations in vector space"
/// and "Distributed representations of words and phrases and their compositionality"): word
/// vectors trained by predicting words from their neighbours, with the semantics of the original
/// `word2vec.c` and gensim's `Word2Vec` (whose Cython inner loop this follows step by step).
///
/// ```swift
/// let corpus = try Corpus.read(contentsOf: url, minCount: 5)
/// let model = try Word2Vec(architecture: .skipGram, dimension: 100).train(corpus)
/// model.vectors.mostSimilar(to: "king")
/// ```
///
/// Training runs `threads` Hogwild workers (Recht et al. 2011) that update the shared weights
/// without locks, as word2vec.c and gensim do; with `threads == 1` the result is a pure function of
/// the corpus, the configuration and `seed` (bit for bit on one machine).
/// Cost per epoch: O(kept tokens · window · (negative + 1 or log₂ V) · dimension).
public struct Word2Vec: Sendable, Equatable, Codable {
    /// What predicts what.
    public enum Architecture: String, Sendable, Codable, CaseIterable {
        /// Each context word's vector predicts the centre word (gensim `sg=1`).
        case skipGram = "skipgram"
        /// The mean (or sum) of the context vectors predicts the centre word (gensim `sg=0`).
        case cbow
    }

    public var architecture: Architecture
    /// Vector length (gensim `vector_size`).
    public var dimension: Int
    /// Largest distance to a context word; each position draws its window uniformly from 1…window.
    public var window: Int
    /// Negative samples per prediction (0 = none; then `hierarchicalSoftmax` must be on).
    public var negative: Int
    /// Predict through a Huffman tree of the vocabulary instead of (or besides) negative sampling.
    public var hierarchicalSoftmax: Bool
    /// CBOW: average the context vectors (true, gensim `cbow_mean=1`) or sum them.
    public var cbowMean: Bool
    /// Frequent-word subsampling threshold (gensim `sample`; 0 = off), see `Subsampling`.
    public var sample: Double
    /// Learning rate at the start; it falls linearly to `minAlpha` over all epochs.
    public var alpha: Double
    public var minAlpha: Double
    /// Passes over the corpus.
    public var epochs: Int
    /// Hogwild worker threads.
    public var threads: Int
    /// Seeds the initial vectors and every random draw.
    public var seed: UInt64
    /// Negative-sampling distribution exponent: P(w) ∝ count(w)^exponent (0.75 as in word2vec.c).
    public var negativeExponent: Double

    /// A configuration with gensim's defaults, except `architecture` (gensim defaults to CBOW).
    public init(architecture: Architecture = .skipGram, dimension: Int = 100, window: Int = 5, negative: Int = 5,
                hierarchicalSoftmax: Bool = false, cbowMean: Bool = true, sample: Double = 1e-3, alpha: Double = 0.025,
                minAlpha: Double = 0.0001, epochs: Int = 5, threads: Int = 1, seed: UInt64 = 1, negativeExponent: Double = 0.75) {
        self.architecture = architecture
        self.dimension = dimension
        self.window = window
        self.negative = negative
        self.hierarchicalSoftmax = hierarchicalSoftmax
        self.cbowMean = cbowMean
        self.sample = sample
        self.alpha = alpha
        self.minAlpha = minAlpha
        self.epochs = epochs
        self.threads = threads
        self.seed = seed
        self.negativeExponent = negativeExponent
    }

    /// Checks the settings; returns the first problem as a sentence, or nil.
    public var invalidSetting: String? {
        if dimension < 1 || dimension > 100_000 { return "dimension must be in 1…100000, got \(dimension)" }
        if window < 1 || window > 10_000 { return "window must be in 1…10000, got \(window)" }
        if negative < 0 || negative > 1000 { return "negative must be in 0…1000, got \(negative)" }
        if negative == 0 && !hierarchicalSoftmax { return "negative is 0 and hierarchical softmax is off: nothing to train" }
        if !(sample >= 0 && sample.isFinite) { return "sample must be finite and ≥ 0, got \(sample)" }
        if !(alpha > 0 && alpha.isFinite) { return "alpha must be positive, got \(alpha)" }
        if !(minAlpha >= 0 && minAlpha <= alpha) { return "min-alpha must be in 0…alpha, got \(minAlpha)" }
        if epochs < 1 { return "epochs must be at least 1, got \(epochs)" }
        if threads < 1 || threads > 1024 { return "threads must be in 1…1024, got \(threads)" }
        if !(negativeExponent.isFinite) { return "the negative-sampling exponent must be finite" }
        return nil
    }
}

/// Why word2vec training could not start.
public enum Word2VecError: Error, Equatable, CustomStringConvertible {
    /// No word reached the minimum count (or the corpus had no tokens).
    case emptyVocabulary(rawTokens: Int, distinctWords: Int)
    /// A setting out of range (see `Word2Vec.invalidSetting`).
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .emptyVocabulary(tokens, distinct):
            return tokens == 0 ? "the corpus holds no tokens" :
                "empty vocabulary: none of the \(distinct) distinct words in \(tokens) tokens reaches the minimum count"
        case let .invalidSetting(text): return text
        }
    }
}

/// Training progress, reported about once a second.
public struct Word2VecProgress: Sendable {
    /// Fraction of the total work done, 0…1.
    public let fraction: Double
    /// Tokens trained (after subsampling) so far, all workers together.
    public let effectiveWords: Int
    /// Seconds since training started.
    public let seconds: Double
    /// The current learning rate of the reporting worker.
    public let alpha: Double
    /// Effective words per second so far.
    public var wordsPerSecond: Double { seconds > 0 ? Double(effectiveWords) / seconds : 0 }
    /// Estimated seconds left.
    public var secondsLeft: Double { fraction > 0 ? seconds * (1 - fraction) / fraction : .infinity }
}

/// What a training run did.
public struct Word2VecReport: Sendable, Equatable, Codable {
    /// Tokens trained on (after subsampling), over all epochs.
    public let effectiveWords: Int
    /// In-vocabulary tokens read, over all epochs.
    public let rawWords: Int
    /// Wall-clock seconds of training (excluding reading the corpus).
    public let seconds: Double
    /// `effectiveWords / seconds` (gensim's "effective words/s").
    public var wordsPerSecond: Double { seconds > 0 ? Double(effectiveWords) / seconds : 0 }
}

/// A trained word2vec model: the vocabulary, the input vectors (what gensim calls `wv`) and the
/// training report.
public struct Word2VecModel: Sendable {
    public let configuration: Word2Vec
    public let vocabulary: Vocabulary
    /// One vector per vocabulary word, most frequent first.
    public let vectors: WordVectors
    public let report: Word2VecReport
}
