import ArgumentParser

/// The transformer's size and its optimizer schedule: the options `train gpt|bert` and
/// `train in-context` share, with each command's defaults and ranges taken from `Preset`.
struct TransformerTrainingOptions<Preset: TransformerTrainingPreset>: ParsableArguments {
    @Option(parsing: .unconditional, help: "Transformer blocks (\(Preset.layers.range)).")
    var layers = Preset.layers.value
    @Option(parsing: .unconditional, help: "Model width D (\(Preset.modelSize.range), a multiple of --heads).")
    var modelSize = Preset.modelSize.value
    @Option(parsing: .unconditional, help: "Attention heads (\(Preset.heads.range)).")
    var heads = Preset.heads.value
    @Option(parsing: .unconditional, help: "Checkpointed epochs (\(Preset.epochs.range)).")
    var epochs = Preset.epochs.value
    @Option(parsing: .unconditional, help: "Optimizer steps per epoch (\(Preset.steps.range)).")
    var steps = Preset.steps.value
    @Option(parsing: .unconditional, help: "Sequences per step (\(Preset.batchSize.range)).")
    var batchSize = Preset.batchSize.value
    @Option(parsing: .unconditional, help: "Peak AdamW learning rate (> 0, ≤ \(Preset.maximumLearningRate.shortText)).")
    var learningRate = Preset.learningRate

    func validate() throws {
        for (name, value, setting) in [("--layers", layers, Preset.layers), ("--model-size", modelSize, Preset.modelSize), ("--heads", heads, Preset.heads),
                                       ("--epochs", epochs, Preset.epochs), ("--steps", steps, Preset.steps), ("--batch-size", batchSize, Preset.batchSize)] {
            try OptionRange.check(name, value, setting.bounds)
        }
        if modelSize % heads != 0 { throw ValidationError("--model-size \(modelSize) must be a multiple of --heads \(heads)") }
        try OptionRange.check("--learning-rate", learningRate, above: 0, atMost: Preset.maximumLearningRate)
    }
}

/// A command's defaults and allowed ranges for `TransformerTrainingOptions`.
protocol TransformerTrainingPreset {
    static var layers: IntegerSetting { get }
    static var modelSize: IntegerSetting { get }
    static var heads: IntegerSetting { get }
    static var epochs: IntegerSetting { get }
    static var steps: IntegerSetting { get }
    static var batchSize: IntegerSetting { get }
    static var learningRate: Double { get }
    static var maximumLearningRate: Double { get }
}

/// An integer option's default and the range it must lie in.
struct IntegerSetting {
    let value: Int
    let bounds: ClosedRange<Int>

    init(_ value: Int, _ bounds: ClosedRange<Int>) {
        self.value = value
        self.bounds = bounds
    }

    /// `1…64`, as help texts write ranges.
    var range: String { "\(bounds.lowerBound)…\(bounds.upperBound)" }
}

private extension Double {
    /// `1` or `10`, not `1.0`.
    var shortText: String { self == rounded() ? String(Int(self)) : String(self) }
}
