import ArgumentParser
import Foundation
import Latent

/// `latent train inpainting`: a context encoder (Pathak et al. 2016) on Fashion-MNIST.
struct TrainInpaintingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inpainting",
        abstract: "Train a context encoder (Pathak et al. 2016) on Fashion-MNIST: fill masked regions, L2 on the hole.")

    enum MaskKind: String, ExpressibleByArgument, CaseIterable { case centre, blocks, regions }

    @OptionGroup var options: PretextTrainingOptions
    @Option(parsing: .unconditional, help: "Training images: the first N of Fashion-MNIST.")
    var limit: Int = 10_000
    @Option(help: "Hole: centre (fixed square), blocks (random squares) or regions (random unions of rectangles).")
    var mask: MaskKind = .centre
    @Option(parsing: .unconditional, help: "Side of the centre square or of each block as a fraction of the image, or the regions' coverage.")
    var maskFraction: Double = 0.5
    @Option(parsing: .unconditional, help: "Number of random blocks (--mask blocks).")
    var blocks: Int = 3
    @Option(parsing: .unconditional, help: "Size of the bottleneck between encoder and decoder.")
    var codeSize: Int = 128

    var configuration: ContextEncoder<Float> {
        let hole: InpaintingMask = switch mask {
        case .centre: .centre(fraction: maskFraction)
        case .blocks: .randomBlocks(count: blocks, fraction: maskFraction)
        case .regions: .randomRegions(coverage: maskFraction)
        }
        return ContextEncoder(channels: 1, height: 28, width: 28, filters: (try? options.filterCounts()) ?? [], codeSize: codeSize,
                              mask: hole, training: options.training)
    }

    func validate() throws {
        try options.validate()
        try OptionRange.check("--limit", limit, 1...60_000)
        try OptionRange.check("--blocks", blocks, 1...1000)
        try OptionRange.check("--code-size", codeSize, OptionRange.count)
        try OptionRange.check("--mask-fraction", maskFraction, above: 0, below: 1)
        if let p = configuration.problem(inputSize: 784) { throw ValidationError(p) }
    }

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            try options.checkResume()
            let train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train, folder: options.fashionMNISTFolder)
            let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: options.fashionMNISTFolder)
            let url = URL(fileURLWithPath: options.output)
            let model: FittedContextEncoder<Float>
            if options.untrained {
                model = configuration.untrained(inputSize: 784)
                if writesFiles { try model.save(to: url) }
            } else {
                stderr("context encoder on \(min(limit, train.images.rows)) Fashion-MNIST images, seed \(options.global.seed)")
                model = try configuration.fit(train.prefix(limit).images, evaluation: test.prefix(1000).images, checkpoint: url,
                                              resume: options.resume, onEvent: options.reporter())
            }
            guard writesFiles else { return }
            stderr("wrote \(options.output)")
            try options.writeFeatures(model.encode)
        } }
    }
}
