import ArgumentParser
import Foundation
import Latent

/// `latent bench dictionary`: times online dictionary learning (`MiniBatchDictionaryLearning`) on a
/// `.npy` matrix and scores the result, for `scripts/bench/dictionary.py` to compare with
/// scikit-learn's `MiniBatchDictionaryLearning` doing the same work (same atoms, alpha, batch size,
/// epochs, coding algorithm; early stopping off).
struct BenchDictionary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dictionary",
        abstract: "Time mini-batch dictionary learning on a .npy matrix (Float; rows = samples).")

    @OptionGroup var data: BenchMatrixInput

    @Option(parsing: .unconditional, help: "Number of atoms.")
    var atoms = 128

    @Option(parsing: .unconditional, help: "l1 weight of the codes.")
    var alpha = 1.0

    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize = 256

    @Option(parsing: .unconditional, help: "Passes over the training rows.")
    var epochs = 1

    @Option(help: "Coding algorithm while fitting: lasso-lars or lasso-cd.")
    var algorithm = "lasso-lars"

    @Option(parsing: .unconditional, help: "Score the dictionary on the first EVAL_ROWS rows of the whole input (not only --rows): mean of ½‖x − zD‖² + alpha‖z‖₁ with lasso-LARS codes.")
    var evalRows = 2000

    @Option(help: "Score on this .npy file (its first EVAL_ROWS rows) instead of the input.")
    var evalInput: String?

    @Option(parsing: .unconditional, help: "Timed repeats (the median is reported).")
    var repeats = 1

    func validate() throws {
        guard ["lasso-lars", "lasso-cd"].contains(algorithm) else {
            throw ValidationError("--algorithm must be lasso-lars or lasso-cd, got \(algorithm)")
        }
        guard repeats >= 1 && evalRows >= 1 else { throw ValidationError("--repeats and --eval-rows must be at least 1") }
    }

    func run() throws {
        let (all, train) = try data.load()
        let learner = MiniBatchDictionaryLearning<Float>(
            atoms: atoms, alpha: alpha, batchSize: batchSize, epochs: epochs, shuffle: true,
            fitAlgorithm: algorithm == "lasso-cd" ? .lassoCD : .lassoLARS,
            tolerance: 0, maxNoImprovement: nil, seed: data.global.seed)
        var model: DictionaryModel<Float>?
        let seconds = try Timing.median(repeats: repeats, warmup: 0) { model = try learner.fit(train) }
        let fitted = model!
        let source: Matrix<Float> = try evalInput.map { try NPY.read(URL(fileURLWithPath: $0)) } ?? all
        let eval = source.rows(0..<Swift.min(evalRows, source.rows))
        let objective = try fitted.meanObjective(eval)
        if data.json {
            let fields: [String] = [
                "\"bench\": \"dictionary\"", "\"seconds\": \(seconds)", "\"objective\": \(objective)",
                "\"steps\": \(fitted.report.iterations)", "\"samples\": \(train.rows)", "\"features\": \(train.columns)",
                "\"atoms\": \(atoms)", "\"alpha\": \(alpha)", "\"batch_size\": \(batchSize)", "\"epochs\": \(epochs)",
                "\"algorithm\": \"\(algorithm)\"", "\"threads\": \(Parallel.threadCount)",
                "\"last_batch_cost\": \(fitted.report.objective.last ?? .nan)",
            ]
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("dictionary \(train.rows)×\(train.columns) atoms \(atoms) batch \(batchSize) epochs \(epochs) \(algorithm): "
                  + "\(String(format: "%.3f", seconds)) s, \(fitted.report.iterations) steps, objective \(objective)")
        }
    }
}
