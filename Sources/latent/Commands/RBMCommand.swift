import ArgumentParser
import Foundation
import Latent

/// `latent rbm INPUT`: Bernoulli restricted Boltzmann machine.
struct RBMCommand: ParsableCommand, FitCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbm",
        abstract: "Bernoulli RBM: hidden-unit probabilities z1…zk, pseudo-likelihood per epoch.",
        discussion: """
        Example:
          latent rbm train-images-idx3-ubyte.gz --scale --hidden 64 -o h.npy

        Inputs must lie in [0, 1] (use --scale for IDX pixels). Training runs
        BernoulliRBMTrainer batch by batch exactly as BernoulliRBM.fit does
        (same numbers for the same seed and threads), with progress; after
        each epoch it scores up to --monitor-samples rows.
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
        .rbm(try Self.train(options, x, progress: progress))
    }

    /// `BernoulliRBM.fit` step by step: the same random streams, batches and monitoring.
    static func train(_ options: BernoulliRBM<Double>, _ x: Matrix<Double>, progress: Progress) throws -> BernoulliRBMModel<Double> {
        try options.validate()
        if let i = x.storage.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw Failure("rbm needs values in [0, 1]; row \(i / x.columns + 1), column \(i % x.columns + 1) is \(Summary.format(x.storage[i])) (IDX pixels: add --scale)")
        }
        let (n, d) = (x.rows, x.columns)
        var trainer = BernoulliRBMTrainer(options, features: d)
        var orderRNG = Xoshiro256StarStar(seed: options.seed)
        orderRNG.jump()
        let monitorRows = orderRNG.choice(n, count: min(options.monitorSamples, n)).sorted()
        let monitor = x.rows(at: monitorRows)
        let monitorFlips = monitorRows.map { _ in orderRNG.integer(below: d) }
        let batchesPerEpoch = (n + options.batchSize - 1) / options.batchSize
        let reporter = progress.steps("rbm training", total: options.epochs * batchesPerEpoch)
        var reconstruction = [Double](), pseudoLikelihood = [Double]()
        for epoch in 0..<options.epochs {
            let order = options.shuffle ? orderRNG.permutation(n) : nil
            for (b, start) in stride(from: 0, to: n, by: options.batchSize).enumerated() {
                let rows = min(options.batchSize, n - start)
                let batch = order.map { x.rows(at: Array($0[start..<start + rows])) } ?? x.rows(start..<start + rows)
                try trainer.partialFit(batch)
                reporter.update(done: epoch * batchesPerEpoch + b + 1,
                                detail: "epoch \(epoch + 1)/\(options.epochs)" + (pseudoLikelihood.last.map { ", pseudo-likelihood \(Summary.format($0))" } ?? ""))
            }
            guard trainer.weights.isFinite, trainer.hiddenBias.allSatisfy(\.isFinite), trainer.visibleBias.allSatisfy(\.isFinite) else {
                throw Failure("rbm: --learning-rate \(options.learningRate) made the weights overflow in epoch \(epoch + 1); try a smaller one")
            }
            if !monitorRows.isEmpty {
                let model = trainer.model(report: FitReport(iterations: epoch + 1, finalChange: 0, converged: true))
                reconstruction.append(try model.reconstructionError(monitor))
                pseudoLikelihood.append(try model.pseudoLikelihood(monitor, flipping: monitorFlips).reduce(0.0) { $0 + Double($1) }
                                        / Double(monitorRows.count))
            }
        }
        reporter.finish(steps: options.epochs * batchesPerEpoch,
                        detail: pseudoLikelihood.last.map { "pseudo-likelihood \(Summary.format($0))" } ?? "")
        let change = reconstruction.count >= 2 ? abs(reconstruction[reconstruction.count - 1] - reconstruction[reconstruction.count - 2]) : 0
        let report = FitReport(iterations: options.epochs, finalChange: change, converged: true, objective: reconstruction)
        return trainer.model(report: report, pseudoLikelihood: pseudoLikelihood)
    }
}
