import Foundation
import LatentCore
import LatentModels
import LatentText
import Testing
@testable import LatentExperiments

/// GPT and BERT as batch methods on corpus datasets: the descriptors train exactly what
/// `GPT.fit`/`BERT.fit` train on the same tokens, and a batch stores their held-out metrics.
@Suite("Batches: GPT and BERT on corpus datasets")
struct LanguageModelBatchTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        try folder.write("corpus.txt", Word2VecBatchTests.corpus)
    }

    /// Settings small enough for a test: 1 block of width 16, 6 steps, a 300-token vocabulary.
    static let tiny: [String: ParameterValue] = [
        "vocab-size": .int(300), "layers": .int(1), "model-size": .int(16), "heads": .int(2), "context": .int(12),
        "steps": .int(6), "batch-size": .int(4), "warmup": .int(2), "eval-windows": .int(4), "held-out": .double(0.1),
    ]

    @Test("the gpt and bert descriptors train what GPT.fit and BERT.fit train on the same tokens, bit for bit")
    func descriptorsMatchDirectFits() throws {
        let source = CorpusSource(path: folder.path("corpus.txt"), lowercase: true)
        let lines = Word2VecBatchTests.corpus.split(separator: "\n").map { $0.lowercased() }
        #expect(lines.count == 600)
        let tokenizer = BPETrainer(vocabularySize: 300).train(lines)
        let train = tokenizer.encode(lines[..<540].joined(separator: "\n") + "\n")
        let held = tokenizer.encode(lines[540...].joined(separator: "\n") + "\n")
        let training = LanguageModelTraining(epochs: 1, stepsPerEpoch: 6, batchSize: 4, warmupSteps: 2, evaluationWindows: 4, seed: 9)
        func architecture(_ normFirst: Bool) -> TransformerArchitecture {
            TransformerArchitecture(layers: 1, modelSize: 16, heads: 2, context: 12, dropout: 0.1, normFirst: normFirst)
        }

        let gpt = try MethodDescriptor.gpt.fitCorpus!(source, try MethodDescriptor.gpt.resolve(Self.tiny), 9)
        let direct = try GPT<Float>(architecture: architecture(true), training: training).fit(train, heldOut: held, tokenizer: tokenizer)
        #expect(gpt.artifacts["token-embedding"]?.storage == direct.decoder.tokens.weight.storage.map(Double.init))
        #expect(gpt.metrics["held-out-perplexity"] == direct.heldOutPerplexity)
        #expect(gpt.metrics["final-training-loss"] == direct.history.last?.trainingLoss)
        #expect(gpt.metrics["training-tokens"] == Double(train.count))

        let bert = try MethodDescriptor.bert.fitCorpus!(source, try MethodDescriptor.bert.resolve(Self.tiny), 9)
        let directBERT = try BERT<Float>(architecture: architecture(false), training: training).fit(train, heldOut: held, tokenizer: tokenizer)
        #expect(bert.artifacts["token-embedding"]?.storage == directBERT.encoder.tokens.weight.storage.map(Double.init))
        #expect(bert.metrics["held-out-mlm-accuracy"] == directBERT.history.last?.evaluationAccuracy)
        #expect(bert.metrics["held-out-loss"] == directBERT.history.last?.evaluationLoss)

        // The representation: token ids → rows of the token embedding (the BPE trainer stops
        // below 300 tokens when no pair of this small corpus is left to merge).
        let v = tokenizer.vocabularySize
        #expect(bert.metrics["vocabulary-size"] == Double(v))
        let z = try bert.transform(Matrix<Double>([[0], [Double(v - 1)]]))
        #expect(z.rows == 2 && z.columns == 16 && z.row(1) == bert.artifacts["token-embedding"]!.row(v - 1))
        #expect(throws: EstimatorError.self) { try bert.transform(Matrix<Double>([[Double(v)]])) }
    }

    @Test("a batch runs gpt and bert on a corpus and stores their held-out metrics; bad settings are refused when the file is read")
    func batch() throws {
        let batch = try BatchFile.parse(yaml: """
            name: lm
            datasets:
              - {name: topics, corpus: corpus.txt, lowercase: true}
            methods:
              - {method: gpt, vocab-size: 300, layers: 1, model-size: 16, heads: 2, context: 12, steps: 6, batch-size: 4, eval-windows: 4}
              - {method: bert, vocab-size: 300, layers: 1, model-size: 16, heads: 2, context: 12, steps: 6, batch-size: 4, eval-windows: 4}
            seeds: [2]
            """, path: "batch.yaml", baseDirectory: folder.url)
        let store = try RunStore(path: folder.path("runs.sqlite"))
        let summary = try BatchRunner(store: store).run(batch)
        let runs = try store.runs()
        #expect(summary.done == 2 && summary.failed == 0, "\(runs.map { ($0.run.method, $0.run.error ?? "") })")
        let gpt = try #require(runs.first { $0.run.method == "gpt" }), bert = try #require(runs.first { $0.run.method == "bert" })
        #expect(gpt.metrics["held-out-perplexity"].map { $0.isFinite && $0 > 1 } == true)
        #expect(bert.metrics["held-out-mlm-accuracy"].map { $0 >= 0 && $0 <= 1 } == true)

        #expect(gpt.metrics["pairs-spearman"] == nil)          // no text evaluation ran: a language model has no word vectors
        func refusal(_ yaml: String) -> String? {
            do { _ = try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url); return nil } catch { return "\(error)" }
        }
        let heads = refusal("""
            name: lm
            datasets:
              - {name: topics, corpus: corpus.txt}
            methods:
              - {method: gpt, model-size: 30, heads: 4}
            """)
        #expect(heads?.contains("model-size 30 is not a multiple of heads 4") == true, "\(heads ?? "accepted")")
        try folder.write("pairs.tsv", "cat\tdog\t9\n")
        let wordVectors = refusal("""
            name: lm
            datasets:
              - {name: topics, corpus: corpus.txt}
            methods:
              - {method: bert}
            evaluations:
              - word-similarity: pairs.tsv
            """)
        #expect(wordVectors?.contains("evaluation 'word-similarity' measures word vectors; method 'bert' (line 5) gives none") == true,
                "\(wordVectors ?? "accepted")")
    }
}
