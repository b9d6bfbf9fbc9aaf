import Foundation
import Testing
import LatentCore
import LatentNN
import LatentText
import LatentTestSupport
@testable import LatentModels

/// A tiny corpus: a few short sentences repeated, so a small model can learn it by heart.
private let corpus = """
the cat sat on the mat.
the dog ran to the park.
a bird sang in the tree.
the cat ran to the tree.
""".split(separator: "\n").map(String.init)

private let tokenizer = BPETrainer(vocabularySize: 300).train(corpus)
private let stream: [Int] = (0..<12).flatMap { _ in corpus.flatMap { tokenizer.encode($0 + "\n") } }

private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(name)-\(UUID().uuidString).safetensors")
}

@Suite("GPT and BERT trained by the Trainer")
struct LanguageModelTrainingTests {
    private let small = TransformerArchitecture(layers: 2, modelSize: 32, heads: 2, context: 16, dropout: 0, normFirst: true)

    @Test func tinyGPTLearnsATinyCorpusByHeart() throws {
        let gpt = GPT<Float>(architecture: small, training: LanguageModelTraining(epochs: 3, stepsPerEpoch: 60, batchSize: 16, learningRate: 1e-2,
                                                                                 warmupSteps: 10, evaluationWindows: 8, seed: 1))
        var steps = 0
        let model = try gpt.fit(stream, heldOut: stream, tokenizer: tokenizer) { if case .step = $0 { steps += 1 } }
        #expect(steps == 180 && model.history.count == 3)
        let first = model.history.first!.evaluationLoss!, last = model.history.last!.evaluationLoss!
        #expect(last < first && model.heldOutPerplexity! < 1.6, "held-out loss \(first) → \(last)")
        // it writes the corpus: after "the dog" comes " ran to the park."
        #expect(model.generate("the dog", count: 6).hasPrefix(" ran to the park"), "\(model.generate("the dog", count: 6))")
        let scores = try #require(model.evaluate(stream, windows: 8))
        #expect(abs(scores.loss - last) < 1e-4)

        // a model file gives the same logits and the same tokenizer
        let url = temporaryFile("gpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try FittedGPT<Float>.load(from: url)
        #expect(loaded.tokenizer == tokenizer && loaded.configuration == gpt)
        #expect(loaded.generate("a bird", count: 8, sampling: TokenSampling(temperature: 0.8, topP: 0.9), seed: 5)
                == model.generate("a bird", count: 8, sampling: TokenSampling(temperature: 0.8, topP: 0.9), seed: 5))
        #expect(loaded.encode(["the cat", "a bird sang"]).storage == model.encode(["the cat", "a bird sang"]).storage)
        #expect(throws: CheckpointError.self) { try FittedBERT<Float>.load(from: url) }
    }

    @Test func gptResumesBitForBitFromAnInterruptedRun() throws {
        var settings = LanguageModelTraining(epochs: 3, stepsPerEpoch: 5, batchSize: 4, learningRate: 3e-3, warmupSteps: 3, evaluationWindows: 2, seed: 7)
        settings.maximumGradientNorm = 0.5
        let gpt = GPT<Float>(architecture: TransformerArchitecture(layers: 1, modelSize: 16, heads: 2, context: 12, dropout: 0.1, normFirst: false),
                             training: settings)
        let full = temporaryFile("full"), cut = temporaryFile("cut")
        defer { for u in [full, cut] { try? FileManager.default.removeItem(at: u) } }
        let straight = try gpt.fit(stream, tokenizer: tokenizer, checkpoint: full) { event in
            // what an interruption after epoch 1 leaves behind
            if case .epochFinished(let r) = event, r.epoch == 1 { try? FileManager.default.copyItem(at: full, to: cut) }
        }
        let resumed = try gpt.fit(stream, tokenizer: tokenizer, checkpoint: cut, resume: true)
        #expect(resumed.history.map(\.epoch) == [2, 3])
        for (a, b) in zip(straight.decoder.namedTensors(), resumed.decoder.namedTensors()) {
            #expect(a.tensor.storage.map(\.bitPattern) == b.tensor.storage.map(\.bitPattern), "\(a.name) differs after resuming")
        }
        // another configuration is refused, naming the entry
        var other = gpt
        other.training.learningRate = 1e-3
        #expect(throws: CheckpointError.self) { try other.fit(stream, tokenizer: tokenizer, checkpoint: cut, resume: true) }
    }

    @Test func bertMaskedLanguageModelAccuracyRises() throws {
        // lines of one colour word repeated: a masked word is told by its neighbours (a 4-sentence
        // corpus of varied words stays at unigram accuracy for hundreds of steps, in PyTorch too)
        let words = ["red", "green", "blue", "black", "white", "brown"]
        let lines = (0..<8).map { i in Array(repeating: words[(i * 5) % 6], count: 12).joined(separator: " ") }
        let colours = BPETrainer(vocabularySize: 300).train(lines)
        let text: [Int] = (0..<12).flatMap { _ in lines.flatMap { colours.encode($0 + "\n") } }
        let bert = BERT<Float>(architecture: TransformerArchitecture(layers: 2, modelSize: 32, heads: 2, context: 16, dropout: 0, normFirst: false),
                               training: LanguageModelTraining(epochs: 3, stepsPerEpoch: 50, batchSize: 16, learningRate: 5e-3,
                                                               warmupSteps: 10, evaluationWindows: 64, seed: 2))
        let model = try bert.fit(text, heldOut: text, tokenizer: colours)
        let accuracies = model.history.map { $0.evaluationAccuracy! }
        #expect(accuracies.last! > accuracies.first! && accuracies.last! > 0.4, "held-out MLM accuracy \(accuracies)")   // chance 1/6
        #expect(model.history.last!.evaluationLoss! < model.history.first!.evaluationLoss!)
        // held-out scores are the same through `evaluate` with training's held-out seed
        let scores = try #require(try model.evaluate(text, windows: 64, seed: 3))
        #expect(abs(scores.accuracy - accuracies.last!) < 1e-9)
        // sentence embeddings: one row per text, finite, and a text's embedding does not depend on its batch
        let e = model.encode(["red red red", "a bird", "blue blue blue blue"])
        #expect(e.rows == 3 && e.columns == 32 && e.storage.allSatisfy(\.isFinite))
        let alone = model.encode(["a bird"])
        #expect(zip(alone.storage, e.storage[32..<64]).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}
