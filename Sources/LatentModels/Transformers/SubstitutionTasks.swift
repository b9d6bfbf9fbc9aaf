import LatentCore

/// A generated family of tasks for in-context learning: each task is a secret substitution
/// cipher applied letter by letter to words of `wordLength` plain symbols. A sequence shows
/// demonstrations `x π(x)` (with `markers`: `x > π(x) ;`) and then a query `x` (`x >`) whose
/// answer `π(x)` the model must write.
/// Nothing about `π` is learnable across sequences (every task is new), so the only way to answer
/// is to read the demonstrations: find each query symbol in an earlier input and copy the output
/// symbol at the same place (an "induction head" lookup, Olsson et al. 2022). With `k`
/// demonstrations a symbol has been shown with probability `1 − (1 − 1/alphabet)^(k·wordLength)`,
/// so an ideal learner's accuracy rises with `k` from chance (`1/outputCount`) — see
/// `idealAccuracy`.
///
/// Two kinds of cipher:
/// - `cipherSymbols == nil`: `π` is a permutation of the plain alphabet (outputs are plain
///   symbols). Every symbol then appears about equally often in a prompt, so "the answer is a
///   token of the prompt" says nothing; a small decoder trained on it stays at chance (see
///   docs/transformers.md).
/// - `cipherSymbols = n`: `π` maps the plain symbols to distinct symbols of a separate cipher
///   alphabet of `n ≥ alphabet` symbols (a random injection, as in the associative-recall tasks
///   of Ba et al. 2016 and Fu et al. 2023, keys and values disjoint). For `n > alphabet` the
///   cipher symbols shown in the prompt are a hint (the answer is one of these few whenever its
///   plain symbol was shown), a cheap statistic the decoder learns first, on the way to the
///   lookup; 8 → 32 with `markers: false` is the documented run.
///
/// Held-out tasks: a cipher belongs to the evaluation half of the family when a hash of it is
/// odd; training only ever sees the other half, so evaluation is on tasks never trained on.
///
/// Tokens: plain symbols `0..<alphabet`, then the cipher symbols (`outputToken(_:)`; none of their
/// own when they are the plain ones), then `>` (`arrow`) and `;` (`separator`).
public struct SubstitutionTasks: Codable, Sendable, Equatable {
    /// Symbols in the plain alphabet (2…64).
    public var alphabet: Int
    /// Symbols of a separate cipher alphabet (`alphabet…512`), or `nil`: the cipher permutes the
    /// plain alphabet.
    public var cipherSymbols: Int?
    /// Symbols per word (≥ 1).
    public var wordLength: Int
    /// Whether a demonstration is written `x > y ;` (true) or plainly `x y` (false: the answer is
    /// predicted at the query's last symbol, the classic induction-head pattern).
    public var markers: Bool

    public init(alphabet: Int = 8, cipherSymbols: Int? = nil, wordLength: Int = 3, markers: Bool = true) {
        precondition((2...64).contains(alphabet) && wordLength >= 1, "SubstitutionTasks: alphabet \(alphabet) outside 2…64 or word length \(wordLength) < 1")
        precondition(cipherSymbols.map { ($0 >= alphabet) && $0 <= 512 } ?? true,
                     "SubstitutionTasks: \(cipherSymbols ?? 0) cipher symbols outside \(alphabet)…512")
        self.alphabet = alphabet
        self.cipherSymbols = cipherSymbols
        self.wordLength = wordLength
        self.markers = markers
    }

    /// Symbols an answer can be: the cipher alphabet, or the plain one.
    public var outputCount: Int { cipherSymbols ?? alphabet }
    /// The token of output symbol `s` (`0..<outputCount`).
    public func outputToken(_ s: Int) -> Int { cipherSymbols == nil ? s : alphabet + s }
    public var arrow: Int { alphabet + (cipherSymbols ?? 0) }
    public var separator: Int { arrow + 1 }
    /// Symbols plus the two markers (in the vocabulary even when unused).
    public var vocabularySize: Int { arrow + 2 }
    /// Tokens per demonstration: `x > y ;` or `x y`.
    public var demonstrationLength: Int { 2 * wordLength + (markers ? 2 : 0) }
    /// Tokens of a sequence with `k` demonstrations and the answered query (without its `;`).
    public func sequenceLength(demonstrations k: Int) -> Int { (k + 1) * demonstrationLength - (markers ? 1 : 0) }
    /// Where a demonstration's output word starts, from the start of the demonstration.
    var outputOffset: Int { wordLength + (markers ? 1 : 0) }

    /// Whether the cipher (`task[x]` = output symbol of plain symbol `x`) is in the held-out half
    /// (an FNV-1a hash of it is odd).
    public func isHeldOut(_ task: [Int]) -> Bool {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in task { h = (h ^ UInt64(p)) &* 0x100_0000_01b3 }
        return (h >> 17) & 1 == 1
    }

    /// A random task of the training (`heldOut: false`) or evaluation half: the output symbol of
    /// each plain symbol, all distinct (the first `alphabet` entries of a random permutation of
    /// the outputs).
    public func task(heldOut: Bool, using rng: inout Xoshiro256StarStar) -> [Int] {
        while true {
            let p = Array(rng.permutation(outputCount).prefix(alphabet))
            if isHeldOut(p) == heldOut { return p }
        }
    }

    /// `k` demonstrations of `task` followed by a query and its answer, with fresh random words.
    /// Returns the tokens and the positions of the answer's symbols.
    public func sequence(task: [Int], demonstrations k: Int, using rng: inout Xoshiro256StarStar) -> (tokens: [Int], answer: Range<Int>) {
        var tokens: [Int] = []
        for i in 0...k {
            let word = (0..<wordLength).map { _ in rng.integer(below: alphabet) }
            tokens += word + (markers ? [arrow] : []) + word.map { outputToken(task[$0]) }
            if i < k && markers { tokens.append(separator) }
        }
        return (tokens, (tokens.count - wordLength)..<tokens.count)
    }

    /// A training row: `demonstrations` demonstrations and a query of a random training task, the
    /// inputs all tokens but the last, the targets the output symbol of every demonstration and of
    /// the query (so one sequence trains every number of preceding demonstrations), else ignored.
    public func trainingRow(demonstrations k: Int, using rng: inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]) {
        let task = task(heldOut: false, using: &rng)
        let (tokens, _) = sequence(task: task, demonstrations: k, using: &rng)
        var targets = [Int](repeating: LanguageModelBatch.ignoreIndex, count: tokens.count - 1)
        for start in stride(from: 0, to: tokens.count, by: demonstrationLength) {
            // output symbol j is the target of the token before it
            for j in 0..<wordLength { targets[start + outputOffset + j - 1] = tokens[start + outputOffset + j] }
        }
        return (Array(tokens.dropLast()), targets)
    }

    /// The expected fraction of answer symbols an ideal in-context learner gets right in `sequence`:
    /// a symbol shown in a demonstration input is copied; any other is guessed uniformly among the
    /// outputs no demonstration has used yet. O(k · wordLength).
    /// (Guessing among the unused outputs is optimal for both kinds of cipher: `π` is one-to-one.)
    public func idealAccuracy(task: [Int], tokens: [Int], demonstrations k: Int) -> Double {
        var seen = Set<Int>()
        for d in 0..<k { for j in 0..<wordLength { seen.insert(tokens[d * demonstrationLength + j]) } }
        let unused = Double(outputCount - seen.count)
        let query = tokens[(k * demonstrationLength)..<(k * demonstrationLength + wordLength)]
        return query.reduce(0.0) { $0 + (seen.contains($1) ? 1 : 1 / unused) } / Double(wordLength)
    }
}
