import Foundation
import LatentCore
import LatentExperiments
import LatentModels
import Testing
@testable import latent

/// word2vec in `latent batch`: the command's defaults are the batch method's, the text
/// evaluations land in the run store where `latent runs show/compare` print them, and bad
/// evaluation files stop the batch before it runs (exit 1, naming the file and line).
@Suite("latent batch with word2vec")
struct Word2VecBatchCommandTests {
    @Test("latent word2vec train's defaults are the word2vec batch method's (threads and seed aside: the batch's own)")
    func defaultsAgree() throws {
        let command = try Word2VecTrainCommand.parse(["corpus.txt", "-o", "v.bin"])
        let defaults = MethodDescriptor.word2vec.defaults
        #expect(command.configuration(threads: 1) == Word2Vec(parameters: defaults, seed: command.seed))
        #expect(command.minCount == defaults.int("min-count"))
        // A corpus dataset reads as the command does by default.
        let source = CorpusSource(path: "corpus.txt")
        #expect(command.lowercase == source.lowercase && command.tokens.rawValue == source.tokens)
    }

    @Test("a corpus batch with the default evaluations ($LATENT_TEXT_DATA) records ρ, out-of-vocabulary shares and analogy accuracy")
    func batchAndRuns() throws {
        let s = try Scratch()
        let animals = ["cat", "dog", "horse", "cow"], colours = ["red", "blue", "green", "pink"]
        var lines: [String] = []
        for i in 0..<400 {
            let topic = i % 2 == 0 ? animals : colours
            lines.append((0..<6).map { (j: Int) -> String in topic[(i * 7 + j * 3) % 4] }.joined(separator: " "))
        }
        try s.write("corpus.txt", lines.joined(separator: "\n") + "\n")
        try s.write("wordsim353.tsv", "cat\tdog\t9\nred\tblue\t8\ncat\tred\t1\ndog\tgreen\t0.5\n")
        try s.write("simlex999.txt", "# comment\nhorse\tcow\t7\ncat\tpink\t1\nzebra\tcat\t2\n")
        try s.write("questions-words.txt", ": animals\ncat dog horse cow\n: colours\nred blue green pink\n")
        try s.write("w2v.yaml", """
            name: w2v
            datasets:
              - {name: topics, corpus: corpus.txt}
            methods:
              - method: word2vec
                dimension: 8
                epochs: 2
                min-count: 1
                sample: 0
            """)
        let environment = ["LATENT_TEXT_DATA": s.folder.path]
        let batch = try s.run(["batch", "w2v.yaml", "--db", "runs.sqlite"], environment: environment)
        #expect(batch.status == 0, "\(batch.stderr)")
        let show = try s.run(["runs", "show", "1", "--db", "runs.sqlite"])
        for metric in ["wordsim353-spearman", "wordsim353-oov", "simlex999-spearman", "simlex999-oov", "analogies-accuracy",
                       "analogies-animals", "analogies-colours", "analogies-oov", "vocabulary-size"] {
            #expect(show.stdout.contains("metric \(metric)"), "\(metric) missing: \(show.stdout)")
        }
        #expect(show.stdout.contains("simlex999-oov") && show.stdout.contains("0.3333"), "\(show.stdout)")
        let compare = try s.run(["runs", "compare", "--db", "runs.sqlite", "--metric", "wordsim353-spearman"])
        #expect(compare.status == 0 && compare.stdout.contains("word2vec"), "\(compare.stdout)")

        // A bad line in a default file: exit 1 before anything runs, naming file and line.
        try s.write("simlex999.txt", "horse\tcow\tseven\n")
        let bad = try s.run(["batch", "w2v.yaml", "--db", "other.sqlite"], environment: environment)
        #expect(bad.status == 1 && bad.stderr.contains("simlex999.txt:1:1: expected 'word1<TAB>word2<TAB>score'"), "\(bad.stderr)")
        #expect(!s.exists("other.sqlite"))
        // latent fit refuses a corpus method (usage error).
        let fit = try s.run(["fit", "word2vec", "corpus.txt"])
        #expect(fit.status == 2 && fit.stderr.contains("word2vec learns from a text corpus"), "\(fit.stderr)")
    }
}
