import Foundation
import LatentIO

/// A tokenised corpus held in memory as word ids: sentence after sentence, words below the
/// minimum count left out, with the vocabulary that the ids index.
///
/// Each non-empty line of the source is one sentence (lines longer than
/// `Tokenization.maxSentenceLength` tokens are cut into several); lines with no tokens are skipped.
/// Memory: 4 bytes per kept token plus the vocabulary.
public struct Corpus: Sendable {
    /// The retained words, most frequent first (ties in order of first appearance).
    public let vocabulary: Vocabulary
    /// Word ids of the retained tokens, all sentences back to back.
    public let tokens: [Int32]
    /// Sentence `i` is `tokens[sentenceStarts[i]..<sentenceStarts[i + 1]]`; `sentenceCount + 1` entries.
    public let sentenceStarts: [Int]
    /// Every token read, including those of words below the minimum count.
    public let rawTokenCount: Int
    /// How many distinct words the source held before the minimum count was applied.
    public let rawVocabularySize: Int

    /// The number of sentences that kept at least one token.
    public var sentenceCount: Int { sentenceStarts.count - 1 }

    /// The word ids of sentence `i`.
    public func sentence(_ i: Int) -> ArraySlice<Int32> { tokens[sentenceStarts[i]..<sentenceStarts[i + 1]] }

    /// Reads a UTF-8 text file, one sentence per line.
    /// - Throws: `IOError.cannotRead` when the file cannot be read, `IOError.malformed` (line and
    ///   byte column) at the first token that is not valid UTF-8.
    /// - Complexity: one pass over the bytes, O(bytes) expected, plus sorting the vocabulary.
    public static func read(contentsOf url: URL, tokenization: Tokenization = Tokenization(), minCount: Int = 5) throws -> Corpus {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw IOError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        return try data.withUnsafeBytes { raw in
            try Corpus(bytes: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count),
                       path: url.path, tokenization: tokenization, minCount: minCount)
        }
    }

    /// Tokenises `text` (lines separated by `\n`); for tests and small inputs.
    public init(text: String, tokenization: Tokenization = Tokenization(), minCount: Int = 1) throws {
        var copy = text
        self = try copy.withUTF8 { try Corpus(bytes: $0, path: "<text>", tokenization: tokenization, minCount: minCount) }
    }

    /// Tokenises UTF-8 `bytes`; `path` only names the source in errors.
    public init(bytes: UnsafeBufferPointer<UInt8>, path: String, tokenization: Tokenization, minCount: Int) throws {
        precondition(minCount >= 1, "Corpus: minCount must be at least 1, got \(minCount)")
        var table = TokenTable()
        var provisional: [Int32] = []
        var starts: [Int] = [0]
        var scratch: [UInt8] = []
        var line = 1, lineStart = 0
        var i = 0
        let n = bytes.count
        let maxLength = tokenization.maxSentenceLength
        var inSentence = 0
        func endSentence() {
            if inSentence > 0 { starts.append(provisional.count); inSentence = 0 }
        }
        if let base = bytes.baseAddress {
            while i < n {
                let b = base[i]
                if b == 0x0A {
                    endSentence()
                    line += 1; lineStart = i + 1; i += 1
                    continue
                }
                guard tokenization.isTokenByte(b) else { i += 1; continue }
                var j = i + 1, ascii = b < 0x80
                while j < n, base[j] != 0x0A, tokenization.isTokenByte(base[j]) {
                    if base[j] >= 0x80 { ascii = false }
                    j += 1
                }
                let token = UnsafeBufferPointer(start: base + i, count: j - i)
                let id: Int32
                if ascii && !tokenization.lowercase {
                    id = table.add(token)
                } else {
                    if !ascii {
                        guard let valid = String(validating: token, as: UTF8.self) else {
                            throw IOError.malformed(path: path, line: line, column: firstInvalidByte(token) + i - lineStart + 1,
                                                    reason: "invalid UTF-8")
                        }
                        scratch = Array((tokenization.lowercase ? valid.lowercased() : valid).utf8)
                    } else {
                        scratch = token.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                    }
                    id = scratch.withUnsafeBufferPointer { table.add($0) }
                }
                provisional.append(id)
                inSentence += 1
                if inSentence == maxLength { endSentence() }
                i = j
            }
        }
        endSentence()

        // Keep words with count ≥ minCount, most frequent first, ties by first appearance.
        let counts = table.counts
        let kept = (0..<counts.count).filter { counts[$0] >= minCount }.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var newID = [Int32](repeating: -1, count: counts.count)
        for (rank, old) in kept.enumerated() { newID[old] = Int32(rank) }
        vocabulary = Vocabulary(words: kept.map { String(decoding: table.key($0), as: UTF8.self) }, counts: kept.map { counts[$0] })

        var tokens: [Int32] = []
        tokens.reserveCapacity(provisional.count)
        var sentenceStarts: [Int] = [0]
        for s in 0..<(starts.count - 1) {
            for k in starts[s]..<starts[s + 1] {
                let id = newID[Int(provisional[k])]
                if id >= 0 { tokens.append(id) }
            }
            if tokens.count > sentenceStarts.last! { sentenceStarts.append(tokens.count) }
        }
        self.tokens = tokens
        self.sentenceStarts = sentenceStarts
        rawTokenCount = provisional.count
        rawVocabularySize = counts.count
    }
}

/// The offset of the first byte in `bytes` where UTF-8 decoding fails.
private func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var offset = 0
    while offset < bytes.count {
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        if length == 0 || offset + length > bytes.count { return offset }
        if String(validating: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self) == nil { return offset }
        offset += length
    }
    return max(0, bytes.count - 1)
}
