import ArgumentParser
import Foundation
import Latent

/// `latent word2vec …`: train word vectors on a text corpus and use them.
struct Word2VecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word2vec",
        abstract: "Word vectors (skip-gram, CBOW) from a text corpus; similar words, analogies, evaluations, a t-SNE picture.",
        discussion: """
        Examples:
          latent word2vec train corpus.txt -o vectors.bin --epochs 5 --threads 2
          latent word2vec similar vectors.bin king queen
          latent word2vec analogy vectors.bin man king woman
          latent word2vec evaluate vectors.bin --pairs wordsim353.tsv --analogies questions-words.txt
          latent word2vec plot vectors.bin -o words.svg

        Vector files use word2vec's formats (gensim's load_word2vec_format): binary when the name
        ends in .bin, text otherwise, or as --format says.
        """,
        subcommands: [Word2VecTrainCommand.self, Word2VecSimilarCommand.self, Word2VecAnalogyCommand.self,
                      Word2VecEvaluateCommand.self, Word2VecPlotCommand.self])
}

/// Where word vectors are read from: the file and its format.
struct VectorFileOptions: ParsableArguments {
    @Argument(help: "Word vectors in word2vec format (.bin: binary, else text).")
    var vectors: String

    @Option(help: "Format of the vector file: text or binary. (default: from the extension)")
    var format: WordVectorFormat?

    func load() throws -> WordVectors {
        let url = URL(fileURLWithPath: vectors)
        return try WordVectors.read(contentsOf: url, format: format ?? VectorFileOptions.format(of: url))
    }

    /// Binary for `.bin`, text otherwise.
    static func format(of url: URL) -> WordVectorFormat { url.pathExtension.lowercased() == "bin" ? .binary : .text }
}

extension WordVectorFormat: ExpressibleByArgument {}
extension AnalogyMethod: ExpressibleByArgument {}
extension Word2Vec.Architecture: ExpressibleByArgument {}
extension Tokenization.Splitting: ExpressibleByArgument {}

/// `0.1234` with four decimals, or `n/a` for a missing value (never a non-finite number).
func formatted(_ value: Double?, _ decimals: Int = 4) -> String {
    guard let value, value.isFinite else { return "n/a" }
    return String(format: "%.\(decimals)f", value)
}
