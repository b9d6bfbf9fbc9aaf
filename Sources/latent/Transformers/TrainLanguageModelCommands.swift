import ArgumentParser
import Foundation
import Latent

/// Options shared by `latent train gpt` and `latent train bert`.
struct LanguageModelOptions: ParsableArguments {
    @Argument(help: "Corpus: UTF-8 text; lines are joined with newlines into one token stream.")
    var corpus: String
    @Option(name: .shortAndLong, help: "Model file (.safetensors): the checkpoint written after every epoch, with the tokenizer and the optimizer state.")
    var output: String
    @Flag(help: "Continue from --output's checkpoint (same settings) instead of starting afresh.")
    var resume = false
    @OptionGroup var tokenizer: TokenizerOptions
    @Option(parsing: .unconditional, help: "Use only the first N non-empty lines of the corpus.")
    var lines: Int?
    @Option(parsing: .unconditional, help: "Fraction of the lines (the last ones) held out for evaluation, in [0, 0.5].")
    var heldOut = LanguageModelPreset.defaults.double("held-out")
    @OptionGroup var transformer: TransformerTrainingOptions<LanguageModelPreset>
    @Option(parsing: .unconditional, help: "Context: tokens per training window (3…4096).")
    var context = LanguageModelPreset.defaults.int("context")
    @Option(parsing: .unconditional, help: "Dropout probability in [0, 1).")
    var dropout = LanguageModelPreset.defaults.double("dropout")
    @Option(parsing: .unconditional, help: "Linear warm-up steps before the cosine decay (≥ 0).")
    var warmup = LanguageModelPreset.defaults.int("warmup")
    @Option(parsing: .unconditional, help: "AdamW weight decay on matrices and embeddings (0…10).")
    var weightDecay = LanguageModelPreset.defaults.double("weight-decay")
    @Option(parsing: .unconditional, help: "Global gradient-norm bound (> 0; 0 for none).")
    var clip = LanguageModelPreset.defaults.double("clip")
    @Option(parsing: .unconditional, help: "Held-out windows scored after every epoch (0…1000000).")
    var evalWindows = LanguageModelPreset.defaults.int("eval-windows")
    @OptionGroup var distribution: DistributedTrainingOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try tokenizer.validate()
        try OptionRange.check("--lines", lines, OptionRange.count)
        try OptionRange.check("--held-out", heldOut, atLeast: 0, atMost: 0.5)
        try OptionRange.check("--context", context, 3...4096)
        try OptionRange.check("--dropout", dropout, atLeast: 0, below: 1)
        try OptionRange.check("--warmup", warmup, OptionRange.countOrZero)
        try OptionRange.check("--weight-decay", weightDecay, atLeast: 0, atMost: 10)
        try OptionRange.check("--clip", clip, atLeast: 0)
        try OptionRange.check("--eval-windows", evalWindows, 0...1_000_000)
        try OutputSafety.validate(inputs: [.file("corpus", corpus)] + tokenizer.inputs, outputs: [.file("--output", output)])
    }

    func architecture(normFirst: Bool) -> TransformerArchitecture {
        TransformerArchitecture(layers: transformer.layers, modelSize: transformer.modelSize, heads: transformer.heads, context: context, dropout: dropout, normFirst: normFirst)
    }

    var training: LanguageModelTraining {
        LanguageModelTraining(epochs: transformer.epochs, stepsPerEpoch: transformer.steps, batchSize: transformer.batchSize, learningRate: transformer.learningRate, warmupSteps: warmup,
                              weightDecay: weightDecay, maximumGradientNorm: clip > 0 ? clip : nil, evaluationWindows: evalWindows, seed: global.seed)
    }

    /// The tokenizer and the training and held-out token streams (lines joined by newlines).
    func data(progress: Progress) throws -> (tokenizer: BPETokenizer, train: [Int], heldOut: [Int]) {
        if resume && !FileManager.default.fileExists(atPath: output) { throw UsageError("--resume: there is no checkpoint at \(output)") }
        let text = try TextCorpusInput.lines(corpus, limit: lines)
        let tokenizer = try self.tokenizer.tokenizer(lines: text, progress: progress)
        let ((train, held), _) = progress.timed("encoding \(text.count) lines") {
            LanguageModelCorpus.tokens(text, heldOut: heldOut, tokenizer: tokenizer)
        }
        stderr("latent: \(train.count) training and \(held.count) held-out tokens, vocabulary \(tokenizer.vocabularySize), seed \(global.seed)")
        return (tokenizer, train, held)
    }

    /// Progress on stderr (steps, tokens/s); one line per epoch on stdout, never a non-finite number.
    func reporter(tokensPerStep: Int, perplexity: Bool) -> (TrainingEvent) -> Void {
        let progress = Progress(quiet: false)
        let (epochs, steps) = (transformer.epochs, transformer.steps)
        var reporter = progress.steps("epoch 1/\(epochs)", total: steps)
        var epochStart = Date()
        return { event in
            switch event {
            case let .step(epoch, batch, batches, _, loss):
                if batch == 1 { reporter = progress.steps("epoch \(epoch)/\(epochs)", total: batches); epochStart = Date() }
                let rate = Double(batch * tokensPerStep) / Swift.max(Date().timeIntervalSince(epochStart), 1e-9)
                reporter.update(done: batch, detail: "loss \(formatted(loss, 3)), \(formatted(rate, 0)) tokens/s")
            case let .epochFinished(r):
                var parts = ["epoch \(r.epoch)/\(epochs)", "step \(r.step)", "train loss \(formatted(r.trainingLoss, 4))"]
                if let loss = r.evaluationLoss {
                    parts.append("held-out loss \(formatted(loss, 4))")
                    if perplexity { parts.append("perplexity \(formatted(Foundation.exp(loss), 3))") }
                }
                if let accuracy = r.evaluationAccuracy { parts.append("\(perplexity ? "next-token" : "MLM") accuracy \(formatted(accuracy, 4))") }
                parts.append("\(formatted(Double(steps * tokensPerStep) / Swift.max(r.seconds, 1e-9), 0)) tokens/s")
                print(parts.joined(separator: "  "))
                StandardOutput.flush()
            }
        }
    }
}

/// `train gpt|bert`'s transformer defaults and ranges: the defaults are the `gpt`/`bert` batch
/// methods' (`LanguageModel+Descriptor.swift`, the same for both), stated there once.
enum LanguageModelPreset: TransformerTrainingPreset {
    static let defaults = MethodDescriptor.gpt.defaults
    static let layers = IntegerSetting(defaults.int("layers"), 1...64)
    static let modelSize = IntegerSetting(defaults.int("model-size"), 1...4096)
    static let heads = IntegerSetting(defaults.int("heads"), 1...256)
    static let epochs = IntegerSetting(defaults.int("epochs"), 1...100_000)
    static let steps = IntegerSetting(defaults.int("steps"), 1...100_000_000)
    static let batchSize = IntegerSetting(defaults.int("batch-size"), 1...100_000)
    static let learningRate = defaults.double("learning-rate")
    static let maximumLearningRate = 10.0
}

/// `latent train gpt CORPUS -o model.safetensors`: a GPT-style decoder by next-token prediction.
struct TrainGPTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpt",
        abstract: "Train a GPT-style causal language model (pre-LN, tied output head) on a text file.",
        discussion: """
        Training windows of --context + 1 tokens are drawn at random offsets; the held-out lines are
        scored after every epoch (loss per token, perplexity, next-token accuracy). The model file
        holds the tokenizer, so `latent generate --checkpoint FILE` needs nothing else.
        """)

    @OptionGroup var options: LanguageModelOptions
    @Flag(help: "Post-LN blocks (the original transformer's layout) instead of pre-LN.")
    var postLN = false

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            let progress = Progress(quiet: false)   // kept alive while its timer runs
            let (tokenizer, train, held) = try options.data(progress: progress)
            let gpt = GPT<Float>(architecture: options.architecture(normFirst: !postLN), training: options.training)
            let model = try gpt.fit(train, heldOut: held, tokenizer: tokenizer, checkpoint: URL(fileURLWithPath: options.output), resume: options.resume,
                                    onEvent: options.reporter(tokensPerStep: options.transformer.batchSize * options.context, perplexity: true))
            if writesFiles { stderr("latent: \(model.decoder.parameterCount) parameters; wrote \(options.output)") }
        } }
    }
}

/// `latent train bert CORPUS -o model.safetensors`: a BERT-style encoder by masked-LM pretraining.
struct TrainBERTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bert",
        abstract: "Pretrain a BERT-style encoder (post-LN, tied MLM head) by masked language modelling on a text file.",
        discussion: """
        Windows are framed [CLS] … [SEP]; 15% of their tokens are chosen (80% [MASK], 10% a random
        token, 10% unchanged) and predicted. The held-out lines are scored after every epoch with
        fixed masks (MLM loss and accuracy per chosen token).
        """)

    @OptionGroup var options: LanguageModelOptions
    @Flag(help: "Pre-LN blocks (with a final LayerNorm) instead of BERT's post-LN.")
    var preLN = false
    @Option(parsing: .unconditional, help: "Fraction of tokens chosen for prediction, in (0, 1].")
    var maskingRate = 0.15

    func validate() throws {
        try OptionRange.check("--masking-rate", maskingRate, above: 0, atMost: 1)
    }

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            let progress = Progress(quiet: false)   // kept alive while its timer runs
            let (tokenizer, train, held) = try options.data(progress: progress)
            let bert = BERT<Float>(architecture: options.architecture(normFirst: preLN), training: options.training, maskingRate: maskingRate)
            let model = try bert.fit(train, heldOut: held, tokenizer: tokenizer, checkpoint: URL(fileURLWithPath: options.output), resume: options.resume,
                                     onEvent: options.reporter(tokensPerStep: options.transformer.batchSize * options.context, perplexity: false))
            if writesFiles { stderr("latent: \(model.encoder.parameterCount) parameters; wrote \(options.output)") }
        } }
    }
}
