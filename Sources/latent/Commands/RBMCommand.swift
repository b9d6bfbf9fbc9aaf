import ArgumentParser
import Foundation
import Latent

/// `latent rbm INPUT`: Bernoulli restricted Boltzmann machine.
struct RBMCommand: ParsableCommand, FitCommand {
    var method: MethodDescriptor { .rbm }

    static let configuration = CommandConfiguration(
        commandName: "rbm",
        abstract: "Bernoulli RBM: hidden-unit probabilities z1…zk, pseudo-likelihood per epoch.",
        discussion: """
        Example:
          latent rbm train-images-idx3-ubyte.gz --scale --hidden 64 -o h.npy

        Inputs must lie in [0, 1] (use --scale for IDX pixels). Training is
        BernoulliRBM.fit (same numbers as a batch run for the same seed and
        threads), with progress from its events; after each epoch it scores
        up to --monitor-samples rows.
        """)

    @Option(parsing: .unconditional, help: "Hidden units.")
    var hidden = MethodDescriptor.rbm.defaults.int("hidden")

    @Option(parsing: .unconditional, help: "Learning rate.")
    var learningRate = MethodDescriptor.rbm.defaults.double("learning-rate")

    @Option(parsing: .unconditional, help: "Rows per update.")
    var batchSize = MethodDescriptor.rbm.defaults.int("batch-size")

    @Option(parsing: .unconditional, help: "Passes over the data.")
    var epochs = MethodDescriptor.rbm.defaults.int("epochs")

    @Option(parsing: .unconditional, help: "Gibbs steps per update (CD-k / PCD-k).")
    var cdK = 1

    @Flag(inversion: .prefixedNo, help: "Persistent chains (PCD, scikit-learn's choice); --no-persistent for plain CD-k.")
    var persistent = true

    @Flag(help: "Visit the rows in a new random order each epoch.")
    var shuffle = false

    @Option(parsing: .unconditional, help: "Rows scored after each epoch (pseudo-likelihood, reconstruction error); 0 for none.")
    var monitorSamples = 1000

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    func validate() throws {
        try OptionRange.check("--hidden", hidden, OptionRange.count)
        try OptionRange.check("--learning-rate", learningRate, above: 0)
        try OptionRange.check("--batch-size", batchSize, OptionRange.count)
        try OptionRange.check("--epochs", epochs, OptionRange.countOrZero)
        try OptionRange.check("--cd-k", cdK, 1...10_000)
        try OptionRange.check("--monitor-samples", monitorSamples, OptionRange.countOrZero)
    }

    var recordedOptions: [String: JSONValue] {
        ["hidden": .int(hidden), "learningRate": .number(learningRate), "batchSize": .int(batchSize), "epochs": .int(epochs),
         "cdK": .int(cdK), "persistent": .bool(persistent), "shuffle": .bool(shuffle), "monitorSamples": .int(monitorSamples),
         "seed": .string(String(global.seed))]
    }

    var options: BernoulliRBM<Double> {
        BernoulliRBM(hiddenUnits: hidden, learningRate: learningRate, batchSize: batchSize, epochs: epochs,
                     sampling: persistent ? .persistent(steps: cdK) : .contrastiveDivergence(steps: cdK),
                     shuffle: shuffle, monitorSamples: monitorSamples, seed: global.seed)
    }

    func run() throws { try runFit() }

    /// Weights, their gradient and momentum (k × d each), and the n × k hidden probabilities.
    func memoryNeed(samples: Int, features: Int) -> (bytes: Double, what: String, hint: String)? {
        let (n, d, k) = (Double(samples), Double(features), Double(hidden))
        return ((4 * k * d + 2 * n * k + 4 * Double(batchSize) * (k + d)) * 8, "an rbm with --hidden \(hidden) on \(features) features", "use fewer --hidden units")
    }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        try Self.train(options, x, progress: progress).fittedModel
    }

    /// `BernoulliRBM.fit` with its events drawn as progress (a bar over all updates, the last
    /// epoch's pseudo-likelihood as detail).
    static func train(_ options: BernoulliRBM<Double>, _ x: Matrix<Double>, progress: Progress) throws -> BernoulliRBMModel<Double> {
        try options.validate()
        if let i = x.storage.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw Failure("rbm needs values in [0, 1]; row \(i / x.columns + 1), column \(i % x.columns + 1) is \(Summary.format(x.storage[i])) (IDX pixels: add --scale)")
        }
        let steps = options.epochs * ((x.rows + options.batchSize - 1) / options.batchSize)
        let reporter = progress.steps("rbm training", total: steps)
        var score: Double?
        let model: BernoulliRBMModel<Double>
        do {
            model = try options.fit(x) { event in
                switch event {
                case let .step(step, _, epoch, _):
                    reporter.update(done: step, detail: "epoch \(epoch)/\(options.epochs)" + (score.map { ", pseudo-likelihood \(Summary.format($0))" } ?? ""))
                case let .epochFinished(_, _, epochScore):
                    score = epochScore
                }
            }
        } catch let EstimatorError.invalidParameter(_, name, reason) where name == "learningRate" {
            throw Failure("rbm: --learning-rate \(reason); try a smaller one")
        }
        reporter.finish(steps: steps, detail: score.map { "pseudo-likelihood \(Summary.format($0))" } ?? "")
        return model
    }
}
