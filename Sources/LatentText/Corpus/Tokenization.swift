/// How raw bytes of a corpus line become tokens.
public struct Tokenization: Sendable, Equatable, Codable {
    /// Where one token ends and the next begins.
    public enum Splitting: String, Sendable, Equatable, Codable, CaseIterable {
        /// Tokens are separated by ASCII whitespace (space, tab, CR, VT, FF); punctuation stays in them.
        case whitespace
        /// Tokens are maximal runs of ASCII letters, ASCII digits, `'` and non-ASCII (UTF-8) bytes;
        /// every other ASCII byte (punctuation, symbols, whitespace) separates tokens.
        case alphanumeric
    }

    /// Where tokens split.
    public var splitting: Splitting
    /// Whether tokens are lower-cased (ASCII by byte arithmetic, other scripts by Unicode's
    /// `lowercased()`).
    public var lowercase: Bool
    /// Lines longer than this many tokens are cut into pieces of at most this many tokens, each a
    /// sentence of its own (gensim's `LineSentence(max_sentence_length=10000)`).
    public var maxSentenceLength: Int

    /// Options; the default reads a corpus as gensim's `LineSentence` does (whitespace, no case
    /// change, sentences of at most 10 000 tokens).
    public init(splitting: Splitting = .whitespace, lowercase: Bool = false, maxSentenceLength: Int = 10_000) {
        precondition(maxSentenceLength >= 1, "Tokenization: maxSentenceLength must be at least 1, got \(maxSentenceLength)")
        self.splitting = splitting
        self.lowercase = lowercase
        self.maxSentenceLength = maxSentenceLength
    }

    /// Whether `byte` belongs inside a token under this splitting.
    @inlinable
    func isTokenByte(_ byte: UInt8) -> Bool {
        switch splitting {
        case .whitespace:
            return !(byte == 0x20 || (byte >= 0x09 && byte <= 0x0D))
        case .alphanumeric:
            if byte >= 0x80 { return true }
            let lower = byte | 0x20
            return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x27
        }
    }
}
