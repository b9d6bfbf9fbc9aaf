/// What a method learns from: rows of features (every classic learner and image model) or a
/// text corpus (word2vec). Batch files pair each method only with datasets of its input kind,
/// checked when the file is read.
public enum MethodInput: String, Sendable, Hashable, CaseIterable {
    /// n samples × d features (`MethodDescriptor.fit`).
    case rows
    /// A UTF-8 text file, one sentence per line (`MethodDescriptor.fitCorpus`).
    case corpus
}

/// A text corpus as a corpus method reads it: a UTF-8 file, one sentence per line, and how lines
/// become words. The method reads the file itself (word2vec applies its `min-count` while reading).
public struct CorpusSource: Hashable, Sendable {
    /// The file's path.
    public let path: String
    /// Whether words are lower-cased while reading.
    public let lowercase: Bool
    /// How lines split into words: `whitespace` (gensim's `LineSentence`) or `alphanumeric`
    /// (runs of letters, digits and apostrophes), LatentText's `Tokenization.Splitting`.
    public let tokens: String

    /// A corpus file with its reading options.
    public init(path: String, lowercase: Bool = false, tokens: String = "whitespace") {
        self.path = path
        self.lowercase = lowercase
        self.tokens = tokens
    }
}
