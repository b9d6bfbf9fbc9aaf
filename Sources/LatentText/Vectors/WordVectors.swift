import LatentCore

/// Words with one vector each (gensim's `KeyedVectors`): the output of word2vec, loaded from or
/// saved to the word2vec text and binary formats, and queried by cosine similarity.
///
/// Row `i` of `vectors` belongs to `words[i]`; words are expected most frequent first (as word2vec
/// writes them), which is what `restrictTo` in the queries relies on.
public struct WordVectors: Sendable {
    /// The words, by row.
    public let words: [String]
    /// `words.count × dimension` vectors, one row per word.
    public let vectors: Matrix<Float>
    /// The rows scaled to unit length (zero rows stay zero).
    public let unitVectors: Matrix<Float>
    private let ids: [String: Int]

    /// Vectors for `words`, one row each; words must be distinct.
    public init(words: [String], vectors: Matrix<Float>) {
        precondition(words.count == vectors.rows, "WordVectors: \(words.count) words for \(vectors.rows) rows")
        var ids = [String: Int](minimumCapacity: words.count)
        for (i, w) in words.enumerated() where ids[w] == nil { ids[w] = i }
        precondition(ids.count == words.count, "WordVectors: words must be distinct")
        self.words = words
        self.vectors = vectors
        self.ids = ids
        var unit = vectors
        let d = vectors.columns
        unit.storage.withUnsafeMutableBufferPointer { p in
            for r in 0..<vectors.rows {
                var norm: Float = 0
                for k in 0..<d { norm += p[r * d + k] * p[r * d + k] }
                norm = norm.squareRoot()
                if norm > 0 { for k in 0..<d { p[r * d + k] /= norm } }
            }
        }
        unitVectors = unit
    }

    /// The number of words.
    public var count: Int { words.count }
    /// The length of each vector.
    public var dimension: Int { vectors.columns }

    /// The row of `word`, or nil when it has no vector.
    public func id(of word: String) -> Int? { ids[word] }

    /// The vector of `word`, or nil.
    public func vector(of word: String) -> [Float]? {
        ids[word].map { Array(vectors.storage[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    /// Cosine similarity of two words' vectors, or nil when either has none.
    public func similarity(_ a: String, _ b: String) -> Double? {
        guard let i = ids[a], let j = ids[b] else { return nil }
        var dot: Float = 0
        for k in 0..<dimension { dot += unitVectors.storage[i * dimension + k] * unitVectors.storage[j * dimension + k] }
        return Double(dot)
    }
}

/// A word and its score in a similarity query.
public struct ScoredWord: Sendable, Equatable {
    public let word: String
    public let score: Double
    public init(word: String, score: Double) { self.word = word; self.score = score }
}
