import ArgumentParser
import Foundation
import Latent

/// Reading a UTF-8 text corpus for the transformer commands: the whole file is checked before
/// use (valid UTF-8, not empty), errors name the file and the line and column of the first bad byte.
enum TextCorpusInput {
    /// The non-empty lines of `path` (at most `limit`), each without its line break.
    /// - Throws: `Failure` naming the file (and line:column) for an unreadable, empty or non-UTF-8 file.
    static func lines(_ path: String, limit: Int? = nil) throws -> [String] {
        var lines: [String] = []
        try forEachLine(path) { _, line in
            if !line.isEmpty { lines.append(line) }
            return limit.map { lines.count < $0 } ?? true
        }
        guard !lines.isEmpty else { throw Failure("\(MessageText.quoted(path, limit: 200)): no text (the file has no non-empty line)") }
        return lines
    }

    /// Every line of `path`, one sentence each (a final line break ends the last line, it does not
    /// start an empty one), checked whole before use.
    /// - Throws: `Failure` naming the file and line for an unreadable or non-UTF-8 file, an empty
    ///   (or blank) line, or a file without lines.
    static func sentences(_ path: String) throws -> [String] {
        let shown = MessageText.quoted(path, limit: 200)
        var lines: [String] = []
        try forEachLine(path) { number, line in
            if line.allSatisfy(\.isWhitespace) { throw Failure("\(shown):\(number): empty line (every line is one sentence)") }
            lines.append(line)
            return true
        }
        guard !lines.isEmpty else { throw Failure("\(shown): no text (the file has no line)") }
        return lines
    }

    /// Calls `body` with each line's number (from 1) and text (without `\n` or `\r\n`) until it
    /// returns false; a file ending in a line break has no empty last line.
    private static func forEachLine(_ path: String, _ body: (Int, String) throws -> Bool) throws {
        let shown = MessageText.quoted(path, limit: 200)
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure("\(shown): cannot read the file") }
        var pieces = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        for (index, raw) in pieces.enumerated() {
            var bytes = Array(raw)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard let line = String(validating: bytes, as: UTF8.self) else {
                var column = 1
                while String(validating: bytes.prefix(column), as: UTF8.self) != nil { column += 1 }
                throw Failure("\(shown):\(index + 1):\(column): not valid UTF-8")
            }
            if try !body(index + 1, line) { return }
        }
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
