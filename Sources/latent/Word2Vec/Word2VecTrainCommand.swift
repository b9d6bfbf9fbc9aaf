import ArgumentParser
import Foundation
import Synchronization
import Latent

/// The `word2vec` method's defaults (`MethodDescriptor.word2vec`): the flags below take theirs
/// from here, so the command and the batch method agree.
private let defaults = MethodDescriptor.word2vec.defaults

/// `latent word2vec train CORPUS -o vectors.bin`: trains word2vec on a text file.
struct Word2VecTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train word vectors on a UTF-8 text file (one sentence per line).",
        discussion: """
        Defaults follow gensim's Word2Vec (except --architecture: skip-gram here). With --threads 1
        the vectors are the same bit for bit for the same --seed; with more threads the workers
        update the shared weights without locks (Hogwild), as word2vec.c and gensim do.
        Progress (words/s, time left) goes to stderr; a summary to stdout.
        """)

    @Argument(help: "Corpus: UTF-8 text, one sentence (or document) per line.")
    var corpus: String

    @Option(name: .shortAndLong, help: "Output vector file (.bin: binary word2vec format, else text).")
    var output: String

    @Option(help: "Format of the output: text or binary. (default: from the extension)")
    var format: WordVectorFormat?

    @Option(help: "skipgram or cbow.")
    var architecture = Word2Vec.Architecture(rawValue: defaults.string("architecture"))!

    @Option(parsing: .unconditional, help: "Vector length (1…100000).")
    var dimension = defaults.int("dimension")

    @Option(parsing: .unconditional, help: "Largest context distance (1…10000); each position draws its window from 1…window.")
    var window = defaults.int("window")

    @Option(parsing: .unconditional, help: "Negative samples per prediction (0…1000; 0 needs --hierarchical-softmax).")
    var negative = defaults.int("negative")

    @Flag(help: "Also (or with --negative 0, only) train by hierarchical softmax.")
    var hierarchicalSoftmax = false

    @Flag(help: "CBOW: sum the context vectors instead of averaging them.")
    var cbowSum = false

    @Option(parsing: .unconditional, help: "Subsampling threshold (gensim's sample; 0 = off, ≥ 0).")
    var sample = defaults.double("sample")

    @Option(parsing: .unconditional, help: "Initial learning rate (> 0).")
    var alpha = defaults.double("alpha")

    @Option(parsing: .unconditional, help: "Final learning rate (0…alpha), reached linearly at the end of the last epoch.")
    var minAlpha = defaults.double("min-alpha")

    @Option(parsing: .unconditional, help: "Passes over the corpus (1…10000).")
    var epochs = defaults.int("epochs")

    @Option(parsing: .unconditional, help: "Words occurring fewer times are dropped (≥ 1).")
    var minCount = defaults.int("min-count")

    @Option(help: "Tokenisation: whitespace (gensim's LineSentence) or alphanumeric (letters, digits, ').")
    var tokens: Tokenization.Splitting = .whitespace

    @Flag(help: "Lower-case the corpus.")
    var lowercase = false

    @Option(parsing: .unconditional, help: "Seed for the initial vectors and every random draw.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Worker threads (1…1024). (default: all cores)")
    var threads: Int?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if let problem = configuration(threads: 1).invalidSetting { throw ValidationError(problem) }
        if epochs > 10_000 { throw ValidationError("--epochs must be in 1…10000, got \(epochs)") }
        if minCount < 1 { throw ValidationError("--min-count must be at least 1, got \(minCount)") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1…1024, got \(threads)") }
        try OutputSafety.validate(inputs: [.file("corpus", corpus)], outputs: [.file("--output", output)])
    }

    func configuration(threads: Int) -> Word2Vec {
        Word2Vec(architecture: architecture, dimension: dimension, window: window, negative: negative,
                 hierarchicalSoftmax: hierarchicalSoftmax, cbowMean: !cbowSum, sample: sample, alpha: alpha,
                 minAlpha: minAlpha, epochs: epochs, threads: threads, seed: seed)
    }

    func run() throws {
        try Failures.guarded {
            let progress = Progress(quiet: quiet)
            let url = URL(fileURLWithPath: corpus)
            let (text, _) = try progress.timed("reading \(url.lastPathComponent)") {
                try Corpus.read(contentsOf: url, tokenization: Tokenization(splitting: tokens, lowercase: lowercase), minCount: minCount)
            }
            guard text.vocabulary.count > 0 else {
                throw Failure("\(corpus): " + Word2VecError.emptyVocabulary(rawTokens: text.rawTokenCount, distinctWords: text.rawVocabularySize).description
                              + " (--min-count \(minCount))")
            }
            progress.stage("\(text.rawTokenCount) tokens, \(text.rawVocabularySize) distinct words, \(text.vocabulary.count) with count ≥ \(minCount), \(text.sentenceCount) sentences")
            let workers = threads ?? Parallel.threadCount
            let reporter = progress.steps("training \(architecture.rawValue)", total: 1000)
            let lock = Mutex(())   // training threads report concurrently; one update at a time
            let model = try configuration(threads: workers).train(text) { p in
                lock.withLock { _ in reporter.update(done: Int(p.fraction * 1000),
                                detail: String(format: "%.0f words/s, α %.5f", p.wordsPerSecond, p.alpha)) }
            }
            reporter.finish(detail: String(format: "%.0f effective words/s", model.report.wordsPerSecond))
            let out = URL(fileURLWithPath: output)
            try model.vectors.write(to: out, format: format ?? VectorFileOptions.format(of: out))
            print("word2vec \(architecture.rawValue): \(model.vectors.count) words × \(dimension), \(epochs) epochs, \(workers) threads")
            print("effective words: \(model.report.effectiveWords) of \(model.report.rawWords) (after subsampling)")
            print(String(format: "training: %.2f s, %.0f effective words/s", model.report.seconds, model.report.wordsPerSecond))
            print("wrote \(output)")
        }
    }
}
