import ArgumentParser
import Foundation
import Latent

/// `latent dict INPUT`: dictionary learning (online mini-batches by default, or batch).
struct DictionaryCommand: ParsableCommand, FitCommand {
    var method: MethodDescriptor { .dictionary }

    static let configuration = CommandConfiguration(
        commandName: "dict",
        abstract: "Sparse dictionary learning: sparse codes z1…zk over learned atoms, objective.",
        discussion: """
        Examples:
          latent dict patches.npy --atoms 64 --alpha 0.5 --epochs 3 -o codes.npy
          latent dict data.csv --atoms 10 --batch --max-iter 50 \\
              --transform-algorithm omp --transform-nonzeros 3

        --online (the default) runs MiniBatchDictionaryLearning.fit (as a
        batch file's dict does), with progress per step, and stops early as
        scikit-learn does (dictionary change ≤ --tol, or --max-no-improvement
        steps without a better smoothed cost); --init starts the atoms from
        all rows. --batch runs DictionaryLearning on all rows for up to
        --max-iter iterations, with progress per iteration.
        """)

    enum FitAlgorithm: String, CaseIterable, ExpressibleByArgument { case lassoLARS = "lasso-lars", lassoCD = "lasso-cd" }
    enum TransformAlgorithm: String, CaseIterable, ExpressibleByArgument {
        case omp, lassoLARS = "lasso-lars", lassoCD = "lasso-cd", lars, threshold
    }
    enum Initialization: String, CaseIterable, ExpressibleByArgument { case svd, random }

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of atoms. (default: features)", valueName: "N"))
    var atoms: Int?

    @Option(parsing: .unconditional, help: "Sparsity penalty α of the fit.")
    var alpha = MethodDescriptor.dictionary.defaults.double("alpha")

    @Flag(help: "--online: mini-batch learning (default); --batch: all rows in each iteration.")
    var mode: Mode = .online

    @Option(parsing: .unconditional, help: "Online: rows per mini-batch.")
    var batchSize = MethodDescriptor.dictionary.defaults.int("batch-size")

    @Option(parsing: .unconditional, help: "Online: passes over the data.")
    var epochs = MethodDescriptor.dictionary.defaults.int("epochs")

    @Flag(inversion: .prefixedNo, help: "Online: shuffle the rows once before the passes.")
    var shuffle = true

    @Option(parsing: .unconditional, help: "Online: stop after this many steps without improvement of the smoothed cost.")
    var maxNoImprovement = 10

    @Option(parsing: .unconditional, help: "Batch: maximum iterations.")
    var maxIter = 1000

    @Option(parsing: .unconditional, help: ArgumentHelp("Tolerance. (default: 1e-3 online (dictionary change), 1e-8 batch (cost change))", valueName: "x"))
    var tol: Double?

    @Option(help: "Sparse coder used while fitting.")
    var fitAlgorithm: FitAlgorithm = .lassoLARS

    @Option(help: ArgumentHelp("Sparse coder for the output codes. (default: the fit algorithm with --alpha)", valueName: "algorithm"))
    var transformAlgorithm: TransformAlgorithm?

    @Option(parsing: .unconditional, help: ArgumentHelp("α of lasso-lars, lasso-cd and threshold codes. (default: --alpha)", valueName: "x"))
    var transformAlpha: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Non-zeros per code for omp and lars. (default: max(1, features / 10), at most atoms)", valueName: "N"))
    var transformNonzeros: Int?

    @Flag(help: "Constrain codes to be non-negative (not with omp or lars).")
    var positiveCode = false

    @Flag(help: "Constrain atoms to be non-negative.")
    var positiveDict = false

    @Option(name: .customLong("init"), help: "Initial atoms: svd (top right singular vectors) or random rows.")
    var initialization: Initialization = .svd

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    enum Mode: EnumerableFlag { case online, batch }

    func validate() throws {
        try OptionRange.check("--atoms", atoms, OptionRange.count)
        try OptionRange.check("--alpha", alpha, atLeast: 0)
        try OptionRange.check("--batch-size", batchSize, OptionRange.count)
        try OptionRange.check("--epochs", epochs, OptionRange.count)
        try OptionRange.check("--max-iter", maxIter, OptionRange.count)
        try OptionRange.check("--max-no-improvement", maxNoImprovement, OptionRange.count)
        try OptionRange.check("--tol", tol, atLeast: 0)
        try OptionRange.check("--transform-alpha", transformAlpha, atLeast: 0)
        try OptionRange.check("--transform-nonzeros", transformNonzeros, OptionRange.count)
        if positiveCode, let t = transformAlgorithm, t == .omp || t == .lars {
            throw ValidationError("--positive-code does not work with --transform-algorithm \(t.rawValue)")
        }
    }

    var recordedOptions: [String: JSONValue] {
        var o: [String: JSONValue] = [
            "atoms": atoms.json, "alpha": .number(alpha), "mode": .string(mode == .online ? "online" : "batch"),
            "tol": tol.json, "fitAlgorithm": .string(fitAlgorithm.rawValue),
            "transformAlgorithm": transformAlgorithm.map { .string($0.rawValue) } ?? .null,
            "transformAlpha": transformAlpha.json, "transformNonzeros": transformNonzeros.json,
            "positiveCode": .bool(positiveCode), "positiveDict": .bool(positiveDict), "init": .string(initialization.rawValue),
            "seed": .string(String(global.seed))]
        if mode == .online {
            o["batchSize"] = .int(batchSize); o["epochs"] = .int(epochs); o["shuffle"] = .bool(shuffle)
            o["maxNoImprovement"] = .int(maxNoImprovement)
        } else {
            o["maxIter"] = .int(maxIter)
        }
        return o
    }

    func run() throws { try runFit() }

    func coder(features d: Int, atoms k: Int) -> SparseCodingAlgorithm? {
        guard let transformAlgorithm else { return nil }
        let a = transformAlpha ?? alpha
        let nonzeros = transformNonzeros ?? min(max(1, d / 10), k)
        switch transformAlgorithm {
        case .omp: return .omp(nonzeros: nonzeros)
        case .lars: return .lars(nonzeros: nonzeros)
        case .lassoLARS: return .lassoLARS(alpha: a)
        case .lassoCD: return .lassoCD(alpha: a)
        case .threshold: return .threshold(alpha: a)
        }
    }

    /// The dictionary and its updates (k × d), the Gram matrix (k × k) and the codes (n × k).
    func memoryNeed(samples: Int, features: Int) -> (bytes: Double, what: String, hint: String)? {
        let (n, d) = (Double(samples), Double(features))
        let k = Double(atoms ?? features)
        return ((3 * k * d + 2 * k * k + 2 * n * k) * 8, "a dictionary of \(Int(k)) atoms for \(samples) rows", "use fewer --atoms")
    }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        let k = atoms ?? x.columns
        let fitWith: DictionaryFitAlgorithm = fitAlgorithm == .lassoLARS ? .lassoLARS : .lassoCD
        let start: DictionaryInitialization = initialization == .svd ? .svd : .random
        if mode == .batch {
            let learner = DictionaryLearning<Double>(atoms: k, alpha: alpha, fitAlgorithm: fitWith,
                                                     transformAlgorithm: coder(features: x.columns, atoms: k),
                                                     maxIterations: maxIter, tolerance: tol ?? 1e-8, initialization: start,
                                                     positiveCode: positiveCode, positiveDictionary: positiveDict, seed: global.seed)
            let reporter = progress.steps("dictionary learning (batch, \(k) atoms)", total: maxIter)
            return try Self.finish(reporter, learner.fit(x, onEvent: reporter.fitEvents(cost: "cost"))).fittedModel
        }
        let learner = MiniBatchDictionaryLearning<Double>(
            atoms: k, alpha: alpha, batchSize: batchSize, epochs: epochs, shuffle: shuffle, fitAlgorithm: fitWith,
            transformAlgorithm: coder(features: x.columns, atoms: k), tolerance: tol ?? 1e-3,
            maxNoImprovement: maxNoImprovement, initialization: start, positiveCode: positiveCode,
            positiveDictionary: positiveDict, seed: global.seed)
        let b = min(batchSize, x.rows)
        let reporter = progress.steps("dictionary learning", total: epochs * ((x.rows + b - 1) / b))
        return try Self.finish(reporter, learner.fit(x, onEvent: reporter.fitEvents(cost: "batch cost"))).fittedModel
    }

    /// Ends the progress line of a dictionary fit: steps run, converged or not.
    static func finish(_ reporter: StepReporter, _ model: DictionaryModel<Double>) -> DictionaryModel<Double> {
        reporter.finish(steps: model.report.iterations, detail: model.report.converged ? "converged" : "all iterations run")
        return model
    }
}
