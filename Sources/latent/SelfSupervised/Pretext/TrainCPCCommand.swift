import ArgumentParser
import Foundation
import Latent

/// `latent train cpc`: contrastive predictive coding (van den Oord et al. 2018) on Fashion-MNIST.
struct TrainCPCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpc",
        abstract: "Train CPC on Fashion-MNIST: predict patch embeddings rows below from the rows above, InfoNCE against the batch.")

    @OptionGroup var options: PretextTrainingOptions
    @Option(parsing: .unconditional, help: "Training images: the first N of Fashion-MNIST.")
    var limit: Int = 10_000
    @Option(parsing: .unconditional, help: "Side of a patch in pixels (divisible by 2^filter layers).")
    var patchSize: Int = 8
    @Option(parsing: .unconditional, help: "Step between patches in pixels.")
    var patchStride: Int = 4
    @Option(parsing: .unconditional, help: "Patch embedding size.")
    var embeddingSize: Int = 128
    @Option(help: "Rows ahead to predict, comma-separated.")
    var offsets: String = "2,3"
    @Option(parsing: .unconditional, help: "InfoNCE temperature.")
    var temperature: Double = 0.1

    var configuration: ContrastivePredictiveCoding<Float> {
        ContrastivePredictiveCoding(grid: PatchGrid(channels: 1, height: 28, width: 28, size: patchSize, stride: patchStride),
                                    filters: (try? options.filterCounts()) ?? [], embeddingSize: embeddingSize,
                                    offsets: offsets.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                                    temperature: temperature, training: options.training)
    }

    func validate() throws {
        try options.validate()
        try OptionRange.check("--limit", limit, 1...60_000)
        try OptionRange.check("--patch-size", patchSize, 1...28)
        try OptionRange.check("--patch-stride", patchStride, 1...28)
        try OptionRange.check("--embedding-size", embeddingSize, 1...65_536)
        try OptionRange.check("--temperature", temperature, above: 0)
        let parsed = offsets.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { throw ValidationError("--offsets must be comma-separated integers, got \"\(offsets)\"") }
        if let p = configuration.problem(inputSize: 784) { throw ValidationError(p) }
    }

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            try options.checkResume()
            let train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train, folder: options.fashionMNISTFolder)
            let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: options.fashionMNISTFolder)
            let url = URL(fileURLWithPath: options.output)
            let model: FittedContrastivePredictiveCoding<Float>
            if options.untrained {
                model = configuration.untrained()
                if writesFiles { try model.save(to: url) }
            } else {
                stderr("CPC on \(min(limit, train.images.rows)) Fashion-MNIST images, seed \(options.global.seed)")
                model = try configuration.fit(train.prefix(limit).images, evaluation: test.prefix(1000).images, checkpoint: url,
                                              resume: options.resume, onEvent: options.reporter())
            }
            guard writesFiles else { return }
            stderr("wrote \(options.output)")
            try options.writeFeatures(model.encode)
        } }
    }
}
