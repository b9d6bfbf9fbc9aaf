import ArgumentParser
import Foundation
import Latent

/// `latent word2vec evaluate VECTORS --pairs … --analogies …`: the standard word-vector benchmarks.
struct Word2VecEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Spearman ρ on word-pair files (WordSim-353, SimLex-999) and accuracy on analogy questions, per section.",
        discussion: """
        As gensim's evaluate_word_pairs / evaluate_word_analogies: words match case-insensitively
        among the --restrict most frequent; pairs and questions with other words are skipped and
        their share is reported.
        """)

    @OptionGroup var file: VectorFileOptions

    @Option(help: "A word-pair file: word1<TAB>word2<TAB>score lines, # comments (repeatable).")
    var pairs: [String] = []

    @Option(help: "An analogy file: ': section' lines and 'a b c d' questions (repeatable).")
    var analogies: [String] = []

    @Option(help: "Analogy method: 3cosadd or 3cosmul.")
    var method: AnalogyMethod = .add

    @Option(parsing: .unconditional, help: "Only the N most frequent words count (≥ 1).")
    var restrict = 300_000

    @Flag(help: "Match words with their case.")
    var caseSensitive = false

    func validate() throws {
        if pairs.isEmpty && analogies.isEmpty { throw ValidationError("give --pairs FILE and/or --analogies FILE") }
        if restrict < 1 { throw ValidationError("--restrict must be at least 1, got \(restrict)") }
    }

    func run() throws {
        try Failures.guarded {
            let vectors = try file.load()
            for path in pairs {
                let e = try WordPairEvaluation(vectors: vectors, pairsFile: URL(fileURLWithPath: path), restrictTo: restrict,
                                               caseInsensitive: !caseSensitive)
                print("\(path): Spearman ρ \(formatted(e.spearman)), Pearson r \(formatted(e.pearson)), "
                      + "\(e.pairs - e.outOfVocabulary) of \(e.pairs) pairs, out of vocabulary \(formatted(e.outOfVocabularyRatio * 100, 1))%")
            }
            for path in analogies {
                let e = try AnalogyEvaluation(vectors: vectors, questionsFile: URL(fileURLWithPath: path), method: method,
                                              restrictTo: restrict, caseInsensitive: !caseSensitive)
                print("\(path) (\(method.rawValue)):")
                for s in e.sections + [e.total] {
                    print("  \(s.name.padding(toLength: 28, withPad: " ", startingAt: 0)) accuracy \(formatted(s.accuracy))  "
                          + "\(s.correct)/\(s.attempted) attempted, \(s.skipped) skipped")
                }
            }
        }
    }
}

/// `latent word2vec plot VECTORS -o words.svg`: t-SNE of the most frequent words, labelled.
struct Word2VecPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "A t-SNE picture (SVG) of the most frequent words' vectors, each point labelled with its word.")

    @OptionGroup var file: VectorFileOptions

    @Option(name: .shortAndLong, help: "Output SVG file.")
    var output: String

    @Option(parsing: .unconditional, help: "How many of the most frequent words (2…10000).")
    var words = 500

    @Option(parsing: .unconditional, help: "t-SNE perplexity (> 0, below the number of words).")
    var perplexity = 30.0

    @Option(parsing: .unconditional, help: "Seed for t-SNE.")
    var seed: UInt64 = 0

    func validate() throws {
        if !(2...10_000).contains(words) { throw ValidationError("--words must be in 2…10000, got \(words)") }
        if !(perplexity > 0 && perplexity < Double(words)) { throw ValidationError("--perplexity must be in (0, \(words)), got \(perplexity)") }
        try OutputSafety.validate(inputs: [.file("vectors", file.vectors)], outputs: [.file("--output", output)])
    }

    func run() throws {
        try Failures.guarded {
            let vectors = try file.load()
            let n = min(words, vectors.count)
            guard n >= 2, perplexity < Double(n) else { throw Failure("\(file.vectors): \(vectors.count) words, too few for a t-SNE with perplexity \(perplexity)") }
            let d = vectors.dimension
            let rows = Matrix<Double>(rows: n, columns: d, storage: vectors.unitVectors.storage[0..<(n * d)].map(Double.init))
            let model = try TSNE<Double>(components: 2, perplexity: perplexity, seed: seed).fit(rows)
            try ScatterPlot(title: "t-SNE of the \(n) most frequent words (\(URL(fileURLWithPath: file.vectors).lastPathComponent))",
                            xLabel: "t-SNE 1", yLabel: "t-SNE 2", width: 1400, height: 1100, pointRadius: 1.5)
                .write(model.embedding, pointNames: Array(vectors.words[0..<n]), to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }
}
