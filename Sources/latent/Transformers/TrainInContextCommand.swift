import ArgumentParser
import Foundation
import Latent

/// `latent train in-context`: the in-context few-shot experiment (docs/transformers.md): a small
/// decoder trained on demonstrations of random substitution ciphers, scored on held-out ciphers
/// with k = 0, 1, 2, 4, 8 demonstrations in the prompt.
struct TrainInContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "in-context",
        abstract: "Train a small GPT on sequences of cipher demonstrations; score held-out ciphers with k demonstrations (no gradient).",
        discussion: """
        Each task maps the --alphabet plain symbols to distinct symbols of a separate alphabet of
        --cipher-symbols (0: a permutation of the plain symbols), applied to words of --word-length
        symbols; tasks are split in two halves by a hash, training sees one half only. Prints the
        accuracy per k (exact answers, symbols, and an ideal in-context learner's expected symbol
        accuracy); --plot writes the curve as an SVG line plot, --csv the numbers.
        """)

    @Option(parsing: .unconditional, help: "Plain symbols (2…64).")
    var alphabet = 8
    @Option(parsing: .unconditional, help: "Cipher symbols, a separate alphabet (--alphabet…512); 0: the cipher permutes the plain symbols.")
    var cipherSymbols = 32
    @Option(parsing: .unconditional, help: "Symbols per word (1…16).")
    var wordLength = 1
    @Flag(inversion: .prefixedNo, help: "Write a demonstration `x > y ;` (--markers) or plainly `x y` (--no-markers).")
    var markers = false
    @Option(parsing: .unconditional, help: "Demonstrations per training sequence (1…64); the largest k scored.")
    var demonstrations = 8
    @OptionGroup var transformer: TransformerTrainingOptions<InContextPreset>
    @Option(parsing: .unconditional, help: "Held-out queries scored per k (1…1000000).")
    var queries = 500
    @Option(help: "Checkpoint file (.safetensors), written after every epoch.")
    var checkpoint: String?
    @Flag(help: "Continue from --checkpoint (same settings).")
    var resume = false
    @Option(help: "Write the accuracy curve here (SVG).")
    var plot: String?
    @Option(help: "Write k and the accuracies here (CSV).")
    var csv: String?
    @OptionGroup var distribution: DistributedTrainingOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try OptionRange.check("--alphabet", alphabet, 2...64)
        if cipherSymbols != 0 { try OptionRange.check("--cipher-symbols", cipherSymbols, alphabet...512) }
        try OptionRange.check("--word-length", wordLength, 1...16)
        try OptionRange.check("--demonstrations", demonstrations, 1...64)
        try OptionRange.check("--queries", queries, 1...1_000_000)
        if resume && checkpoint == nil { throw ValidationError("--resume needs --checkpoint") }
        try OutputSafety.validate(inputs: [], outputs: [.file("--checkpoint", checkpoint), .file("--plot", plot), .file("--csv", csv)])
    }

    func run() throws {
        global.apply()
        // distributed: every rank trains and scores (the same numbers); rank 0 writes the files
        try distribution.run { writesFiles in try Failures.guarded {
            if resume, let checkpoint, !FileManager.default.fileExists(atPath: checkpoint) { throw UsageError("--resume: there is no checkpoint at \(checkpoint)") }
            let (layers, modelSize, heads) = (transformer.layers, transformer.modelSize, transformer.heads)
            let (epochs, steps, batchSize, learningRate) = (transformer.epochs, transformer.steps, transformer.batchSize, transformer.learningRate)
            let config = InContextLearning(
                tasks: SubstitutionTasks(alphabet: alphabet, cipherSymbols: cipherSymbols == 0 ? nil : cipherSymbols,
                                         wordLength: wordLength, markers: markers), maximumDemonstrations: demonstrations,
                architecture: TransformerArchitecture(layers: layers, modelSize: modelSize, heads: heads, dropout: 0, normFirst: true),
                training: LanguageModelTraining(epochs: epochs, stepsPerEpoch: steps, batchSize: batchSize, learningRate: learningRate,
                                                warmupSteps: Swift.min(100, steps), weightDecay: 0.01, evaluationWindows: 0, seed: global.seed))
            let progress = Progress(quiet: false)
            var reporter = progress.steps("epoch 1/\(epochs)", total: steps)
            let model = try config.fit(checkpoint: checkpoint.map { URL(fileURLWithPath: $0) }, resume: resume) { event in
                switch event {
                case let .step(epoch, batch, batches, _, loss):
                    if batch == 1 { reporter = progress.steps("epoch \(epoch)/\(epochs)", total: batches) }
                    reporter.update(done: batch, detail: "loss \(formatted(loss, 3))")
                case let .epochFinished(r):
                    print("epoch \(r.epoch)/\(epochs)  step \(r.step)  train loss \(formatted(r.trainingLoss, 4))  \(formatted(r.seconds, 1)) s")
                }
            }
            let ks = [0, 1, 2, 4, 8, 16, 32, 64].filter { $0 <= demonstrations }
            print("k  exact-match  symbol-accuracy  ideal-learner  chance   (\(queries) held-out ciphers per k)")
            var scores: [InContextScore] = []
            for k in ks {
                let s = model.accuracy(demonstrations: k, queries: queries, seed: global.seed &+ 1_000)
                scores.append(s)
                print("\(k)  \(formatted(s.exactMatch, 4))  \(formatted(s.symbolAccuracy, 4))  \(formatted(s.idealSymbolAccuracy, 4))  \(formatted(s.chance, 4))")
            }
            if writesFiles, let csv {
                let rows = scores.map { "\($0.demonstrations),\(formatted($0.exactMatch, 6)),\(formatted($0.symbolAccuracy, 6)),\(formatted($0.idealSymbolAccuracy, 6)),\(formatted($0.chance, 6))" }
                let table = (["k,exact_match,symbol_accuracy,ideal_symbol_accuracy,chance"] + rows).joined(separator: "\n") + "\n"
                try AtomicFile.write(Data(table.utf8), to: URL(fileURLWithPath: csv))
            }
            if writesFiles, let plot {
                let x = scores.map { Double($0.demonstrations) }
                let chart = LinePlot(title: "In-context learning of held-out substitution ciphers (\(alphabet) → \(cipherSymbols == 0 ? alphabet : cipherSymbols) symbols)",
                                     xLabel: "demonstrations in the prompt (k)", yLabel: "accuracy on the query", yRange: 0...1)
                try chart.write([LinePlot.Series(name: "symbol accuracy", x: x, y: scores.map(\.symbolAccuracy)),
                                 LinePlot.Series(name: "exact answer", x: x, y: scores.map(\.exactMatch)),
                                 LinePlot.Series(name: "ideal in-context learner", x: x, y: scores.map(\.idealSymbolAccuracy)),
                                 LinePlot.Series(name: "chance (symbol)", x: x, y: scores.map(\.chance))], to: URL(fileURLWithPath: plot))
            }
        } }
    }
}

/// `train in-context`'s transformer defaults and ranges (a small model on short cipher sequences).
enum InContextPreset: TransformerTrainingPreset {
    static let layers = IntegerSetting(2, 1...16)
    static let modelSize = IntegerSetting(64, 1...1024)
    static let heads = IntegerSetting(4, 1...64)
    static let epochs = IntegerSetting(8, 1...10_000)
    static let steps = IntegerSetting(1000, 1...10_000_000)
    static let batchSize = IntegerSetting(32, 1...10_000)
    static let learningRate = 3e-3
    static let maximumLearningRate = 1.0
}
