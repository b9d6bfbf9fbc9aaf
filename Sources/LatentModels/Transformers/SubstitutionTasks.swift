import LatentCore

/// A generated family of tasks for in-context learning: each task is a secret substitution
/// cipher, a random permutation `π` of an alphabet of `alphabet` symbols, applied letter by letter
/// to words of `wordLength` symbols. A sequence shows demonstrations `x > π(x) ;` and then a query
/// `x >` whose answer `π(x)` the model must write. Nothing about `π` is learnable across
/// sequences (every task is new), so the only way to answer is to read the demonstrations: find
/// each query symbol in an earlier input and copy the output symbol at the same place (an
/// "induction head" lookup, Olsson et al. 2022). With `k` demonstrations a symbol has been shown
/// with probability `1 − (1 − 1/alphabet)^(k·wordLength)`, so an ideal learner's accuracy rises
/// with `k` from chance (`1/alphabet`) — see `idealAccuracy`.
///
/// Held-out tasks: a permutation belongs to the evaluation half of the family when a hash of it is
/// odd; training only ever sees the other half, so evaluation is on tasks never trained on.
///
/// Tokens: symbols `0..<alphabet`, then `>` (`arrow`) and `;` (`separator`).
public struct SubstitutionTasks: Codable, Sendable, Equatable {
    /// Symbols in the alphabet (2…64).
    public var alphabet: Int
    /// Symbols per word (≥ 1).
    public var wordLength: Int

    public init(alphabet: Int = 8, wordLength: Int = 3) {
        precondition((2...64).contains(alphabet) && wordLength >= 1, "SubstitutionTasks: alphabet \(alphabet) outside 2…64 or word length \(wordLength) < 1")
        self.alphabet = alphabet
        self.wordLength = wordLength
    }

    public var arrow: Int { alphabet }
    public var separator: Int { alphabet + 1 }
    /// Symbols plus the two markers.
    public var vocabularySize: Int { alphabet + 2 }
    /// Tokens per demonstration: `x > y ;`.
    public var demonstrationLength: Int { 2 * wordLength + 2 }
    /// Tokens of a sequence with `k` demonstrations and the answered query (without its `;`).
    public func sequenceLength(demonstrations k: Int) -> Int { (k + 1) * demonstrationLength - 1 }

    /// Whether the permutation is in the held-out half (an FNV-1a hash of it is odd).
    public func isHeldOut(_ permutation: [Int]) -> Bool {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in permutation { h = (h ^ UInt64(p)) &* 0x100_0000_01b3 }
        return (h >> 17) & 1 == 1
    }

    /// A random task of the training (`heldOut: false`) or evaluation half.
    public func task(heldOut: Bool, using rng: inout Xoshiro256StarStar) -> [Int] {
        while true {
            let p = rng.permutation(alphabet)
            if isHeldOut(p) == heldOut { return p }
        }
    }

    /// `k` demonstrations of `task` followed by a query and its answer, with fresh random words.
    /// Returns the tokens and the positions of the answer's symbols.
    public func sequence(task: [Int], demonstrations k: Int, using rng: inout Xoshiro256StarStar) -> (tokens: [Int], answer: Range<Int>) {
        var tokens: [Int] = []
        for i in 0...k {
            let word = (0..<wordLength).map { _ in rng.integer(below: alphabet) }
            tokens += word + [arrow] + word.map { task[$0] }
            if i < k { tokens.append(separator) }
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
            for j in 0..<wordLength { targets[start + wordLength + j] = tokens[start + wordLength + 1 + j] }
        }
        return (Array(tokens.dropLast()), targets)
    }

    /// The expected fraction of answer symbols an ideal in-context learner gets right in `sequence`:
    /// a symbol shown in a demonstration input is copied; any other is guessed uniformly among the
    /// outputs no demonstration has used yet. O(k · wordLength).
    public func idealAccuracy(task: [Int], tokens: [Int], demonstrations k: Int) -> Double {
        var seen = Set<Int>()
        for d in 0..<k { for j in 0..<wordLength { seen.insert(tokens[d * demonstrationLength + j]) } }
        let unused = Double(alphabet - seen.count)
        let query = tokens[(k * demonstrationLength)..<(k * demonstrationLength + wordLength)]
        return query.reduce(0.0) { $0 + (seen.contains($1) ? 1 : 1 / unused) } / Double(wordLength)
    }
}
