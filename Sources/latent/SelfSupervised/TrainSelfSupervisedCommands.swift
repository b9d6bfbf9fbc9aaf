import ArgumentParser
import Foundation
import Latent

/// Options shared by `latent train simclr|rotation|context`.
struct SelfSupervisedTrainingOptions: ParsableArguments {
    enum AugmentationKind: String, ExpressibleByArgument, CaseIterable { case simclr, light, none }

    @Option(help: "The data set: fashion-mnist or dsprites (generated).")
    var dataset: ModelDataset = .fashionMNIST
    @Option(help: "Folder holding the Fashion-MNIST files (default: /usr/share/datasets/fashion-mnist).")
    var dataFolder: String?
    @Option(parsing: .unconditional, help: "Training images: the first N of Fashion-MNIST, or N random dSprites images (default: all / 20000).")
    var limit: Int?
    // Defaults from the batch methods' descriptors (the same for simclr, rotation and context
    // where one option serves all three).
    @Option(help: "Output channels of each encoder block (3×3 conv, BatchNorm, ReLU; 2×2 max-pool between), comma-separated.")
    var filters = MethodDescriptor.simCLR.defaults.string("filters")
    @Option(help: "Augmentations: simclr (crop 20–100%, flip, brightness/contrast, blur), light (crop 60–100%, flip) or none (default: \(MethodDescriptor.simCLR.defaults.string("augmentation")) for SimCLR, \(MethodDescriptor.rotationPrediction.defaults.string("augmentation")) for the pretext tasks).")
    var augmentation: AugmentationKind?
    @Option(parsing: .unconditional, help: "Smallest area fraction of the random resized crops (0: the augmentation's own, 20% for simclr, 60% for light).")
    var cropScale = MethodDescriptor.simCLR.defaults.double("crop-scale")
    @Option(parsing: .unconditional, help: "Side of the grid of cells the last feature map is averaged over (1: global average pooling).")
    var featureGrid = MethodDescriptor.simCLR.defaults.int("feature-grid")
    @Option(parsing: .unconditional, help: "Units of a fully connected layer with ReLU after the grid averaging, the encoder's last block (0: none).")
    var dense = MethodDescriptor.simCLR.defaults.int("dense")
    @Option(parsing: .unconditional, help: "How many of the encoder's last blocks the saved representation reads (their grid-averaged outputs side by side).")
    var readoutBlocks = MethodDescriptor.simCLR.defaults.int("readout-blocks")
    @Flag(help: "Divide each block the representation reads by its Euclidean norm before putting them side by side.")
    var normalizedReadout = MethodDescriptor.simCLR.defaults.bool("normalized-readout")
    @Option(parsing: .unconditional, help: "Total number of epochs (a resumed run trains until this many are done).")
    var epochs = MethodDescriptor.simCLR.defaults.int("epochs")
    @Option(parsing: .unconditional, help: "Images per mini-batch (default: \(MethodDescriptor.simCLR.defaults.int("batch-size")) for SimCLR, \(MethodDescriptor.rotationPrediction.defaults.int("batch-size")) for rotation, \(MethodDescriptor.contextPrediction.defaults.int("batch-size")) for context).")
    var batchSize: Int?
    @Option(parsing: .unconditional, help: "Adam's learning rate.")
    var learningRate = MethodDescriptor.simCLR.defaults.double("learning-rate")
    @Option(help: "Model file (.safetensors) for the trained encoder f, written at the end (heads dropped).")
    var output: String
    @Option(help: "Training checkpoint written after every epoch, with the optimizer state (default: OUTPUT.checkpoint).")
    var checkpoint: String?
    @Flag(help: "Continue from the checkpoint instead of starting afresh.")
    var resume = false
    @OptionGroup var distribution: DistributedTrainingOption
    @OptionGroup var global: GlobalOptions

    init() {}

    var checkpointPath: String { checkpoint ?? output + ".checkpoint" }

    func validate() throws {
        try global.validate()
        try OptionRange.check("--limit", limit, OptionRange.count)
        try OptionRange.check("--epochs", epochs, OptionRange.count)
        try OptionRange.check("--batch-size", batchSize, OptionRange.count)
        try OptionRange.check("--learning-rate", learningRate, above: 0)
        try OptionRange.check("--crop-scale", cropScale, atLeast: 0, atMost: 1)
        try OptionRange.check("--feature-grid", featureGrid, ImageEncoderArchitecture.featureGrids)
        _ = try sizes(filters, "--filters")
        try OptionRange.check("--dense", dense, 0...65_536)
        try OptionRange.check("--readout-blocks", readoutBlocks, 1...architecture.blockWidths.count)
        if let p = architecture.problem { throw ValidationError("--filters: \(p)") }
        try OutputSafety.validate(inputs: [.file("--data-folder", dataFolder)],
                                  outputs: [.file("--output", output), .file("--checkpoint", checkpointPath)])
    }

    /// Comma-separated positive integers.
    func sizes(_ text: String, _ option: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 65_536 }) else {
            throw ValidationError("\(option) must be comma-separated integers in 1…65536, got \"\(text)\"")
        }
        return parts.map { $0! }
    }

    var architecture: ImageEncoderArchitecture {
        let (c, h, w) = dataset.imageShape
        return ImageEncoderArchitecture(channels: c, height: h, width: w, filters: (try? sizes(filters, "--filters")) ?? [],
                                        featureGrid: featureGrid, dense: dense, readoutBlocks: readoutBlocks, normalizedReadout: normalizedReadout)
    }

    /// The augmentations chosen, or those of `method`'s descriptor.
    func augmentationSettings(default method: MethodDescriptor) -> AugmentationSettings {
        AugmentationSettings.named((augmentation ?? AugmentationKind(rawValue: method.defaults.string("augmentation"))!).rawValue)!
            .withCropScale(cropScale)
    }

    /// The training settings, with `method`'s descriptor's batch size unless one is given.
    func training(default method: MethodDescriptor) -> TrainingSettings {
        TrainingSettings(epochs: epochs, batchSize: batchSize ?? method.defaults.int("batch-size"), learningRate: learningRate, seed: global.seed)
    }

    /// Loads the data, trains with `fit` (progress on stderr, one line per epoch on stdout with
    /// images per second), and writes the encoder to `--output`.
    func train(_ method: String, _ fit: (Matrix<Float>, Int, URL, Bool, (TrainingEvent) -> Void) throws -> FittedImageEncoder) throws {
        global.apply()
        try distribution.run { writesFiles in try Failures.guarded {
            let checkpointURL = URL(fileURLWithPath: checkpointPath)
            if resume && !FileManager.default.fileExists(atPath: checkpointPath) {
                throw UsageError("--resume: there is no checkpoint at \(checkpointPath)")
            }
            let data = try dataset.load(folder: dataFolder, limit: limit, seed: global.seed)
            let threads = Swift.max(1, global.threads ?? Parallel.threadCount)
            stderr("\(method) on \(dataset.rawValue): \(data.train.rows) training images, encoder \(filters), seed \(global.seed)")
            var last = Date()
            let model = try fit(data.train, threads, checkpointURL, resume) { event in
                switch event {
                case let .step(epoch, batch, batches, _, loss):
                    if Date().timeIntervalSince(last) >= 5 || batch == batches {
                        last = Date()
                        stderr("epoch \(epoch) batch \(batch)/\(batches) loss \(format(loss, 4))")
                    }
                case let .epochFinished(r):
                    print("epoch \(r.epoch)/\(epochs)  train loss \(format(r.trainingLoss, 4))  \(format(r.seconds, 1)) s  \(format(Double(data.train.rows) / r.seconds, 1)) images/s")
                    StandardOutput.flush()
                }
            }
            guard writesFiles else { return }
            try model.save(to: URL(fileURLWithPath: output))
            stderr("wrote \(output) (encoder f, \(model.featureSize) features per image); checkpoint \(checkpointPath)")
        } }
    }
}

/// `latent train simclr`: SimCLR (Chen et al. 2020) with NT-Xent over two augmented views.
struct TrainSimCLRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simclr", abstract: "Train a CNN encoder with SimCLR: two augmented views, projection head, NT-Xent.")

    @OptionGroup var options: SelfSupervisedTrainingOptions
    @Option(parsing: .unconditional, help: "NT-Xent temperature τ.")
    var temperature = MethodDescriptor.simCLR.defaults.double("temperature")
    @Option(help: "Sizes of the projection head g after the encoder, comma-separated.")
    var projection = MethodDescriptor.simCLR.defaults.string("projection")

    init() {}

    var configuration: SimCLR {
        SimCLR(architecture: options.architecture, projection: (try? options.sizes(projection, "--projection")) ?? [],
               temperature: temperature, augmentation: options.augmentationSettings(default: .simCLR), training: options.training(default: .simCLR))
    }

    func validate() throws {
        try OptionRange.check("--temperature", temperature, above: 0, atMost: 100)
        _ = try options.sizes(projection, "--projection")
        if let b = options.batchSize, b < 2 { throw ValidationError("--batch-size must be at least 2 for SimCLR (negatives come from the batch), got \(b)") }
    }

    func run() throws {
        try options.train(SimCLR.method) { x, threads, url, resume, onEvent in
            try configuration.fit(x, threads: threads, checkpoint: url, resume: resume, onEvent: onEvent)
        }
    }
}

/// `latent train rotation`: rotation prediction (Gidaris et al. 2018).
struct TrainRotationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotation", abstract: "Train a CNN encoder to predict which of 0°, 90°, 180°, 270° an image was rotated by.")

    @OptionGroup var options: SelfSupervisedTrainingOptions
    @Option(help: "Hidden sizes of the 4-way classifier head, comma-separated (\"\": linear).")
    var head = MethodDescriptor.rotationPrediction.defaults.string("head")

    init() {}

    func validate() throws {
        if !head.isEmpty { _ = try options.sizes(head, "--head") }
    }

    func run() throws {
        let configuration = RotationPrediction(architecture: options.architecture, head: head.isEmpty ? [] : (try options.sizes(head, "--head")),
                                               augmentation: options.augmentationSettings(default: .rotationPrediction),
                                               training: options.training(default: .rotationPrediction))
        try options.train(RotationPrediction.method) { x, threads, url, resume, onEvent in
            try configuration.fit(x, threads: threads, checkpoint: url, resume: resume, onEvent: onEvent)
        }
    }
}

/// `latent train context`: context prediction (Doersch et al. 2015).
struct TrainContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context", abstract: "Train a CNN encoder to predict the relative position (8 classes) of two patches.")

    @OptionGroup var options: SelfSupervisedTrainingOptions
    @Option(parsing: .unconditional, help: "Side of the square patches.")
    var patchSize = MethodDescriptor.contextPrediction.defaults.int("patch-size")
    @Option(parsing: .unconditional, help: "Pixels between neighbouring patches.")
    var gap = MethodDescriptor.contextPrediction.defaults.int("gap")
    @Option(parsing: .unconditional, help: "Largest random shift of each patch, in pixels.")
    var jitter = MethodDescriptor.contextPrediction.defaults.int("jitter")
    @Option(help: "Hidden sizes of the 8-way classifier head, comma-separated (\"\": linear).")
    var head = MethodDescriptor.contextPrediction.defaults.string("head")

    init() {}

    var configuration: ContextPrediction {
        ContextPrediction(architecture: options.architecture, patchSize: patchSize, gap: gap, jitter: jitter,
                          head: head.isEmpty ? [] : ((try? options.sizes(head, "--head")) ?? []),
                          augmentation: options.augmentationSettings(default: .contextPrediction), training: options.training(default: .contextPrediction))
    }

    func validate() throws {
        try OptionRange.check("--patch-size", patchSize, 1...4096)
        try OptionRange.check("--gap", gap, 0...4096)
        try OptionRange.check("--jitter", jitter, 0...4096)
        if !head.isEmpty { _ = try options.sizes(head, "--head") }
        if let p = configuration.problem { throw ValidationError(p) }
    }

    func run() throws {
        try options.train(ContextPrediction.method) { x, threads, url, resume, onEvent in
            try configuration.fit(x, threads: threads, checkpoint: url, resume: resume, onEvent: onEvent)
        }
    }
}
