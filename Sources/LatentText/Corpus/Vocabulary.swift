/// The words of a corpus with their counts, most frequent first; a word's position is its id.
public struct Vocabulary: Sendable, Codable, Equatable {
    /// The words, by id. Ids run from the most frequent word (0) down.
    public let words: [String]
    /// `counts[id]`: how often the word occurs in the corpus it was counted on.
    public let counts: [Int]
    private let ids: [String: Int]

    /// A vocabulary of `words` with `counts`, kept in the given order (ids are positions).
    /// `words` must be distinct and `counts` non-negative, one per word.
    public init(words: [String], counts: [Int]) {
        precondition(words.count == counts.count, "Vocabulary: \(words.count) words but \(counts.count) counts")
        var ids = [String: Int](minimumCapacity: words.count)
        for (i, w) in words.enumerated() {
            precondition(ids.updateValue(i, forKey: w) == nil, "Vocabulary: the word '\(w)' occurs twice")
            precondition(counts[i] >= 0, "Vocabulary: negative count \(counts[i]) for '\(w)'")
        }
        self.words = words
        self.counts = counts
        self.ids = ids
    }

    private enum CodingKeys: String, CodingKey { case words, counts }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(words: try c.decode([String].self, forKey: .words), counts: try c.decode([Int].self, forKey: .counts))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(words, forKey: .words)
        try c.encode(counts, forKey: .counts)
    }

    /// The number of words.
    public var count: Int { words.count }

    /// The sum of all counts (the number of corpus tokens the vocabulary covers).
    public var totalCount: Int { counts.reduce(0, +) }

    /// The id of `word`, or nil when it is not in the vocabulary. O(1) expected.
    public func id(of word: String) -> Int? { ids[word] }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.words == b.words && a.counts == b.counts }
}
