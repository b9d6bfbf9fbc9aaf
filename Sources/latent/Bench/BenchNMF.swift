import ArgumentParser
import Foundation
import Latent

/// `latent bench nmf --input x.npy`: times one NMF fit (Float) and prints a JSON line with the
/// seconds, iterations and reconstruction error; `scripts/bench/nmf.py` runs scikit-learn beside it.
struct BenchNMF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nmf", abstract: "Time an NMF fit on a non-negative .npy matrix (rows = samples).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Input .npy file (n × d), read as float32.") var input: String
    @Option(help: "Number of components.") var components = 50
    @Option(help: "Solver: cd or mu.") var solver = "cd"
    @Option(help: "Loss: frobenius or kullback-leibler (mu only).") var betaLoss = "frobenius"
    @Option(help: "Initialisation: nndsvd, nndsvda, nndsvdar or random.") var initialization = "nndsvda"
    @Option(help: "Maximum iterations (use --tolerance 0 to run exactly this many).") var maxIterations = 200
    @Option(help: "Stopping tolerance.") var tolerance = 0.0
    @Option(help: "Timed repeats (the median is reported).") var repeats = 1

    func run() throws {
        global.apply()
        let solvers: [String: NMFSolver] = ["cd": .coordinateDescent, "mu": .multiplicativeUpdate]
        let losses: [String: NMFBetaLoss] = ["frobenius": .frobenius, "kullback-leibler": .kullbackLeibler]
        guard let solverValue = solvers[solver] else { throw ValidationError("--solver must be cd or mu") }
        guard let loss = losses[betaLoss] else { throw ValidationError("--beta-loss must be frobenius or kullback-leibler") }
        guard let initValue = NMFInitializationMethod(rawValue: initialization) else {
            throw ValidationError("--initialization must be nndsvd, nndsvda, nndsvdar or random")
        }
        let x: Matrix<Float> = try NPY.read(URL(fileURLWithPath: input))
        let nmf = NMF<Float>(components: components, solver: solverValue, betaLoss: loss, initialization: initValue,
                             tolerance: tolerance, maxIterations: maxIterations, seed: global.seed)
        var model: FittedNMF<Float>?
        let seconds = try Timing.median(repeats: repeats, warmup: 0) { model = try nmf.fit(x) }
        let fitted = model!
        let fields: [String] = [
            "\"method\": \"nmf\"", "\"solver\": \"\(solver)\"", "\"beta_loss\": \"\(betaLoss)\"",
            "\"rows\": \(x.rows)", "\"columns\": \(x.columns)", "\"components\": \(components)",
            "\"threads\": \(Parallel.threadCount)", "\"seconds\": \(seconds)",
            "\"iterations\": \(fitted.report.iterations)", "\"reconstruction_error\": \(fitted.reconstructionError)",
        ]
        print("{" + fields.joined(separator: ", ") + "}")
    }
}
