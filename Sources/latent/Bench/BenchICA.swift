import ArgumentParser
import Foundation
import Latent

/// `latent bench ica --input x.npy`: times one FastICA fit (Float) and prints a JSON line with the
/// seconds, iterations and per-iteration seconds; `scripts/bench/ica.py` runs scikit-learn beside it.
struct BenchICA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ica", abstract: "Time a FastICA fit on an .npy matrix (rows = samples).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Input .npy file (n × d), read as float32.") var input: String
    @Option(help: "Number of components.") var components = 50
    @Option(help: "Maximum iterations (use --tolerance 0 to run exactly this many).") var maxIterations = 200
    @Option(help: "Stopping tolerance.") var tolerance = 0.0
    @Option(help: "parallel or deflation.") var algorithm = "parallel"
    @Option(help: "Whitening solver: svd or eigen.") var whiteningSolver = "svd"
    @Option(help: "Timed repeats (the median is reported).") var repeats = 1

    func run() throws {
        global.apply()
        guard let algorithm = FastICA<Float>.Algorithm(rawValue: algorithm) else {
            throw ValidationError("--algorithm must be parallel or deflation")
        }
        guard let solver = FastICA<Float>.WhiteningSolver(rawValue: whiteningSolver) else {
            throw ValidationError("--whitening-solver must be svd or eigen")
        }
        let x: Matrix<Float> = try NPY.read(URL(fileURLWithPath: input))
        let ica = FastICA<Float>(components: components, algorithm: algorithm, whiteningSolver: solver,
                                 tolerance: tolerance, maxIterations: maxIterations, seed: global.seed)
        var model: FittedFastICA<Float>?
        let seconds = try Timing.median(repeats: repeats, warmup: 0) { model = try ica.fit(x) }
        let report = model!.report
        let fields: [String] = [
            "\"method\": \"fastica\"", "\"rows\": \(x.rows)", "\"columns\": \(x.columns)",
            "\"components\": \(components)", "\"threads\": \(Parallel.threadCount)",
            "\"seconds\": \(seconds)", "\"iterations\": \(report.iterations)",
            "\"converged\": \(report.converged)", "\"final_change\": \(report.finalChange)",
        ]
        print("{" + fields.joined(separator: ", ") + "}")
    }
}
