import ArgumentParser
import Foundation
import Latent

/// `latent tokenize train|encode|decode`: the byte-level BPE tokenizer on the command line.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Train a byte-level BPE tokenizer (GPT-2 vocab.json + merges.txt), encode text to ids, decode ids to text.",
        subcommands: [TokenizeTrainCommand.self, TokenizeEncodeCommand.self, TokenizeDecodeCommand.self])
}

/// The `--vocab`/`--merges` pair of an existing tokenizer.
struct TokenizerFiles: ParsableArguments {
    @Option(help: "GPT-2 vocab.json.")
    var vocab: String
    @Option(help: "GPT-2 merges.txt.")
    var merges: String

    func read() throws -> BPETokenizer {
        try BPETokenizer.read(vocabulary: URL(fileURLWithPath: vocab), merges: URL(fileURLWithPath: merges))
    }
}

struct TokenizeTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Learn BPE merges on a UTF-8 text file; writes vocab.json and merges.txt (Hugging Face `tokenizers` reads them).")

    @Argument(help: "Corpus: UTF-8 text, one document per line.")
    var corpus: String
    @Option(help: "Output vocab.json.")
    var vocab: String
    @Option(help: "Output merges.txt.")
    var merges: String
    @Option(parsing: .unconditional, help: "Vocabulary size (261…1000000: 5 special tokens, 256 bytes, then merges).")
    var vocabSize = 4096
    @Option(parsing: .unconditional, help: "Pairs seen fewer times are not merged (≥ 0).")
    var minFrequency = 0
    @Option(parsing: .unconditional, help: "Use only the first N non-empty lines.")
    var lines: Int?

    func validate() throws {
        try OptionRange.check("--vocab-size", vocabSize, 261...1_000_000)
        try OptionRange.check("--min-frequency", minFrequency, OptionRange.countOrZero)
        try OptionRange.check("--lines", lines, OptionRange.count)
        try OutputSafety.validate(inputs: [.file("corpus", corpus)], outputs: [.file("--vocab", vocab), .file("--merges", merges)])
    }

    func run() throws {
        try Failures.guarded {
            let text = try TextCorpusInput.lines(corpus, limit: lines)
            let progress = Progress(quiet: false)   // kept alive while its timer runs
            let (tokenizer, seconds) = progress.timed("training BPE on \(text.count) lines") {
                BPETrainer(vocabularySize: vocabSize, minimumFrequency: minFrequency).train(text)
            }
            try tokenizer.write(vocabulary: URL(fileURLWithPath: vocab), merges: URL(fileURLWithPath: merges))
            print("BPE: \(tokenizer.vocabularySize) tokens (\(tokenizer.merges.count) merges) from \(text.count) lines in \(formatted(seconds, 2)) s")
            print("wrote \(vocab) and \(merges)")
        }
    }
}

struct TokenizeEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Print the token ids of each line of a text file (or of --text), space-separated, one line per input line.")

    @OptionGroup var files: TokenizerFiles
    @Argument(help: "UTF-8 text file to encode (or use --text).")
    var textFile: String?
    @Option(help: "Text to encode instead of a file.")
    var text: String?

    func validate() throws {
        if (textFile == nil) == (text == nil) { throw ValidationError("give either a text file or --text") }
    }

    func run() throws {
        try Failures.guarded {
            let tokenizer = try files.read()
            let lines = try text.map { [$0] } ?? TextCorpusInput.lines(textFile!)
            for line in lines { print(tokenizer.encode(line).map(String.init).joined(separator: " ")) }
        }
    }
}

struct TokenizeDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print the text of each line of token ids (space-separated) in a file (or of --ids).")

    @OptionGroup var files: TokenizerFiles
    @Argument(help: "File of token ids, space-separated, one sequence per line (or use --ids).")
    var idFile: String?
    @Option(help: "Token ids to decode instead of a file, space-separated.")
    var ids: String?

    func validate() throws {
        if (idFile == nil) == (ids == nil) { throw ValidationError("give either a file of ids or --ids") }
    }

    func run() throws {
        try Failures.guarded {
            let tokenizer = try files.read()
            let name = idFile.map { MessageText.quoted($0, limit: 200) } ?? "--ids"
            let lines = try ids.map { [$0] } ?? TextCorpusInput.lines(idFile!)
            // the whole input is checked before anything is printed
            let sequences = try lines.enumerated().map { n, line in
                try line.split(separator: " ", omittingEmptySubsequences: true).enumerated().map { k, field -> Int in
                    guard let id = Int(field), id >= 0, id < tokenizer.vocabularySize else {
                        throw Failure("\(name):\(n + 1): token \(k + 1) \(MessageText.quoted(String(field), limit: 40)) is not an id in 0..<\(tokenizer.vocabularySize)")
                    }
                    return id
                }
            }
            for s in sequences { print(tokenizer.decode(s)) }
        }
    }
}
