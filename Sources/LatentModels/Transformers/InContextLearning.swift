import Foundation
import LatentCore
import LatentNN

/// In-context few-shot learning in miniature (Brown et al. 2020, "Language Models are Few-Shot
/// Learners"): a small GPT decoder is trained on sequences of `maximumDemonstrations`
/// demonstrations of random substitution tasks (`SubstitutionTasks`, training half), then asked
/// to answer queries of *held-out* tasks given `k` demonstrations in the prompt, with no gradient
/// update: `FittedInContextModel.accuracy(demonstrations:)`.
public struct InContextLearning: Codable, Sendable, Equatable {
    public var tasks: SubstitutionTasks
    /// Demonstrations per training sequence (≥ 1); the context fits exactly this many plus a query.
    public var maximumDemonstrations: Int
    /// Layers, width, heads and dropout of the decoder (its `context` is set from the tasks).
    public var architecture: TransformerArchitecture
    public var training: LanguageModelTraining

    /// The defaults are the documented run (docs/transformers.md): 8 plain → 32 cipher symbols,
    /// words of 1, no markers, 8000 steps.
    public init(tasks: SubstitutionTasks = SubstitutionTasks(alphabet: 8, cipherSymbols: 32, wordLength: 1, markers: false),
                maximumDemonstrations: Int = 8,
                architecture: TransformerArchitecture = TransformerArchitecture(layers: 2, modelSize: 64, heads: 4, dropout: 0, normFirst: true),
                training: LanguageModelTraining = LanguageModelTraining(epochs: 8, stepsPerEpoch: 1000, batchSize: 32, learningRate: 3e-3,
                                                                        warmupSteps: 100, weightDecay: 0.01)) {
        self.tasks = tasks
        self.maximumDemonstrations = maximumDemonstrations
        self.architecture = architecture
        self.architecture.context = tasks.sequenceLength(demonstrations: maximumDemonstrations)
        self.training = training
    }

    /// The value of the `kind` metadata entry in its checkpoints.
    public static var kind: String { "in-context" }

    /// Trains the decoder (checkpointed after every epoch, resumable exactly) and returns it.
    /// - Throws: `LanguageModelError.invalidConfiguration`, `TrainingError`, `IOError`/`CheckpointError`.
    public func fit(checkpoint: URL? = nil, resume: Bool = false, onEvent: (TrainingEvent) -> Void = { _ in }) throws -> FittedInContextModel {
        if maximumDemonstrations < 1 { throw LanguageModelError.invalidConfiguration("maximum demonstrations \(maximumDemonstrations) must be at least 1") }
        if let p = architecture.problem ?? training.problem { throw LanguageModelError.invalidConfiguration(p) }
        let decoder = GPTDecoder<Float>(architecture: architecture, vocabularySize: tasks.vocabularySize, seed: training.seed)
        let (family, k) = (tasks, maximumDemonstrations)
        let train = DataPipeline<(inputs: [Int], targets: [Int]), LanguageModelBatch>(
            count: training.stepsPerEpoch * training.batchSize, batchSize: training.batchSize, shuffle: false, seed: training.seed,
            sample: { _, rng in family.trainingRow(demonstrations: k, using: &rng) }, collate: { LanguageModelBatch(rows: $0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = ["kind": Self.kind, "configuration": String(decoding: try encoder.encode(self), as: UTF8.self)]
        let reports = try LanguageModelFiles.run(CausalLanguageModelTask(decoder), training: train, evaluation: nil, settings: training,
                                                 metadata: metadata, checkpoint: checkpoint, resume: resume, onEvent: onEvent)
        decoder.eval()
        return FittedInContextModel(configuration: self, decoder: decoder, history: reports)
    }
}

/// Accuracy on held-out tasks with `demonstrations` examples in the prompt.
public struct InContextScore: Sendable, Equatable {
    /// Demonstrations in the prompt (k).
    public let demonstrations: Int
    /// Fraction of queries whose whole answer was right (greedy decoding).
    public let exactMatch: Double
    /// Fraction of answer symbols that were right.
    public let symbolAccuracy: Double
    /// The expected symbol accuracy of an ideal in-context learner on the same prompts.
    public let idealSymbolAccuracy: Double
    /// Symbol accuracy of guessing: `1 / outputCount`.
    public let chance: Double
    /// Queries scored.
    public let queries: Int
}

/// A decoder trained for in-context learning.
public final class FittedInContextModel {
    public let configuration: InContextLearning
    public let decoder: GPTDecoder<Float>
    public let history: [EpochReport]

    init(configuration: InContextLearning, decoder: GPTDecoder<Float>, history: [EpochReport]) {
        self.configuration = configuration
        self.decoder = decoder
        self.history = history
    }

    /// Scores `queries` held-out tasks, each a prompt of `k` demonstrations and a query, whose
    /// answer is decoded greedily with the key/value cache (no gradient, no weight change).
    /// Tasks and words come from `seed` alone, so every `k` can be scored on its own.
    /// - Precondition: `0 ≤ k ≤ maximumDemonstrations`, `queries ≥ 1`.
    public func accuracy(demonstrations k: Int, queries: Int = 500, seed: UInt64 = 1) -> InContextScore {
        let family = configuration.tasks
        precondition(k >= 0 && k <= configuration.maximumDemonstrations && queries >= 1,
                     "accuracy: k = \(k) outside 0…\(configuration.maximumDemonstrations) or no queries")
        var rng = Xoshiro256StarStar(seed: seed)
        var exact = 0, symbols = 0, ideal = 0.0
        for _ in 0..<queries {
            let task = family.task(heldOut: true, using: &rng)
            let (tokens, answer) = family.sequence(task: task, demonstrations: k, using: &rng)
            let prompt = Array(tokens[..<answer.lowerBound])
            let output = decoder.generate(prompt: prompt, count: family.wordLength)
            let right = zip(output, tokens[answer]).filter { $0 == $1 }.count
            symbols += right
            if right == family.wordLength { exact += 1 }
            ideal += family.idealAccuracy(task: task, tokens: tokens, demonstrations: k)
        }
        return InContextScore(demonstrations: k, exactMatch: Double(exact) / Double(queries),
                              symbolAccuracy: Double(symbols) / Double(queries * family.wordLength),
                              idealSymbolAccuracy: ideal / Double(queries), chance: 1 / Double(family.outputCount), queries: queries)
    }
}
