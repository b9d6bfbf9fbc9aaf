import ArgumentParser
import Foundation
import Latent

/// Options shared by `latent train inpainting|colorization|cpc`: optimisation, the model file,
/// and the frozen Fashion-MNIST features written after training for `latent fewshot|probe`.
struct PretextTrainingOptions: ParsableArguments {
    @Option(help: "Folder holding the Fashion-MNIST files (default: /usr/share/datasets/fashion-mnist).")
    var dataFolder: String?
    @Option(help: "Filters of each 4×4 stride-2 convolution of the encoder, comma-separated.")
    var filters: String = "32,64"
    @Option(parsing: .unconditional, help: "Total number of epochs (a resumed run trains until this many are done).")
    var epochs: Int = 5
    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize: Int = 64
    @Option(parsing: .unconditional, help: "Adam's learning rate.")
    var learningRate: Double = 1e-3
    @Option(help: "Model file (.safetensors): the checkpoint written after every epoch, with the optimizer state for --resume.")
    var output: String
    @Flag(help: "Continue from --output's checkpoint instead of starting afresh.")
    var resume = false
    @Flag(help: "Do not train: save the randomly initialised network (the control row of an evaluation).")
    var untrained = false
    @Option(help: "Folder to write frozen encoder features of Fashion-MNIST into: train.npy, train-labels.npy, test.npy, test-labels.npy.")
    var features: String?
    @Option(parsing: .unconditional, help: "With --features: encode the first N Fashion-MNIST training images.")
    var featureTrain: Int = 10_000
    @Option(parsing: .unconditional, help: "With --features: encode the first N Fashion-MNIST test images.")
    var featureTest: Int = 10_000
    @OptionGroup var distribution: DistributedTrainingOption
    @OptionGroup var global: GlobalOptions

    static let featureFiles = ["train.npy", "train-labels.npy", "test.npy", "test-labels.npy"]

    /// The filter counts. - Throws: `ValidationError` unless positive integers.
    func filterCounts() throws -> [Int] {
        let parts = filters.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 4096 }) else {
            throw ValidationError("--filters must be comma-separated integers in 1…4096, got \"\(filters)\"")
        }
        return parts.map { $0! }
    }

    func validate(inputs: [OutputSafety.Named?] = []) throws {
        try global.validate()
        try OptionRange.check("--epochs", epochs, 1...1_000_000)
        try OptionRange.check("--batch-size", batchSize, 1...1_000_000)
        try OptionRange.check("--learning-rate", learningRate, above: 0)
        try OptionRange.check("--feature-train", featureTrain, 1...60_000)
        try OptionRange.check("--feature-test", featureTest, 1...10_000)
        _ = try filterCounts()
        if resume && untrained { throw ValidationError("--resume and --untrained exclude each other") }
        var outputs: [OutputSafety.Named?] = [.file("--output", output)]
        if let features {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: features, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--features: \(features) is not an existing folder")
            }
            outputs += Self.featureFiles.map { .file("--features", URL(fileURLWithPath: features).appendingPathComponent($0).path) }
        }
        try OutputSafety.validate(inputs: inputs, outputs: outputs)
    }

    var training: TrainingSettings {
        TrainingSettings(epochs: epochs, batchSize: batchSize, learningRate: learningRate, seed: global.seed)
    }

    var fashionMNISTFolder: URL { dataFolder.map { URL(fileURLWithPath: $0) } ?? FashionMNIST.defaultFolder }

    func checkResume() throws {
        if resume && !FileManager.default.fileExists(atPath: output) { throw UsageError("--resume: there is no checkpoint at \(output)") }
    }

    /// Progress on stderr every few seconds; one line per epoch on stdout.
    func reporter() -> (TrainingEvent) -> Void {
        var last = Date()
        return { event in
            switch event {
            case let .step(epoch, batch, batches, _, loss):
                if Date().timeIntervalSince(last) >= 5 || batch == batches {
                    last = Date()
                    stderr("epoch \(epoch) batch \(batch)/\(batches) loss \(format(loss, 4))")
                }
            case let .epochFinished(r):
                let held = r.evaluationLoss.map { ["held-out loss \(format($0, 4))"] } ?? []
                print((["epoch \(r.epoch)/\(epochs)", "train loss \(format(r.trainingLoss, 4))"] + held + ["\(format(r.seconds, 1)) s"]).joined(separator: "  "))
                StandardOutput.flush()
            }
        }
    }

    /// Writes `encode`'s features of the first `featureTrain`/`featureTest` Fashion-MNIST images and
    /// their labels into `--features` (atomically, float32 .npy and int64 labels).
    func writeFeatures(_ encode: (Matrix<Float>) -> Matrix<Float>) throws {
        guard let features else { return }
        let folder = URL(fileURLWithPath: features)
        for (split, limit, name) in [(FashionMNIST.Split.train, featureTrain, "train"), (.test, featureTest, "test")] {
            let data: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: split, folder: fashionMNISTFolder)
            let part = data.prefix(limit)
            let z = encode(part.images)
            if let bad = z.storage.firstIndex(where: { !$0.isFinite }) {
                throw Failure("the encoder's feature \(bad % z.columns + 1) of \(name) image \(bad / z.columns + 1) is not finite")
            }
            try NPY.write(z, to: folder.appendingPathComponent("\(name).npy"))
            try NPY.write(integers: part.labels, to: folder.appendingPathComponent("\(name)-labels.npy"))
            stderr("wrote \(z.rows) × \(z.columns) \(name) features to \(folder.appendingPathComponent("\(name).npy").path)")
        }
    }
}
