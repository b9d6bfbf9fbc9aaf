import Foundation
import Testing

/// `latent word2vec …` end to end: training writes gensim-readable vectors; queries and
/// evaluations read them; data errors exit 1 naming the file; usage errors exit 2.
@Suite("latent word2vec")
struct Word2VecCommandTests {
    /// Sentences drawn from one of two topics; words of a topic co-occur.
    static let corpus: String = {
        var lines: [String] = []
        var state: UInt64 = 1
        func next(_ n: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1442695040888963407; return Int(state >> 33) % n }
        for _ in 0..<1500 {
            let topic = next(2)
            lines.append((0..<8).map { _ in topic == 0 ? ["cat", "dog", "horse", "cow"][next(4)] : ["red", "blue", "green", "pink"][next(4)] }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("train, similar, analogy, evaluate")
    func trainAndQuery() throws {
        let s = try Scratch()
        try s.write("corpus.txt", Self.corpus)
        try s.write("pairs.tsv", "# w1\tw2\tscore\ncat\tdog\t9\nred\tblue\t8\ncat\tred\t1\ndog\tgreen\t0.5\ncat\tunknown\t3\n")
        let train = try s.run("word2vec train corpus.txt -o vectors.bin --dimension 10 --window 3 --sample 0 --threads 1 --epochs 3 --quiet")
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("8 words × 10"))
        let similar = try s.run("word2vec similar vectors.bin cat --count 3")
        #expect(similar.status == 0)
        let neighbours = similar.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(Set(neighbours) == ["dog", "horse", "cow"], "\(similar.stdout)")
        let evaluate = try s.run("word2vec evaluate vectors.bin --pairs pairs.tsv")
        #expect(evaluate.status == 0)
        #expect(evaluate.stdout.contains("4 of 5 pairs, out of vocabulary 20.0%"), "\(evaluate.stdout)")
        let analogy = try s.run("word2vec analogy vectors.bin cat dog red --count 2")
        #expect(analogy.status == 0 && analogy.stdout.split(separator: "\n").count == 2)
    }

    @Test("errors: empty vocabulary and bad UTF-8 exit 1 naming the file; bad options and output onto input exit 2")
    func errors() throws {
        let s = try Scratch()
        try s.write("tiny.txt", "a b c\n")
        let empty = try s.run("word2vec train tiny.txt -o v.bin --quiet")
        #expect(empty.status == 1 && empty.stderr.hasPrefix("latent: tiny.txt: empty vocabulary"), "\(empty.stderr)")
        let bytes = Array("ok word\nfine caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)   // a lead byte, then ASCII
        try Data(bytes).write(to: s.folder.appendingPathComponent("bad.txt"))
        let bad = try s.run("word2vec train bad.txt -o v.bin --min-count 1 --quiet")
        #expect(bad.status == 1 && bad.stderr.contains("bad.txt:2:9: invalid UTF-8"), "\(bad.stderr)")
        for line in ["word2vec train tiny.txt -o v.bin --window 0", "word2vec train tiny.txt -o v.bin --negative 0",
                     "word2vec train tiny.txt -o tiny.txt", "word2vec train tiny.txt -o v.bin --architecture rnn",
                     "word2vec evaluate v.bin", "word2vec similar v.bin cat --count 0"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
        }
        #expect(!s.files.contains("v.bin"))
    }
}
