import ArgumentParser
import Foundation
import Latent

/// `latent bench transformer --model gpt|bert`: training steps of the language models of issue 13
/// at its sizes (4 layers × D 128 × 4 heads, context 64, batch 32, vocabulary 4096), and GPT's
/// greedy generation with the key/value cache or BERT's sentence encoding.
///
/// The data are seeded random ids (throughput does not depend on them); training is what `latent
/// train gpt|bert` runs — the same task, AdamW over two parameter groups, gradient clipping — without
/// held-out scoring or checkpoints. `scripts/bench/transformers.py` times the same models against
/// PyTorch through `latent train` on real text.
struct BenchTransformer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transformer",
        abstract: "GPT/BERT training tokens/s at issue 13's sizes, GPT generation tokens/s (KV cache), BERT sentences/s.")

    @Option(help: "gpt (causal, pre-LN) or bert (masked LM, post-LN).")
    var model = "gpt"
    @Option(parsing: .unconditional, help: "Timed training steps (1…100000; the median step is reported).")
    var steps = 20
    @Option(parsing: .unconditional, help: "Untimed training steps first (0…1000).")
    var warmup = 3
    @Option(parsing: .unconditional, help: "Layers (1…64).")
    var layers = 4
    @Option(parsing: .unconditional, help: "Model size D (1…4096, a multiple of --heads).")
    var modelSize = 128
    @Option(parsing: .unconditional, help: "Attention heads (1…256).")
    var heads = 4
    @Option(parsing: .unconditional, help: "Context: tokens per sequence (3…4096).")
    var context = 64
    @Option(parsing: .unconditional, help: "Sequences per step (1…100000).")
    var batchSize = 32
    @Option(parsing: .unconditional, help: "Vocabulary size (16…1000000).")
    var vocabSize = 4096
    @Option(parsing: .unconditional, help: "GPT: tokens generated after a 16-token prompt (1…context − 16); BERT: sentences encoded (1…100000).")
    var generate: Int?
    @Option(parsing: .unconditional, help: "Repeats of the generation or encoding (median).")
    var repeats = 5
    @Flag(help: "Also print one JSON object with every number.")
    var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        guard ["gpt", "bert"].contains(model) else { throw ValidationError("--model must be gpt or bert, got \(MessageText.quoted(model, limit: 50))") }
        try OptionRange.check("--steps", steps, 1...100_000)
        try OptionRange.check("--warmup", warmup, 0...1000)
        try OptionRange.check("--layers", layers, 1...64)
        try OptionRange.check("--model-size", modelSize, 1...4096)
        try OptionRange.check("--heads", heads, 1...256)
        try OptionRange.check("--context", context, (model == "gpt" ? 17 : 3)...4096)
        try OptionRange.check("--batch-size", batchSize, 1...100_000)
        try OptionRange.check("--vocab-size", vocabSize, 16...1_000_000)
        try OptionRange.check("--generate", generate, model == "gpt" ? 1...Swift.max(1, context - 16) : 1...100_000)
        try OptionRange.check("--repeats", repeats, 1...1000)
        if let p = architecture.problem { throw ValidationError(p) }
    }

    var architecture: TransformerArchitecture {
        TransformerArchitecture(layers: layers, modelSize: modelSize, heads: heads, context: context, dropout: 0.1, normFirst: model == "gpt")
    }

    func run() throws {
        global.apply()
        Allocation.retainFreedMemory()
        var rng = Xoshiro256StarStar(seed: global.seed)
        // ids 0…4 stand for the special tokens ([PAD], [MASK], [CLS], [SEP], <|endoftext|>)
        let stream = (0..<200_000).map { _ in 5 + rng.integer(below: vocabSize - 5) }
        let name = "\(model.uppercased()) (\(layers) layers, d \(modelSize), \(heads) heads, context \(context), batch \(batchSize), vocabulary \(vocabSize))"
        var results: [String: Any] = ["model": model, "threads": Parallel.threadCount, "layers": layers, "model_size": modelSize, "heads": heads,
                                      "context": context, "batch_size": batchSize, "vocabulary": vocabSize, "steps": steps]
        if model == "gpt" {
            let decoder = GPTDecoder<Float>(architecture: architecture, vocabularySize: vocabSize, seed: global.seed)
            results["training"] = try train(CausalLanguageModelTask(decoder), stream: stream, length: context + 1, row: TokenWindows.nextToken, name: name)
            decoder.eval()
            let count = generate ?? context - 16
            let prompt = Array(stream.prefix(16))
            let seconds = Timing.median(repeats: repeats) { _ = decoder.generate(prompt: prompt, count: count) }
            print("\(name) greedy generation: \(format(Double(count) / seconds, 1)) tokens/s (\(count) tokens after a 16-token prompt, key/value cache, median of \(repeats))")
            results["generation_tokens_per_s"] = Double(count) / seconds
        } else {
            let encoder = BERTEncoder<Float>(architecture: architecture, vocabularySize: vocabSize, seed: global.seed)
            let masking = BERTMasking(maskID: 1, vocabularySize: vocabSize, specialIDs: Set(0..<5))
            results["training"] = try train(MaskedLanguageModelTask(encoder), stream: stream, length: context - 2,
                                            row: masking.row { [2] + $0 + [3] }, name: name)
            encoder.eval()
            let count = generate ?? 256
            let sentences: [[Int]] = (0..<count).map { i in
                let start = (i * context) % (stream.count - context)
                return [2] + Array(stream[start..<(start + context - 2)]) + [3]    // [CLS] … [SEP]
            }
            let seconds = Timing.median(repeats: repeats) {
                withoutGradient {
                    for first in stride(from: 0, to: count, by: 64) {
                        _ = encoder.meanPooled(TokenBatch(Array(sentences[first..<Swift.min(first + 64, count)]), padding: 0))
                    }
                }
            }
            print("\(name) mean-pooled sentence embeddings: \(format(Double(count) / seconds, 1)) sentences/s (\(count) sentences of \(context) tokens, batches of 64, median of \(repeats))")
            results["encoding_sentences_per_s"] = Double(count) / seconds
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// `warmup` untimed steps, then `steps` timed ones: the median step's tokens/s (batch × context
    /// tokens a step) and the mean over all timed steps.
    func train<Task: TrainingTask>(_ task: Task, stream: [Int], length: Int,
                                   row: @escaping @Sendable ([Int], inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]),
                                   name: String) throws -> [String: Any] where Task.Batch == LanguageModelBatch, Task.Scalar == Float {
        let optimizer = Adam.adamW(groups: task.model.parameterGroups(weightDecay: 0.01), learningRate: 1e-3)
        let trainer = Trainer(task: task, optimizer: optimizer, seed: global.seed, maximumGradientNorm: 1)
        if warmup > 0 {
            _ = try trainer.trainEpoch(TokenWindows.random(stream, length: length, batchSize: batchSize, stepsPerEpoch: warmup, seed: global.seed, row: row))
        }
        var stepSeconds: [Double] = []
        var last = Timing.now()
        let start = last, cpuStart = BenchMemory.cpuSeconds
        _ = try trainer.trainEpoch(TokenWindows.random(stream, length: length, batchSize: batchSize, stepsPerEpoch: steps, seed: global.seed &+ 1, row: row)) { event in
            if case .step = event {
                let now = Timing.now()
                stepSeconds.append(now - last)
                last = now
            }
        }
        let (total, cpu) = (Timing.now() - start, BenchMemory.cpuSeconds - cpuStart)
        let tokens = Double(batchSize * context)
        let median = stepSeconds.sorted()[stepSeconds.count / 2]
        print("\(name) training: \(format(tokens / median, 0)) tokens/s (median of \(steps) steps, \(format(median * 1e3, 1)) ms a step; "
              + "mean \(format(tokens * Double(steps) / total, 0)) tokens/s, \(format(cpu / total, 2)) CPU-seconds a second, \(task.model.parameterCount) parameters)")
        return ["tokens_per_s": tokens / median, "step_ms": median * 1e3, "mean_tokens_per_s": tokens * Double(steps) / total,
                "cpu_tokens_per_s": tokens * Double(steps) / cpu, "parameters": task.model.parameterCount]
    }
}
