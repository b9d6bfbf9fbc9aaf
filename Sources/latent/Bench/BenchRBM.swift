import ArgumentParser
import Foundation
import Latent

/// `latent bench rbm`: time `BernoulliRBM.fit` (PCD-1, batches in data order, like scikit-learn)
/// on a Float32 `.npy` matrix with values in [0, 1]; `scripts/bench/rbm.py` runs scikit-learn's
/// `BernoulliRBM` with the same settings beside it.
struct BenchRBM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbm",
        abstract: "Time Bernoulli RBM training (PCD-1) on a Float32 .npy matrix with values in [0, 1].")

    @OptionGroup var data: BenchMatrixInput

    @Option(parsing: .unconditional, help: "Hidden units.")
    var hidden = 256

    @Option(parsing: .unconditional, help: "Passes over the data.")
    var epochs = 10

    @Option(parsing: .unconditional, help: "Samples per update (scikit-learn's default is 10).")
    var batchSize = 100

    @Option(parsing: .unconditional, help: "Learning rate.")
    var learningRate = 0.1

    @Option(parsing: .unconditional, help: "Timed repeats (the median is reported).")
    var repeats = 1

    func validate() throws {
        if hidden < 1 || epochs < 0 || batchSize < 1 || repeats < 1 {
            throw ValidationError("--hidden, --batch-size and --repeats must be positive, --epochs not negative")
        }
    }

    func run() throws {
        let x = try data.load().rows
        let rbm = BernoulliRBM<Float>(hiddenUnits: hidden, learningRate: learningRate, batchSize: batchSize, epochs: epochs,
                                      sampling: .persistent(steps: 1), shuffle: false, monitorSamples: 0, seed: data.global.seed)
        var model: BernoulliRBMModel<Float>?
        let seconds = try Timing.median(repeats: repeats, warmup: 0) { model = try rbm.fit(x) }
        let scores = try model!.score(x, seed: data.global.seed)
        let pseudoLikelihood = scores.reduce(0.0) { $0 + Double($1) } / Double(scores.count)
        let error = try model!.reconstructionError(x)
        if data.json {
            print("""
                {"benchmark": "rbm", "rows": \(x.rows), "features": \(x.columns), "hidden": \(hidden), \
                "epochs": \(epochs), "batch_size": \(batchSize), "learning_rate": \(learningRate), \
                "threads": \(Parallel.threadCount), "seconds": \(seconds), \
                "pseudo_likelihood": \(pseudoLikelihood), "reconstruction_error": \(error)}
                """)
        } else {
            print("rbm \(x.rows)×\(x.columns) hidden \(hidden) epochs \(epochs) batch \(batchSize): \(seconds) s, "
                  + "pseudo-likelihood \(pseudoLikelihood), reconstruction error \(error)")
        }
    }
}
