import Foundation
import LatentCore
import LatentIO
import LatentNN
import LatentText

/// A BERT-style masked language model (Devlin et al. 2019), pretrained by MLM on random windows of
/// a token stream framed as `[CLS] window [SEP]` (no next-sentence task; segment ids all 0): a
/// configuration that `fit`s and returns a `FittedBERT` with `encode` (mean-pooled sentence
/// embeddings) and held-out MLM scores.
///
/// The tokenizer must have `[MASK]`, `[CLS]`, `[SEP]` and `[PAD]` (`BPETrainer`'s defaults do).
public struct BERT<Scalar: BLASScalar>: Codable, Sendable, Equatable {
    public var architecture: TransformerArchitecture
    public var training: LanguageModelTraining
    /// The fraction of positions chosen for prediction (BERT: 0.15).
    public var maskingRate: Double

    public init(architecture: TransformerArchitecture = TransformerArchitecture(normFirst: false),
                training: LanguageModelTraining = LanguageModelTraining(), maskingRate: Double = 0.15) {
        self.architecture = architecture
        self.training = training
        self.maskingRate = maskingRate
    }

    /// The value of the `kind` metadata entry in its model files.
    public static var kind: String { "bert" }

    /// Why this configuration cannot be trained, or `nil`.
    public var problem: String? {
        if let p = architecture.problem ?? training.problem { return p }
        if architecture.context < 3 { return "context \(architecture.context) must be at least 3 ([CLS], a token, [SEP])" }
        if !(maskingRate > 0 && maskingRate <= 1) { return "masking rate \(maskingRate) must lie in (0, 1]" }
        return nil
    }

    /// The special ids BERT needs, or an error naming the missing token.
    static func specials(_ tokenizer: BPETokenizer) throws -> (mask: Int, cls: Int, sep: Int, pad: Int) {
        func id(_ token: String) throws -> Int {
            guard let id = tokenizer.id(of: token), tokenizer.specialIDs.contains(id) else {
                throw LanguageModelError.invalidConfiguration("the tokenizer has no special token \(token)")
            }
            return id
        }
        return (try id("[MASK]"), try id("[CLS]"), try id("[SEP]"), try id("[PAD]"))
    }

    /// The masking and the `[CLS] window [SEP]` framing of training and held-out rows.
    func rows(_ tokenizer: BPETokenizer) throws -> @Sendable ([Int], inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]) {
        let s = try Self.specials(tokenizer)
        let masking = BERTMasking(maskID: s.mask, vocabularySize: tokenizer.vocabularySize, specialIDs: Set(tokenizer.specialIDs), rate: maskingRate)
        return masking.row { [s.cls] + $0 + [s.sep] }
    }

    /// Trains on the id stream `tokens` (windows of `context − 2` ids at random offsets, masked
    /// afresh each time), scoring `heldOut` after every epoch (consecutive windows with fixed
    /// masks; metrics `loss` and `accuracy` per chosen token).
    /// - Throws: `LanguageModelError` for bad settings, tokens or tokenizer, `TrainingError` on
    ///   divergence, `IOError`/`CheckpointError` for checkpoint files.
    /// - Complexity: `epochs · stepsPerEpoch · batchSize` windows forward and backward.
    public func fit(_ tokens: [Int], heldOut: [Int] = [], tokenizer: BPETokenizer, checkpoint: URL? = nil, resume: Bool = false,
                    onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedBERT<Scalar> {
        if let p = problem { throw LanguageModelError.invalidConfiguration(p) }
        let row = try rows(tokenizer)
        let length = architecture.context - 2
        guard tokens.count >= length else { throw LanguageModelError.tooFewTokens(found: tokens.count, needed: length) }
        try LanguageModelFiles.validate(tokens, vocabularySize: tokenizer.vocabularySize)
        try LanguageModelFiles.validate(heldOut, vocabularySize: tokenizer.vocabularySize)
        let encoder = BERTEncoder<Scalar>(architecture: architecture, vocabularySize: tokenizer.vocabularySize, seed: training.seed)
        let s = training
        let train = TokenWindows.random(tokens, length: length, batchSize: s.batchSize, stepsPerEpoch: s.stepsPerEpoch, seed: s.seed, row: row)
        let held = heldOut.count >= length && s.evaluationWindows > 0
            ? TokenWindows.consecutive(heldOut, length: length, count: s.evaluationWindows, batchSize: s.batchSize, seed: s.seed &+ 1, row: row) : nil
        let reports = try LanguageModelFiles.run(MaskedLanguageModelTask(encoder), training: train, evaluation: held, settings: s,
                                                 metadata: LanguageModelFiles.metadata(kind: Self.kind, configuration: self, tokenizer: tokenizer),
                                                 checkpoint: checkpoint, resume: resume, onEvent: onEvent)
        return FittedBERT(configuration: self, encoder: encoder, tokenizer: tokenizer, history: reports)
    }
}

/// A pretrained BERT encoder with its tokenizer. Its network is only read (evaluation mode).
public final class FittedBERT<Scalar: BLASScalar> {
    public let configuration: BERT<Scalar>
    public let encoder: BERTEncoder<Scalar>
    public let tokenizer: BPETokenizer
    /// What each training epoch did (empty for a model read from a file).
    public let history: [EpochReport]

    init(configuration: BERT<Scalar>, encoder: BERTEncoder<Scalar>, tokenizer: BPETokenizer, history: [EpochReport]) {
        self.configuration = configuration
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.history = history
        encoder.eval()
    }

    /// MLM loss and accuracy per chosen token over the consecutive windows of `tokens` (at most
    /// `windows`), masked with the generator seeded by `seed` (training's held-out set uses
    /// `training.seed + 1`). `nil` when no position was chosen.
    public func evaluate(_ tokens: [Int], windows: Int = .max, seed: UInt64 = 1) throws -> (loss: Double, accuracy: Double)? {
        let task = MaskedLanguageModelTask(encoder)
        let source = TokenWindows.consecutive(tokens, length: configuration.architecture.context - 2, count: windows,
                                              batchSize: 32, seed: seed, row: try configuration.rows(tokenizer))
        var total = Metrics()
        withoutGradient { try? source.forEachBatch(epoch: 0) { total += task.metrics($0) } }
        guard let loss = total.mean("loss"), let accuracy = total.mean("accuracy") else { return nil }
        return (loss, accuracy)
    }

    /// The most text tokens `encode` keeps of one text: `context − 2` (`[CLS]` and `[SEP]` take the
    /// other two positions); longer texts are cut to their first `sentenceTokenLimit` tokens.
    public var sentenceTokenLimit: Int { configuration.architecture.context - 2 }

    /// Sentence embeddings `(n × D)` by mean pooling (Sentence-BERT's MEAN strategy, Reimers &
    /// Gurevych 2019): each text is tokenized, cut to its first `sentenceTokenLimit` tokens, framed
    /// `[CLS] text [SEP]` as in pretraining, and run through the encoder in evaluation mode (no
    /// dropout); its row is the mean of the final token states over the framed sequence — `[CLS]`,
    /// the text's tokens and `[SEP]`. Texts are batched 64 at a time and padded with `[PAD]`; the
    /// padding is hidden from attention and left out of the mean, so a text's row does not depend
    /// on the other texts of its batch. An empty text gives the mean of `[CLS]` and `[SEP]`.
    /// - Complexity: one encoder pass per text, O(layers · T · D · (T + D)) for T framed tokens.
    public func encode(_ texts: [String]) -> Matrix<Scalar> { encode(ids: texts.map { tokenizer.encode($0) }) }

    /// `encode` of texts already tokenized: the ids of each text alone (no `[CLS]`/`[SEP]`), each
    /// cut to `sentenceTokenLimit`. Every id must lie in `0..<tokenizer.vocabularySize`.
    public func encode(ids texts: [[Int]]) -> Matrix<Scalar> {
        let v = tokenizer.vocabularySize
        precondition(texts.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < v } }, "FittedBERT.encode: token ids must lie in 0..<\(v)")
        let (cls, sep, pad) = (tokenizer.id(of: "[CLS]")!, tokenizer.id(of: "[SEP]")!, tokenizer.id(of: "[PAD]")!)
        let framed = texts.map { [cls] + $0.prefix(sentenceTokenLimit) + [sep] }
        return LanguageModelFiles.pooled(framed, padding: pad, width: configuration.architecture.modelSize) { encoder.meanPooled($0) }
    }

    /// Saves weights, configuration and tokenizer as safetensors (atomically). - Throws: `IOError`.
    public func save(to url: URL) throws {
        try Checkpoint.save(model: encoder, progress: TrainingProgress(epoch: history.last?.epoch ?? 0, step: history.last?.step ?? 0,
                                                                       seed: configuration.training.seed),
                            metadata: LanguageModelFiles.metadata(kind: BERT<Scalar>.kind, configuration: configuration, tokenizer: tokenizer), to: url)
    }

    /// Reads a file written by `save` or a training checkpoint of `fit`.
    /// - Throws: `IOError`, `CheckpointError` naming the file and the entry at fault.
    public static func load(from url: URL) throws -> FittedBERT {
        let (file, configuration, tokenizer) = try LanguageModelFiles.read(url, kind: BERT<Scalar>.kind, as: BERT<Scalar>.self)
        if let p = configuration.problem { throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: p) }
        do { _ = try BERT<Scalar>.specials(tokenizer) } catch {
            throw CheckpointError.badMetadata(path: url.path, key: "tokenizer", reason: "\(error)")
        }
        let encoder = BERTEncoder<Scalar>(architecture: configuration.architecture, vocabularySize: tokenizer.vocabularySize, seed: 0)
        try Checkpoint.load(file, into: encoder)
        return FittedBERT(configuration: configuration, encoder: encoder, tokenizer: tokenizer, history: [])
    }
}
