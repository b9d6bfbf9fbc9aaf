import Foundation
import LatentCore
import LatentModels
import LatentText
import Testing
@testable import LatentExperiments

/// word2vec as a batch method: corpus datasets, the `word2vec` descriptor, the text evaluations
/// stored with each run, and the refusals of mismatched batches when the file is read.
@Suite("Batches: word2vec on corpus datasets")
struct Word2VecBatchTests {
    let folder: TemporaryFolder

    /// Sentences drawn from one of two topics (animals, colours); words of a topic co-occur.
    /// Every tenth sentence is capitalised, so `lowercase: true` changes the vocabulary.
    static let corpus: String = {
        var lines: [String] = []
        var state: UInt64 = 7
        func next(_ n: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) % n }
        for i in 0..<600 {
            let words = next(2) == 0 ? ["cat", "dog", "horse", "cow"] : ["red", "blue", "green", "pink"]
            let line = (0..<8).map { _ in words[next(4)] }.joined(separator: " ")
            lines.append(i % 10 == 0 ? line.uppercased() : line)
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let pairs = "# w1\tw2\tscore\ncat\tdog\t9\nred\tblue\t8\ncat\tred\t1\ndog\tgreen\t0.5\nhorse\tcow\t7\ncat\tzebra\t3\n"
    static let questions = ": animals\ncat dog horse cow\ndog cat cow horse\n: colours\nred blue green pink\nred zebra green pink\n"

    init() throws {
        folder = try TemporaryFolder()
        try folder.write("corpus.txt", Self.corpus)
        try folder.write("pairs.tsv", Self.pairs)
        try folder.write("questions.txt", Self.questions)
        _ = try folder.writeToyData("toy.npy")
    }

    func parse(_ yaml: String) throws -> BatchFile {
        try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url)
    }

    /// The message of the `BatchFileError` that parsing `yaml` throws.
    func refusal(_ yaml: String) -> BatchFileError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch let error as BatchFileError {
            return error
        } catch {
            return BatchFileError(path: "unexpected", line: 0, message: "\(error)")
        }
    }

    static let batch = """
        name: w2v
        datasets:
          - name: topics
            corpus: corpus.txt
            lowercase: true
        methods:
          - method: word2vec
            architecture: [skipgram, cbow]
            dimension: 10
            window: 3
            sample: 0
            epochs: 3
            min-count: 1
        seeds: [3]
        evaluations:
          - word-similarity: pairs.tsv
          - analogies: questions.txt
        """

    @Test("a word2vec batch trains on the corpus and stores ρ and analogy accuracy equal to the direct evaluations of the same vectors")
    func endToEnd() throws {
        let batch = try parse(Self.batch)
        #expect(batch.datasets.map(\.input) == [.corpus])
        #expect(batch.evaluationFiles == ["word-similarity": [folder.path("pairs.tsv")], "analogies": [folder.path("questions.txt")]])
        let store = try RunStore(path: folder.path("runs.sqlite"))
        let summary = try BatchRunner(store: store).run(batch)
        #expect(summary.done == 2 && summary.failed == 0)

        let corpus = try Corpus.read(contentsOf: folder.url.appendingPathComponent("corpus.txt"),
                                     tokenization: Tokenization(lowercase: true), minCount: 1)
        #expect(corpus.vocabulary.count == 8)
        for run in try store.runs() {
            // threads 1 (the batch default): the same vectors as training directly, bit for bit.
            let model = try Word2Vec(parameters: run.run.parameterValues, seed: 3).train(corpus)
            let pairs = try WordPairEvaluation(vectors: model.vectors, pairsFile: folder.url.appendingPathComponent("pairs.tsv"))
            let analogies = try AnalogyEvaluation(vectors: model.vectors, questionsFile: folder.url.appendingPathComponent("questions.txt"))
            let m = run.metrics
            #expect(m["pairs-spearman"] == pairs.spearman!)
            #expect(m["pairs-oov"] == 1.0 / 6)
            #expect(m["analogies-accuracy"] == analogies.total.accuracy!)
            #expect(m["analogies-oov"] == 1.0 / 4)
            #expect(m["analogies-animals"] == analogies.sections[0].accuracy! && m["analogies-colours"] == analogies.sections[1].accuracy!)
            #expect(m["vocabulary-size"] == 8 && m["effective-words"] == Double(3 * 4800))
            // The topics separate: same-topic pairs score above cross-topic ones.
            #expect(pairs.spearman! > 0.5, "\(run.run.parameters): ρ \(pairs.spearman!)")
        }
        // Running again skips both runs.
        #expect(try BatchRunner(store: store).run(batch).skippedDone == 2)
    }

    @Test("the word2vec descriptor's fitted model looks up word vectors by id and keeps them as its artifact")
    func fittedModel() throws {
        let p = try MethodDescriptor.word2vec.resolve(["dimension": .int(4), "epochs": .int(1), "min-count": .int(1), "sample": .int(0)])
        let source = CorpusSource(path: folder.path("corpus.txt"), lowercase: true)
        let fitted = try MethodDescriptor.word2vec.fitCorpus!(source, p, 5)
        let model = try #require(fitted.state as? Word2VecModel)
        let z = try fitted.transform(Matrix<Double>([[0], [7]]))
        #expect(z.rows == 2 && z.columns == 4)
        #expect(z.row(1) == model.vectors.vectors.row(7).map(Double.init))
        #expect(fitted.artifacts["vectors"]?.rows == 8)
        #expect(throws: EstimatorError.self) { try fitted.transform(Matrix<Double>([[8]])) }
        #expect(throws: EstimatorError.self) { try MethodDescriptor.word2vec.fit(Matrix<Double>([[1]]), p, 0) }
    }

    @Test("mismatched batches are refused when the file is read, naming the method, dataset or evaluation and the line")
    func refusals() throws {
        // word2vec on rows.
        var e = refusal("""
            name: x
            datasets:
              - {name: toy, path: toy.npy}
            methods:
              - method: word2vec
            """)
        #expect(e?.line == 5 && e?.message.hasPrefix("method 'word2vec' learns from a text corpus, but dataset 'toy' (line 3) is rows of features") == true,
                "\(String(describing: e))")
        // A rows method on a corpus.
        e = refusal("""
            name: x
            datasets:
              - {name: topics, corpus: corpus.txt}
            methods:
              - method: pca
            """)
        #expect(e?.line == 5 && e?.message.hasPrefix("method 'pca' learns from rows of features, but dataset 'topics' (line 3) is a text corpus") == true,
                "\(String(describing: e))")
        // A rows evaluation on a corpus run, a text evaluation on rows.
        e = refusal("""
            name: x
            datasets:
              - {name: topics, corpus: corpus.txt}
            methods:
              - method: word2vec
            evaluations: [fewshot]
            """)
        #expect(e?.line == 6 && e?.message == "evaluation 'fewshot' takes rows of features; dataset 'topics' (line 3) is a text corpus (evaluations of corpus runs: analogies, word-similarity)",
                "\(String(describing: e))")
        e = refusal("""
            name: x
            datasets:
              - {name: toy, path: toy.npy}
            methods:
              - method: pca
            evaluations:
              - word-similarity: pairs.tsv
            """)
        #expect(e?.line == 7 && e?.message.hasPrefix("evaluation 'word-similarity' measures word vectors and needs a corpus dataset; dataset 'toy'") == true,
                "\(String(describing: e))")
        // Parameters out of range, alone and together.
        e = refusal(Self.batch.replacingOccurrences(of: "window: 3", with: "window: 0"))
        #expect(e?.line == 10 && e?.message == "parameter 'window' of method 'word2vec' must be at least 1, got 0", "\(String(describing: e))")
        e = refusal(Self.batch.replacingOccurrences(of: "epochs: 3", with: "epochs: 3\n    min-alpha: 0.5"))
        #expect(e?.line == 7 && e?.message.contains("min-alpha must be in 0…alpha, got 0.5") == true, "\(String(describing: e))")
        // Reading options belong to corpora.
        e = refusal("""
            name: x
            datasets:
              - {name: topics, corpus: corpus.txt, tokens: words}
            methods:
              - method: word2vec
            """)
        #expect(e?.line == 3 && e?.message == "dataset 'topics': 'tokens' must be one of whitespace, alphanumeric, got 'words'", "\(String(describing: e))")
        e = refusal("""
            name: x
            datasets:
              - {name: toy, path: toy.npy, lowercase: true}
            methods:
              - method: pca
            """)
        #expect(e?.message == "dataset 'toy': 'lowercase' applies only to a corpus dataset ('corpus: FILE')", "\(String(describing: e))")
        e = refusal("""
            name: x
            datasets:
              - {name: topics, corpus: missing.txt}
            methods:
              - method: word2vec
            """)
        #expect(e?.line == 3 && e?.message.hasPrefix("dataset 'topics': corpus file missing.txt does not exist") == true, "\(String(describing: e))")
    }

    @Test("evaluation files are checked whole when the batch is read: a bad line is named with its file")
    func badEvaluationFiles() throws {
        try folder.write("bad-pairs.tsv", "cat\tdog\t9\nred\tblue\n")
        try folder.write("bad-questions.txt", ": s\ncat dog horse cow\ncat dog horse\n")
        var e = refusal(Self.batch.replacingOccurrences(of: "word-similarity: pairs.tsv", with: "word-similarity: [pairs.tsv, bad-pairs.tsv]"))
        #expect(e?.line == 16 && e?.message == "evaluation 'word-similarity': \(folder.path("bad-pairs.tsv")):2:1: expected 'word1<TAB>word2<TAB>score'",
                "\(String(describing: e))")
        e = refusal(Self.batch.replacingOccurrences(of: "analogies: questions.txt", with: "analogies: bad-questions.txt"))
        #expect(e?.line == 17 && e?.message == "evaluation 'analogies': \(folder.path("bad-questions.txt")):3:1: expected four words, found 3",
                "\(String(describing: e))")
        e = refusal(Self.batch.replacingOccurrences(of: "analogies: questions.txt", with: "analogies: [questions.txt, questions.txt]"))
        #expect(e?.message == "evaluation 'analogies' reads one file, got 2", "\(String(describing: e))")
        e = refusal(Self.batch.replacingOccurrences(of: "analogies: questions.txt", with: "fewshot: questions.txt"))
        #expect(e?.message.hasPrefix("evaluation 'fewshot' takes rows of features") == true, "\(String(describing: e))")
    }

    static let example = ExampleTests.examples.appendingPathComponent("word2vec-definitions.yaml")
    static let exampleData = [example.deletingLastPathComponent().appendingPathComponent("../../../shared/data/text/gcide-definitions.txt").path,
                              TextEvaluations.defaultFolder + "/questions-words.txt"]

    @Test("docs/examples/word2vec-definitions.yaml is a valid batch: two runs, the default evaluation files (where the shared data is)",
          .enabled(if: exampleData.allSatisfy { FileManager.default.fileExists(atPath: $0) }))
    func example() throws {
        let batch = try BatchFile.load(path: Self.example.path)
        #expect(batch.runs.map { $0.parameters.string("architecture") } == ["skipgram", "cbow"])
        #expect(batch.runs.allSatisfy { $0.parameters.int("threads") == 2 && $0.parameters.int("window") == 5 })
        #expect(batch.evaluationFiles["analogies"] == [TextEvaluations.defaultFolder + "/questions-words.txt"])
        #expect(batch.evaluationFiles["word-similarity"]?.count == 2)
    }

    @Test("metric names: a file's stem and section names in lower case, other characters as one hyphen")
    func metricNames() {
        #expect(TextEvaluations.metricName(TextEvaluations.fileStem("/data/WordSim353.tsv")) == "wordsim353")
        #expect(TextEvaluations.metricName("gram1-adjective-to-adverb") == "gram1-adjective-to-adverb")
        #expect(TextEvaluations.metricName("Capital: common countries!") == "capital-common-countries")
    }
}
