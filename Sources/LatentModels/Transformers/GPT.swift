import Foundation
import LatentCore
import LatentIO
import LatentNN
import LatentText

/// A GPT-style causal language model (Radford et al. 2018, 2019), trained by next-token
/// prediction on random windows of a token stream: a configuration that `fit`s and returns a
/// `FittedGPT` with `generate`, `perplexity` and `encode`.
///
/// ```swift
/// let tokenizer = BPETrainer(vocabularySize: 2000).train(lines)
/// let ids = tokenizer.encode(text)
/// let gpt = GPT<Float>(architecture: TransformerArchitecture(layers: 4, modelSize: 128, heads: 4, context: 64, normFirst: true),
///                      training: LanguageModelTraining(epochs: 5, stepsPerEpoch: 200))
/// let model = try gpt.fit(train, heldOut: valid, tokenizer: tokenizer)
/// print(model.heldOutPerplexity!)
/// print(model.generate("The cat", count: 20, sampling: TokenSampling(temperature: 0.8, topP: 0.9), seed: 1))
/// ```
public struct GPT<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    public var architecture: TransformerArchitecture
    public var training: LanguageModelTraining

    public init(architecture: TransformerArchitecture = TransformerArchitecture(normFirst: true),
                training: LanguageModelTraining = LanguageModelTraining()) {
        self.architecture = architecture
        self.training = training
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "gpt" }

    /// Why this configuration cannot be trained, or `nil`.
    public var problem: String? { architecture.problem ?? training.problem }

    /// Trains on the id stream `tokens` (windows of `context + 1` ids at random offsets),
    /// scoring `heldOut` after every epoch (consecutive windows; metrics `loss` per token,
    /// `accuracy` of the next token; `heldOutPerplexity` is `exp(loss)`).
    /// - Throws: `LanguageModelError` for bad settings or tokens, `TrainingError` on divergence,
    ///   `IOError`/`CheckpointError` for checkpoint files.
    /// - Complexity: `epochs · stepsPerEpoch · batchSize` windows forward and backward.
    public func fit(_ tokens: [Int], heldOut: [Int] = [], tokenizer: BPETokenizer, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedGPT<Scalar> {
        if let p = problem { throw LanguageModelError.invalidConfiguration(p) }
        let length = architecture.context + 1
        guard tokens.count >= length else { throw LanguageModelError.tooFewTokens(found: tokens.count, needed: length) }
        try LanguageModelFiles.validate(tokens, vocabularySize: tokenizer.vocabularySize)
        try LanguageModelFiles.validate(heldOut, vocabularySize: tokenizer.vocabularySize)
        let decoder = GPTDecoder<Scalar>(architecture: architecture, vocabularySize: tokenizer.vocabularySize, seed: training.seed)
        let s = training
        let train = TokenWindows.random(tokens, length: length, batchSize: s.batchSize, stepsPerEpoch: s.stepsPerEpoch, seed: s.seed,
                                        row: TokenWindows.nextToken)
        let held = heldOut.count >= length && s.evaluationWindows > 0
            ? TokenWindows.consecutive(heldOut, length: length, count: s.evaluationWindows, batchSize: s.batchSize, seed: s.seed,
                                       row: TokenWindows.nextToken) : nil
        let reports = try LanguageModelFiles.run(CausalLanguageModelTask(decoder), training: train, evaluation: held, settings: s,
                                                 metadata: LanguageModelFiles.metadata(kind: Self.kind, configuration: self, tokenizer: tokenizer),
                                                 checkpoint: checkpoint, resume: resume, onEvent: onEvent)
        return FittedGPT(configuration: self, decoder: decoder, tokenizer: tokenizer, history: reports)
    }
}

/// A trained GPT decoder with its tokenizer. Its network is only read (evaluation mode).
public final class FittedGPT<Scalar: BLASScalar> {
    public let configuration: GPT<Scalar>
    public let decoder: GPTDecoder<Scalar>
    public let tokenizer: BPETokenizer
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]

    init(configuration: GPT<Scalar>, decoder: GPTDecoder<Scalar>, tokenizer: BPETokenizer, history: [EpochReport]) {
        self.configuration = configuration
        self.decoder = decoder
        self.tokenizer = tokenizer
        self.history = history
        decoder.eval()
    }

    /// `exp` of the last epoch's held-out loss per token, when held-out tokens were given.
    public var heldOutPerplexity: Double? { history.last?.evaluationLoss.map { Foundation.exp($0) } }

    /// Mean next-token loss, accuracy and perplexity over the consecutive `context + 1` windows of
    /// `tokens` (at most `windows` of them), as the held-out scores of training.
    public func evaluate(_ tokens: [Int], windows: Int = .max) -> (loss: Double, accuracy: Double, perplexity: Double)? {
        let task = CausalLanguageModelTask(decoder)
        var total = Metrics()
        let source = TokenWindows.consecutive(tokens, length: configuration.architecture.context + 1, count: windows,
                                              batchSize: 32, seed: 0, row: TokenWindows.nextToken)
        withoutGradient { try? source.forEachBatch(epoch: 0) { total += task.metrics($0) } }
        guard let loss = total.mean("loss"), let accuracy = total.mean("accuracy") else { return nil }
        return (loss, accuracy, Foundation.exp(loss))
    }

    /// `count` ids continuing `prompt` (see `GPTDecoder.generate`), stopping after `<|endoftext|>`.
    public func generate(ids prompt: [Int], count: Int, sampling: TokenSampling = .greedy, seed: UInt64 = 0) -> [Int] {
        decoder.generate(prompt: prompt, count: count, sampling: sampling, seed: seed, stop: tokenizer.id(of: "<|endoftext|>"))
    }

    /// The text that continues `prompt`: `count` tokens at most, decoded (invalid UTF-8 replaced).
    public func generate(_ prompt: String, count: Int, sampling: TokenSampling = .greedy, seed: UInt64 = 0) -> String {
        tokenizer.decode(generate(ids: tokenizer.encode(prompt), count: count, sampling: sampling, seed: seed))
    }

    /// One vector per text (`n × D`): the mean of the final states over its first `context` tokens.
    public func encode(_ texts: [String]) -> Matrix<Scalar> {
        let a = configuration.architecture
        let pad = tokenizer.id(of: "[PAD]") ?? 0
        let ids = texts.map { t -> [Int] in let e = Array(tokenizer.encode(t).prefix(a.context)); return e.isEmpty ? [pad] : e }
        return LanguageModelFiles.pooled(ids, padding: pad, width: a.modelSize) { batch in
            let (b, t) = batch.shape
            let h = decoder.hiddenStates(batch.tokens)                          // causal: padding at the end is never seen
            let keep = 1 - batch.paddingMask(as: Scalar.self).reshaped([b, t, 1])
            return (h * keep).sum(alongAxis: 1) / Tensor<Scalar>(shape: [b, 1], storage: batch.lengths.map { Scalar($0) })
        }
    }

    /// Saves weights, configuration and tokenizer as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: decoder, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0,
                                                                       seed: configuration.training.seed),
                            metadata: LanguageModelFiles.metadata(kind: GPT<Scalar>.kind, configuration: configuration, tokenizer: tokenizer), to: url)
    }

    /// Reads a file written by `save` or a training checkpoint of `fit`.
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedGPT {
        let (file, configuration, tokenizer) = try LanguageModelFiles.read(url, kind: GPT<Scalar>.kind, as: GPT<Scalar>.self)
        if let p = configuration.problem { throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p) }
        let decoder = GPTDecoder<Scalar>(architecture: configuration.architecture, vocabularySize: tokenizer.vocabularySize, seed: 0)
        try Checkpoint.load(file, into: decoder)
        return FittedGPT(configuration: configuration, decoder: decoder, tokenizer: tokenizer, history: [])
    }
}
