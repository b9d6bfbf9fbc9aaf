/// A byte-level BPE tokenizer (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with
/// Subword Units"; byte-level as in GPT-2, Radford et al. 2019): text → ids and back.
///
/// Text is split around special tokens (each becomes its own id and is never split), each piece is
/// cut into pre-tokens by `GPT2PreTokenizer`, and each pre-token's bytes start as one symbol per
/// byte that the merges then join, lowest rank first, exactly as Hugging Face `tokenizers`' BPE model
/// with the `ByteLevel` pre-tokenizer. Every byte has an id, so any byte string encodes, and
/// `decode(encode(b)) == b` for all `b` (also malformed UTF-8).
///
/// Ids: the vocabulary's order; training puts special tokens first, then the 256 byte characters in
/// code-point order, then one id per merge (see `BPETrainer`).
public struct BPETokenizer: Sendable, Equatable {
    /// `tokens[id]`: the token's string: byte-level characters (see `ByteLevelAlphabet`) for normal
    /// tokens, the literal text for special tokens.
    public let tokens: [String]
    /// The merges in rank order: `(left, right)` token ids whose join is a token of the vocabulary.
    public let merges: [(left: Int, right: Int)]
    /// The special tokens' ids, in the order given.
    public let specialIDs: [Int]

    let tokenIDs: [String: Int]
    let tokenBytes: [[UInt8]]
    let byteIDs: [Int]
    /// `(left << 32 | right)` → (rank, id of the joined token).
    let mergeTable: [UInt64: (rank: Int, result: Int)]
    /// Special tokens as bytes with their ids, longest first (leftmost-longest matching).
    let specialPatterns: [(bytes: [UInt8], id: Int)]

    /// The default special tokens of `BPETrainer`: BERT's four and GPT-2's end of text.
    public static let defaultSpecialTokens = ["[PAD]", "[MASK]", "[CLS]", "[SEP]", "<|endoftext|>"]

    /// Builds a tokenizer from a vocabulary and merges; the caller has checked them (`BPEFiles`
    /// does for files, `BPETrainer` by construction): every byte character and every merge's join
    /// is a token, ids are `0..<tokens.count`, each special token is in `tokens`.
    init(tokens: [String], merges: [(left: Int, right: Int)], specialTokens: [String]) {
        self.tokens = tokens
        self.merges = merges
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { ids[token] = id }
        tokenIDs = ids
        specialIDs = specialTokens.map { ids[$0]! }
        let specials = Set(specialIDs)
        tokenBytes = tokens.enumerated().map { id, token in
            specials.contains(id) ? Array(token.utf8) : ByteLevelAlphabet.decode(token)!
        }
        byteIDs = ByteLevelAlphabet.characters.map { ids[String($0)]! }
        var table: [UInt64: (rank: Int, result: Int)] = [:]
        for (rank, merge) in merges.enumerated() {
            let key = Self.pairKey(merge.left, merge.right)
            if table[key] == nil {
                table[key] = (rank, ids[tokens[merge.left] + tokens[merge.right]]!)
            }
        }
        mergeTable = table
        specialPatterns = zip(specialTokens, specialIDs).map { (Array($0.utf8), $1) }
            .sorted { $0.bytes.count > $1.bytes.count }
    }

    /// Same tokens, merges and special tokens (the derived tables follow from these).
    public static func == (a: BPETokenizer, b: BPETokenizer) -> Bool {
        a.tokens == b.tokens && a.specialIDs == b.specialIDs
            && a.merges.elementsEqual(b.merges) { $0.left == $1.left && $0.right == $1.right }
    }

    /// The number of tokens (the largest id + 1).
    public var vocabularySize: Int { tokens.count }

    /// The id of a token string (byte-level for normal tokens), or nil.
    public func id(of token: String) -> Int? { tokenIDs[token] }

    // MARK: - Encoding

    /// The ids of `text`'s UTF-8 bytes; see `encode(bytes:)`.
    public func encode(_ text: String) -> [Int] { encode(bytes: Array(text.utf8)) }

    /// The ids of any byte string. Special-token texts in `bytes` become their ids (leftmost,
    /// longest first); the rest is pre-tokenized and merged.
    ///
    /// Cost: O(n) to split, then for each distinct pre-token of length L, O(L²) merge steps with a
    /// hash lookup each; repeated pre-tokens within one call hit a cache (a dictionary per call), so
    /// ordinary text costs about one hash lookup per pre-token plus the split.
    public func encode(bytes: [UInt8]) -> [Int] {
        var cache: [ArraySlice<UInt8>: [Int]] = [:]
        var ids: [Int] = []
        ids.reserveCapacity(bytes.count / 3)
        for segment in segments(bytes) {
            guard case let .text(range) = segment else {
                if case let .special(id) = segment { ids.append(id) }
                continue
            }
            let piece = Array(bytes[range])
            for word in GPT2PreTokenizer.split(piece).lazy.map({ piece[$0] }) {
                if let cached = cache[word] {
                    ids.append(contentsOf: cached)
                } else {
                    let merged = mergeWord(word)
                    cache[word] = merged
                    ids.append(contentsOf: merged)
                }
            }
        }
        return ids
    }

    enum Segment { case text(Range<Int>), special(Int) }

    /// `bytes` cut into special tokens and the text between them, in order.
    func segments(_ bytes: [UInt8]) -> [Segment] {
        var segments: [Segment] = []
        var start = 0, i = 0
        while i < bytes.count {
            guard let special = specialMatch(bytes, at: i) else { i += 1; continue }
            if start < i { segments.append(.text(start..<i)) }
            segments.append(.special(special.id))
            i += special.length
            start = i
        }
        if start < bytes.count { segments.append(.text(start..<bytes.count)) }
        return segments
    }

    /// The pieces of `bytes` between special tokens (what training counts).
    func piecesOutsideSpecialTokens(_ bytes: [UInt8]) -> [[UInt8]] {
        segments(bytes).compactMap { segment in
            if case let .text(range) = segment { return Array(bytes[range]) }
            return nil
        }
    }

    /// The longest special token starting at `i`, if any.
    private func specialMatch(_ bytes: [UInt8], at i: Int) -> (id: Int, length: Int)? {
        for pattern in specialPatterns where !pattern.bytes.isEmpty && i + pattern.bytes.count <= bytes.count {
            if bytes[i..<(i + pattern.bytes.count)].elementsEqual(pattern.bytes) {
                return (pattern.id, pattern.bytes.count)
            }
        }
        return nil
    }

    /// BPE on one pre-token: repeatedly join every occurrence (left to right, not overlapping) of
    /// the adjacent pair with the lowest merge rank, until no adjacent pair is a merge.
    func mergeWord(_ word: ArraySlice<UInt8>) -> [Int] {
        var symbols = word.map { byteIDs[Int($0)] }
        while symbols.count > 1 {
            var best: (rank: Int, left: Int, right: Int, result: Int)?
            for k in 0..<(symbols.count - 1) {
                if let merge = mergeTable[Self.pairKey(symbols[k], symbols[k + 1])],
                   best == nil || merge.rank < best!.rank {
                    best = (merge.rank, symbols[k], symbols[k + 1], merge.result)
                }
            }
            guard let chosen = best else { break }
            var joined: [Int] = []
            joined.reserveCapacity(symbols.count)
            var k = 0
            while k < symbols.count {
                if k + 1 < symbols.count && symbols[k] == chosen.left && symbols[k + 1] == chosen.right {
                    joined.append(chosen.result)
                    k += 2
                } else {
                    joined.append(symbols[k])
                    k += 1
                }
            }
            symbols = joined
        }
        return symbols
    }

    // MARK: - Decoding

    /// The bytes of `ids` joined: special tokens give their literal text. Precondition: every id is
    /// in `0..<vocabularySize`. Cost: O(number of output bytes).
    public func decodeBytes(_ ids: [Int]) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids {
            precondition(id >= 0 && id < tokens.count, "BPETokenizer.decode: id \(id) outside 0..<\(tokens.count)")
            bytes.append(contentsOf: tokenBytes[id])
        }
        return bytes
    }

    /// `decodeBytes(ids)` as text; each maximal malformed UTF-8 subsequence becomes U+FFFD. Use
    /// `decodeBytes` for an exact round trip.
    public func decode(_ ids: [Int]) -> String { String(decoding: decodeBytes(ids), as: UTF8.self) }

    static func pairKey(_ left: Int, _ right: Int) -> UInt64 { UInt64(left) << 32 | UInt64(right) }
}
