import LatentCore

/// BERT's masked-language-model corruption (Devlin et al. 2019, §3.1 and appendix A.1), as in
/// Hugging Face's `DataCollatorForLanguageModeling`: every position that is not a special token is
/// chosen with probability `rate` (15%); a chosen position becomes `[MASK]` with probability 0.8,
/// a random token with probability 0.1 and stays unchanged with probability 0.1. The loss is taken
/// on chosen positions only (the others get `ignoreIndex`).
///
/// Random replacements are drawn uniformly from the ids that are not special (Hugging Face draws
/// from the whole vocabulary, specials included; the difference is a few ids in thousands).
public struct BERTMasking: Sendable, Equatable {
    /// The id of `[MASK]`.
    public var maskID: Int
    /// The vocabulary size V.
    public var vocabularySize: Int
    /// Ids never chosen and never drawn as replacements (`[PAD]`, `[CLS]`, `[SEP]`, …).
    public var specialIDs: Set<Int>
    /// The probability that a position is chosen (BERT: 0.15).
    public var rate: Double

    public init(maskID: Int, vocabularySize: Int, specialIDs: Set<Int>, rate: Double = 0.15) {
        precondition(maskID >= 0 && maskID < vocabularySize && specialIDs.count < vocabularySize,
                     "BERTMasking: mask id \(maskID) and \(specialIDs.count) specials need a vocabulary larger than \(vocabularySize)")
        precondition(rate > 0 && rate <= 1, "BERTMasking: rate \(rate) outside (0, 1]")
        self.maskID = maskID
        self.vocabularySize = vocabularySize
        self.specialIDs = specialIDs
        self.rate = rate
        ordinary = (0..<vocabularySize).filter { !specialIDs.contains($0) }
    }

    /// The non-special ids, for random replacements.
    private let ordinary: [Int]

    /// The corrupted `tokens` and the targets (`ignoreIndex` except at chosen positions, where the
    /// target is the original id). Three uniforms per position, always drawn, so the stream
    /// advances by the same amount whatever is chosen. O(T).
    public func apply(_ tokens: [Int], ignoreIndex: Int = LanguageModelBatch.ignoreIndex,
                      using rng: inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]) {
        var inputs = tokens
        var targets = [Int](repeating: ignoreIndex, count: tokens.count)
        for (t, id) in tokens.enumerated() {
            let choose = rng.uniform(), kind = rng.uniform(), replacement = ordinary[rng.integer(below: ordinary.count)]
            guard choose < rate, !specialIDs.contains(id) else { continue }
            targets[t] = id
            if kind < 0.8 { inputs[t] = maskID } else if kind < 0.9 { inputs[t] = replacement }
        }
        return (inputs, targets)
    }

    /// `apply` to `[CLS] + window + [SEP]`-style rows made by `frame`, for the window sources.
    public func row(framing frame: @escaping @Sendable ([Int]) -> [Int]) -> @Sendable ([Int], inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]) {
        let masking = self
        return { window, rng in masking.apply(frame(window), using: &rng) }
    }
}
