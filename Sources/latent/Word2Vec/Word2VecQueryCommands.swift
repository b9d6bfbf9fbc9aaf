import ArgumentParser
import Foundation
import Latent

/// `latent word2vec similar VECTORS WORD…`: nearest words by cosine.
struct Word2VecSimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "The words nearest to each query word by cosine similarity (word<TAB>cosine).")

    @OptionGroup var file: VectorFileOptions

    @Argument(help: "Query words.")
    var words: [String]

    @Option(parsing: .unconditional, help: "Neighbours per word (≥ 1).")
    var count = 10

    @Option(parsing: .unconditional, help: "Only the N most frequent words are candidates (≥ 1). (default: all)")
    var restrict: Int?

    func validate() throws {
        if words.isEmpty { throw ValidationError("give at least one query word") }
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if let restrict, restrict < 1 { throw ValidationError("--restrict must be at least 1, got \(restrict)") }
    }

    func run() throws {
        try Failures.guarded {
            let vectors = try file.load()
            for word in words {
                guard let nearest = vectors.mostSimilar(to: word, count: count, restrictTo: restrict) else {
                    throw Failure("'\(word)' is not in \(file.vectors)")
                }
                if words.count > 1 { print("# \(word)") }
                for s in nearest { print("\(s.word)\t\(formatted(s.score))") }
            }
        }
    }
}

/// `latent word2vec analogy VECTORS A B C`: a is to b as c is to ?
struct Word2VecAnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analogy", abstract: "Answer 'a is to b as c is to ?' (word<TAB>score), with 3CosAdd or 3CosMul.")

    @OptionGroup var file: VectorFileOptions

    @Argument(help: "a") var a: String
    @Argument(help: "b") var b: String
    @Argument(help: "c") var c: String

    @Option(help: "3cosadd or 3cosmul.")
    var method: AnalogyMethod = .add

    @Option(parsing: .unconditional, help: "Answers to show (≥ 1).")
    var count = 10

    @Option(parsing: .unconditional, help: "Only the N most frequent words are candidates (≥ 1). (default: all)")
    var restrict: Int?

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if let restrict, restrict < 1 { throw ValidationError("--restrict must be at least 1, got \(restrict)") }
    }

    func run() throws {
        try Failures.guarded {
            let vectors = try file.load()
            for w in [a, b, c] where vectors.id(of: w) == nil { throw Failure("'\(w)' is not in \(file.vectors)") }
            let answers = vectors.mostSimilar(positive: [b, c], negative: [a], count: count, method: method, restrictTo: restrict) ?? []
            for s in answers { print("\(s.word)\t\(formatted(s.score))") }
        }
    }
}
