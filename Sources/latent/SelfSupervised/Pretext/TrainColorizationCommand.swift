import ArgumentParser
import Foundation
import Latent

/// `latent train colorization`: Lab regression from lightness (Zhang et al. 2016's task) on
/// natural-image patches made by `latent data patches --layout lab`.
struct TrainColorizationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "colorization",
        abstract: "Train a colorization network (a*b* regression from L*, Zhang et al. 2016's task) on Lab patches of photographs.")

    @OptionGroup var options: PretextTrainingOptions
    @Option(help: "Lab patches (.npy, n × 3·size², from `latent data patches --layout lab`); the last 10% are held out.")
    var patches: String
    @Option(parsing: .unconditional, help: "Size of the bottleneck between encoder and decoder.")
    var codeSize: Int = 128

    func validate() throws {
        try options.validate(inputs: [.file("--patches", patches)])
        try OptionRange.check("--code-size", codeSize, OptionRange.count)
    }

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            try options.checkResume()
            let lab: Matrix<Float> = try NPY.read(URL(fileURLWithPath: patches))
            let side = Int(Double(lab.columns / 3).squareRoot().rounded())
            guard lab.columns == 3 * side * side, lab.rows >= 2 else {
                throw Failure("\(patches): \(lab.rows) × \(lab.columns) is not at least 2 rows of 3·size² Lab values")
            }
            if options.features != nil && side != 28 {
                throw Failure("\(patches): --features encodes 28 × 28 Fashion-MNIST images, the patches are \(side) × \(side)")
            }
            let configuration = Colorization<Float>(height: side, width: side, filters: try options.filterCounts(), codeSize: codeSize,
                                                    training: options.training)
            if let p = configuration.problem(inputSize: lab.columns) { throw Failure("\(patches): \(p)") }
            let url = URL(fileURLWithPath: options.output)
            let model: FittedColorization<Float>
            if options.untrained {
                model = configuration.untrained()
                if writesFiles { try model.save(to: url) }
            } else {
                let held = max(1, lab.rows / 10)
                let train = Matrix(rows: lab.rows - held, columns: lab.columns, storage: Array(lab.storage[..<((lab.rows - held) * lab.columns)]))
                let test = Matrix(rows: held, columns: lab.columns, storage: Array(lab.storage[((lab.rows - held) * lab.columns)...]))
                stderr("colorization on \(train.rows) Lab patches of \(side) × \(side) (\(held) held out), seed \(options.global.seed)")
                model = try configuration.fit(train, evaluation: test, checkpoint: url, resume: options.resume, onEvent: options.reporter())
            }
            guard writesFiles else { return }
            stderr("wrote \(options.output)")
            try options.writeFeatures(model.encode)
        } }
    }
}
