import Foundation
import LatentCore
import LatentIO
import LatentNN
import LatentText

extension MethodDescriptor {
    /// `gpt`: a GPT-style causal decoder (`GPT`, pre-LN, tied head) trained by next-token
    /// prediction on a corpus dataset, as `latent train gpt` with its defaults. Run metrics: the
    /// last epoch's held-out loss per token, perplexity and next-token accuracy, and the final
    /// training loss. See `languageModel` for the data and the representation.
    public static let gpt = languageModel(
        name: "gpt", summary: "GPT-style causal decoder trained by next-token prediction (Radford et al. 2018) on a text corpus",
        perplexity: true) { tokens, heldOut, tokenizer, architecture, training in
        let model = try GPT<Float>(architecture: architecture(true), training: training).fit(tokens, heldOut: heldOut, tokenizer: tokenizer)
        return (model.decoder.tokens.weight.storage, model.history)
    }

    /// `bert`: a BERT-style encoder (`BERT`, post-LN, tied MLM head) pretrained by masked language
    /// modelling on a corpus dataset, as `latent train bert` with its defaults. Run metrics: the
    /// last epoch's held-out MLM loss and accuracy per chosen token, and the final training loss.
    /// See `languageModel` for the data and the representation.
    public static let bert = languageModel(
        name: "bert", summary: "BERT-style encoder pretrained by masked language modelling (Devlin et al. 2019) on a text corpus",
        perplexity: false) { tokens, heldOut, tokenizer, architecture, training in
        let model = try BERT<Float>(architecture: architecture(false), training: training).fit(tokens, heldOut: heldOut, tokenizer: tokenizer)
        return (model.encoder.tokens.weight.storage, model.history)
    }

    /// A transformer language model as a corpus method. The corpus's non-empty lines (lower-cased
    /// when the dataset says so; its word splitting does not apply: a byte-level BPE tokenizer
    /// of `vocab-size` tokens is trained on the first `tokenizer-lines` lines) are joined with
    /// newlines; the last `held-out` fraction of them is scored after every epoch. The seed is the
    /// batch's; parameters and defaults are `latent train gpt|bert`'s.
    ///
    /// The fitted model's `transform` maps an n × 1 column of token ids to their rows of the tied
    /// token embedding (n × model-size); its artifact `token-embedding` is the whole V × model-size
    /// table. Cost: `epochs · steps · batch-size` windows of `context` tokens forward and backward.
    static func languageModel(
        name: String, summary: String, perplexity: Bool,
        fit: @escaping @Sendable (_ tokens: [Int], _ heldOut: [Int], _ tokenizer: BPETokenizer,
                                  _ architecture: (_ normFirst: Bool) -> TransformerArchitecture,
                                  _ training: LanguageModelTraining) throws -> (embedding: [Float], history: [EpochReport])
    ) -> MethodDescriptor {
        let t = LanguageModelTraining(stepsPerEpoch: 200)
        let a = TransformerArchitecture(normFirst: true)
        return MethodDescriptor(
            name: name, summary: summary,
            parameters: [
                .int("vocab-size", default: 4096, min: 261, max: 1_000_000, help: "tokens of the byte-level BPE tokenizer trained on the corpus (256 bytes and 5 special tokens at least)"),
                .int("tokenizer-lines", default: 20_000, min: 1, help: "the first lines the tokenizer is trained on"),
                .double("held-out", default: 0.05, min: 0, max: 0.5, help: "fraction of the lines (the last ones) scored after every epoch"),
                .int("layers", default: a.layers, min: 1, max: 64, help: "transformer blocks"),
                .int("model-size", default: a.modelSize, min: 1, max: 4096, help: "width D of the token states (a multiple of heads)"),
                .int("heads", default: a.heads, min: 1, max: 256, help: "attention heads"),
                .int("context", default: a.context, min: 3, max: 4096, help: "tokens per training window"),
                .double("dropout", default: a.dropout, min: 0, max: 0.99, help: "dropout probability"),
                .int("epochs", default: t.epochs, min: 1, max: 100_000, help: "checkpointed rounds of training"),
                .int("steps", default: t.stepsPerEpoch, min: 1, max: 100_000_000, help: "optimizer steps per epoch"),
                .int("batch-size", default: t.batchSize, min: 1, max: 100_000, help: "windows per step"),
                .double("learning-rate", default: t.learningRate, min: 0, max: 10, help: "peak AdamW learning rate (> 0)"),
                .int("warmup", default: t.warmupSteps, min: 0, help: "linear warm-up steps before the cosine decay"),
                .double("weight-decay", default: t.weightDecay, min: 0, max: 10, help: "AdamW weight decay on matrices and embeddings"),
                .double("clip", default: t.maximumGradientNorm ?? 0, min: 0, help: "global gradient-norm bound (0: none)"),
                .int("eval-windows", default: t.evaluationWindows, min: 0, max: 1_000_000, help: "held-out windows scored after every epoch"),
            ],
            columnPrefix: "e", givesWordVectors: false,
            checkParameters: { p in
                p.int("model-size") % p.int("heads") == 0 ? nil : "model-size \(p.int("model-size")) is not a multiple of heads \(p.int("heads"))"
            }
        ) { source, p, seed in
            let lines = try corpusLines(source)
            let tokenizer = BPETrainer(vocabularySize: p.int("vocab-size")).train(Array(lines.prefix(p.int("tokenizer-lines"))))
            let (tokens, heldOut) = LanguageModelCorpus.tokens(lines, heldOut: p.double("held-out"), tokenizer: tokenizer)
            let training = LanguageModelTraining(
                epochs: p.int("epochs"), stepsPerEpoch: p.int("steps"), batchSize: p.int("batch-size"), learningRate: p.double("learning-rate"),
                warmupSteps: p.int("warmup"), weightDecay: p.double("weight-decay"), maximumGradientNorm: p.double("clip") > 0 ? p.double("clip") : nil,
                evaluationWindows: p.int("eval-windows"), seed: seed)
            let architecture = { (normFirst: Bool) in
                TransformerArchitecture(layers: p.int("layers"), modelSize: p.int("model-size"), heads: p.int("heads"), context: p.int("context"),
                                        dropout: p.double("dropout"), normFirst: normFirst)
            }
            let (embedding, history) = try fit(tokens, heldOut, tokenizer, architecture, training)
            let (v, d) = (tokenizer.vocabularySize, p.int("model-size"))
            let table = Matrix<Double>(rows: v, columns: d, storage: embedding.map(Double.init))
            var metrics: [String: Double] = [:]
            if let last = history.last {
                metrics["final-training-loss"] = last.trainingLoss
                if let loss = last.evaluationLoss {
                    metrics["held-out-loss"] = loss
                    if perplexity { metrics["held-out-perplexity"] = Foundation.exp(loss) }
                }
                if let accuracy = last.evaluationAccuracy { metrics[perplexity ? "held-out-next-token-accuracy" : "held-out-mlm-accuracy"] = accuracy }
            }
            metrics["vocabulary-size"] = Double(v)
            metrics["training-tokens"] = Double(tokens.count)
            var description = ModelDescription()
            description.field("vocabulary", "vocabulary", .int(v))
            description.field("model-size", "model size", .int(d))
            return FittedModel(
                inputFeatures: 1, outputFeatures: d,
                transform: FittedModel.rowLookup(table, method: name, what: "token id"),
                metrics: metrics, artifacts: ["token-embedding": table], description: description, state: tokenizer)
        }
    }

    /// The non-empty lines of a corpus file (lower-cased if the source says so).
    /// - Throws: `IOError` naming the file, and the line for text that is not UTF-8; an empty corpus.
    static func corpusLines(_ source: CorpusSource) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: source.path)) } catch {
            throw IOError.cannotRead(path: source.path, reason: error.localizedDescription)
        }
        var lines: [String] = []
        for (number, bytes) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard let line = String(validating: bytes, as: UTF8.self) else {
                throw IOError.malformed(path: source.path, line: number + 1, column: 1, reason: "the line is not valid UTF-8")
            }
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
            if !text.isEmpty { lines.append(source.lowercase ? text.lowercased() : text) }
        }
        guard !lines.isEmpty else { throw IOError.malformed(path: source.path, line: 1, column: 1, reason: "the corpus has no non-empty line") }
        return lines
    }
}
