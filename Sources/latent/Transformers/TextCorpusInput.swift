import ArgumentParser
import Foundation
import Latent

/// Reading a UTF-8 text corpus for the transformer commands: the whole file is checked before
/// use (valid UTF-8, not empty), errors name the file and the line and column of the first bad byte.
enum TextCorpusInput {
    /// The non-empty lines of `path` (at most `limit`), each without its line break.
    /// - Throws: `Failure` naming the file (and line:column) for an unreadable, empty or non-UTF-8 file.
    static func lines(_ path: String, limit: Int? = nil) throws -> [String] {
        let shown = MessageText.quoted(path, limit: 200)
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure("\(shown): cannot read the file") }
        var lines: [String] = []
        var lineNumber = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Array(raw)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard let line = String(validating: bytes, as: UTF8.self) else {
                var column = 1
                while String(validating: bytes.prefix(column), as: UTF8.self) != nil { column += 1 }
                throw Failure("\(shown):\(lineNumber):\(column): not valid UTF-8")
            }
            if !line.isEmpty { lines.append(line) }
            if let limit, lines.count >= limit { break }
        }
        guard !lines.isEmpty else { throw Failure("\(shown): no text (the file has no non-empty line)") }
        return lines
    }
}

/// Where a command's BPE tokenizer comes from: a `vocab.json` + `merges.txt` pair, or trained on
/// the corpus itself.
struct TokenizerOptions: ParsableArguments {
    @Option(help: "GPT-2 vocab.json of a trained tokenizer (with --merges); without it, one is trained on the corpus.")
    var vocab: String?
    @Option(help: "GPT-2 merges.txt of the tokenizer (with --vocab).")
    var merges: String?
    @Option(parsing: .unconditional, help: "Vocabulary size of a tokenizer trained on the corpus (261…1000000: 256 bytes, 5 special tokens, merges).")
    var vocabSize: Int = 4096
    @Option(parsing: .unconditional, help: "Corpus lines the tokenizer is trained on (the first N).")
    var tokenizerLines: Int = 20_000

    func validate() throws {
        if (vocab == nil) != (merges == nil) { throw ValidationError("--vocab and --merges go together") }
        try OptionRange.check("--vocab-size", vocabSize, 261...1_000_000)
        try OptionRange.check("--tokenizer-lines", tokenizerLines, OptionRange.count)
    }

    var inputs: [OutputSafety.Named?] { [.file("--vocab", vocab), .file("--merges", merges)] }

    /// The tokenizer read from the files (validated whole) or trained on `lines`.
    func tokenizer(lines: [String], progress: Progress) throws -> BPETokenizer {
        if let vocab, let merges {
            return try BPETokenizer.read(vocabulary: URL(fileURLWithPath: vocab), merges: URL(fileURLWithPath: merges))
        }
        let (tokenizer, _) = progress.timed("training a byte-level BPE tokenizer (\(vocabSize) tokens) on \(Swift.min(lines.count, tokenizerLines)) lines") {
            BPETrainer(vocabularySize: vocabSize).train(Array(lines.prefix(tokenizerLines)))
        }
        return tokenizer
    }
}
