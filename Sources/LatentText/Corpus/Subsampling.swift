/// Frequent-word subsampling (Mikolov et al. 2013, "Distributed representations of words and
/// phrases", §2.3), with the threshold semantics of gensim's `sample` parameter.
///
/// A token of word `w` with count `c` is kept with probability
/// `min(1, (√(c / t) + 1) · t / c)`, where `t = sample · (total count)` when `sample < 1`, or
/// `t = ⌊sample · (3 + √5) / 2⌋` when `sample ≥ 1` (gensim's word-count form); `sample = 0`
/// keeps every token. The probability is stored as a 32-bit threshold compared with a random
/// 32-bit draw, as gensim's `sample_int`.
public struct Subsampling: Sendable, Equatable {
    /// `keepThreshold[id]`: keep a token when a uniform 32-bit draw is ≤ this (`UInt32.max` = always).
    public let keepThreshold: [UInt32]
    /// The expected number of tokens kept per pass over a corpus with the vocabulary's counts.
    public let expectedKeptTokens: Double

    /// Keep probabilities for `vocabulary` under threshold `sample` (≥ 0).
    public init(vocabulary: Vocabulary, sample: Double) {
        precondition(sample >= 0 && sample.isFinite, "Subsampling: sample must be finite and ≥ 0, got \(sample)")
        let total = Double(vocabulary.totalCount)
        let t: Double = sample == 0 ? total : sample < 1 ? sample * total : (sample * (3 + 5.0.squareRoot()) / 2).rounded(.towardZero)
        var expected = 0.0
        keepThreshold = vocabulary.counts.map { count in
            let c = Double(count)
            var p = c > 0 && sample > 0 ? ((c / t).squareRoot() + 1) * (t / c) : 1
            if p >= 1 { p = 1 }
            expected += p * c
            return p >= 1 ? UInt32.max : UInt32(p * 4_294_967_295)
        }
        expectedKeptTokens = expected
    }

    /// The probability of keeping a token of word `id`.
    public func keepProbability(_ id: Int) -> Double { Double(keepThreshold[id]) / 4_294_967_295 }
}
