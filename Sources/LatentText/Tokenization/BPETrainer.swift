/// Learns byte-level BPE merges from a corpus, choosing the same merges in the same order as
/// Hugging Face `tokenizers`' `BpeTrainer` with the `ByteLevel` pre-tokenizer and
/// `initial_alphabet=ByteLevel.alphabet()` (checked by `BPEHuggingFaceTests`).
///
/// Algorithm (Sennrich et al. 2016): count the pre-tokens (words) of the corpus; start each word as
/// one symbol per byte; then repeatedly join the adjacent pair with the largest count, summed over
/// word occurrences, in every word, until the vocabulary has `vocabularySize` tokens or no pair
/// occurs `minimumFrequency` times (and at least once).
///
/// Tie-breaking (HF's rule): among pairs with the largest count, the pair `(left, right)` with the
/// smallest `left` id wins, then the smallest `right` id. Ids are assigned as HF does: the special
/// tokens first in the order given, then the 256 byte characters in code-point order, then each
/// merge's new token. As in HF, every adjacent position counts (`aaa` holds the pair `(a, a)` twice)
/// and joining proceeds left to right.
///
/// Special tokens: their text in the corpus is cut out before counting (HF instead counts it as
/// ordinary text), and a merge whose join would spell a special token is never made, so merges never
/// produce a special token.
///
/// Cost: O(total bytes) to split and count; each merge then touches only the words holding its pair
/// (kept in an index) and updates a max-heap of pair counts lazily, as HF does: about
/// O(occurrences of the pair × log pairs) per merge.
public struct BPETrainer: Sendable {
    /// The vocabulary size to reach: special tokens + 256 byte characters + merges. The vocabulary
    /// always holds the special tokens and the 256 bytes, even if this is smaller (as in HF).
    public var vocabularySize: Int
    /// A pair joins only if it occurs at least this often (and at least once).
    public var minimumFrequency: Int
    /// Tokens matched whole in text and never split or produced by merges.
    public var specialTokens: [String]

    /// Stores the settings; `minimumFrequency` 0 and the default special tokens are HF's defaults
    /// for `BpeTrainer` plus the five tokens BERT and GPT-2 use.
    public init(vocabularySize: Int, minimumFrequency: Int = 0,
                specialTokens: [String] = BPETokenizer.defaultSpecialTokens) {
        precondition(vocabularySize >= 0 && minimumFrequency >= 0,
                     "BPETrainer: vocabularySize \(vocabularySize) and minimumFrequency \(minimumFrequency) must be ≥ 0")
        precondition(Set(specialTokens).count == specialTokens.count && !specialTokens.contains(""),
                     "BPETrainer: special tokens must be distinct and non-empty: \(specialTokens)")
        self.vocabularySize = vocabularySize
        self.minimumFrequency = minimumFrequency
        self.specialTokens = specialTokens
    }

    /// Trains on documents given as text (their UTF-8 bytes).
    public func train(_ documents: [String]) -> BPETokenizer { train(bytes: documents.map { Array($0.utf8) }) }

    /// Trains on documents given as byte strings; pre-tokens never span two documents.
    public func train(bytes documents: [[UInt8]]) -> BPETokenizer {
        // Vocabulary: special tokens, then the byte alphabet sorted by code point.
        var tokens = specialTokens
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { ids[token] = id }
        for scalar in ByteLevelAlphabet.characters.sorted(by: { $0.value < $1.value }) where ids[String(scalar)] == nil {
            ids[String(scalar)] = tokens.count
            tokens.append(String(scalar))
        }
        let byteIDs = ByteLevelAlphabet.characters.map { ids[String($0)]! }

        // Words and how often each occurs.
        let splitter = BPETokenizer(tokens: tokens, merges: [], specialTokens: specialTokens)
        var wordCounts: [[UInt8]: Int] = [:]
        for document in documents {
            for piece in splitter.piecesOutsideSpecialTokens(document) {
                for range in GPT2PreTokenizer.split(piece) { wordCounts[Array(piece[range]), default: 0] += 1 }
            }
        }
        // A fixed word order keeps every run identical (dictionary order is seeded per process).
        let sortedWords = wordCounts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var words = sortedWords.map { $0.key.map { byteIDs[Int($0)] } }
        let counts = sortedWords.map(\.value)

        // Pair counts and the words holding each pair.
        var pairCounts: [UInt64: Int] = [:]
        var positions: [UInt64: Set<Int>] = [:]
        for (w, word) in words.enumerated() where word.count > 1 {
            for k in 0..<(word.count - 1) {
                let key = BPETokenizer.pairKey(word[k], word[k + 1])
                pairCounts[key, default: 0] += counts[w]
                positions[key, default: []].insert(w)
            }
        }
        var queue = PairHeap()
        for (key, count) in pairCounts where count > 0 { queue.push(count: count, pair: key) }

        let specialSet = Set(specialTokens)
        var merges: [(left: Int, right: Int)] = []
        while tokens.count < vocabularySize, var top = queue.pop() {
            let current = pairCounts[top.pair] ?? 0
            if top.count != current {   // stale entry: counts only fall, so re-queue with the true count
                top.count = current
                queue.push(count: top.count, pair: top.pair)
                continue
            }
            if top.count < 1 || top.count < minimumFrequency { break }
            let left = Int(top.pair >> 32), right = Int(top.pair & 0xFFFF_FFFF)
            let joined = tokens[left] + tokens[right]
            // Reachable only when a special token's text is itself byte-level characters (e.g. "Ġx",
            // which spells the bytes " x"): the join's string would collide with it, so skip the pair.
            if specialSet.contains(joined) { continue }
            let newID: Int
            if let existing = ids[joined] { newID = existing } else {
                newID = tokens.count
                ids[joined] = newID
                tokens.append(joined)
            }
            merges.append((left, right))

            var touched = Set<UInt64>()
            for w in positions[top.pair] ?? [] {
                for (pair, change) in Self.merge(&words[w], left, right, into: newID) {
                    pairCounts[pair, default: 0] += change * counts[w]
                    if change > 0 {
                        positions[pair, default: []].insert(w)
                        touched.insert(pair)
                    }
                }
            }
            for pair in touched.sorted() {
                let count = pairCounts[pair] ?? 0
                if count > 0 { queue.push(count: count, pair: pair) }
            }
        }
        return BPETokenizer(tokens: tokens, merges: merges, specialTokens: specialTokens)
    }

    /// Joins every occurrence of `(left, right)` in `word`, left to right, and returns the changes
    /// to neighbouring pair counts (HF's `Word::merge`): the pairs the join breaks lose one, the
    /// pairs it forms with its neighbours gain one.
    static func merge(_ word: inout [Int], _ left: Int, _ right: Int, into replacement: Int) -> [(UInt64, Int)] {
        var changes: [(UInt64, Int)] = []
        var i = 0
        while i < word.count {
            if word[i] == left && i + 1 < word.count && word[i + 1] == right {
                if i > 0 {
                    changes.append((BPETokenizer.pairKey(word[i - 1], left), -1))
                    changes.append((BPETokenizer.pairKey(word[i - 1], replacement), 1))
                }
                word.replaceSubrange(i...(i + 1), with: [replacement])
                if i < word.count - 1 {
                    changes.append((BPETokenizer.pairKey(right, word[i + 1]), -1))
                    changes.append((BPETokenizer.pairKey(replacement, word[i + 1]), 1))
                }
            }
            i += 1
        }
        return changes
    }
}

/// A binary max-heap of (count, pair): the largest count first, then the smallest pair key
/// (left id, then right id) — HF's `Merge` ordering.
struct PairHeap {
    struct Entry { var count: Int; var pair: UInt64 }
    private var entries: [Entry] = []

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.count != b.count ? a.count > b.count : a.pair < b.pair
    }

    mutating func push(count: Int, pair: UInt64) {
        entries.append(Entry(count: count, pair: pair))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        var parent = 0
        while true {
            let l = 2 * parent + 1, r = l + 1
            var first = parent
            if l < entries.count && Self.before(entries[l], entries[first]) { first = l }
            if r < entries.count && Self.before(entries[r], entries[first]) { first = r }
            if first == parent { break }
            entries.swapAt(parent, first)
            parent = first
        }
        return top
    }
}
