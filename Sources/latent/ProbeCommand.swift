import ArgumentParser
import Latent

/// `latent probe`: linear-probe accuracy on fractions of the labels (see `LinearProbe`), and
/// optionally the cosine kNN accuracy (see `KNearestNeighbors`).
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Test accuracy of a multinomial logistic-regression probe on 1%, 10%, 100% of the labels (and of cosine kNN).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var splits: LabelledSplits

    @Option(help: "Fractions of the training labels, comma-separated, each in (0, 1].")
    var fractions = "0.01,0.1,1"

    @Option(name: .customLong("C"), parsing: .unconditional, help: "Inverse L2 penalty (scikit-learn's C).")
    var inverseRegularization = 1.0

    @Option(parsing: .unconditional, help: "L-BFGS iterations at most.")
    var maxIterations = 1000

    @Option(parsing: .unconditional, help: "Gradient tolerance (scikit-learn's tol).")
    var tolerance = 1e-4

    @Flag(help: "Do not standardise the features.")
    var raw = false

    @Option(parsing: .unconditional, help: "Also report the accuracy of cosine kNN with this many neighbours (temperature-weighted votes).")
    var knn: Int?

    @Option(parsing: .unconditional, help: "kNN vote temperature.")
    var temperature = 0.07

    func validate() throws {
        guard let list = parsedFractions, !list.isEmpty, list.allSatisfy({ $0 > 0 && $0 <= 1 && $0.isFinite }) else {
            throw ValidationError("--fractions must be numbers in (0, 1] separated by commas, got \(fractions)")
        }
        try OptionRange.check("--C", inverseRegularization, above: 0)
        try OptionRange.check("--max-iterations", maxIterations, OptionRange.count)
        try OptionRange.check("--tolerance", tolerance, atLeast: 0)
        try OptionRange.check("--knn", knn, OptionRange.count)
        try OptionRange.check("--temperature", temperature, above: 0)
    }

    private var parsedFractions: [Double]? {
        let parts = fractions.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.map { $0! }
    }

    func run() throws {
        global.apply()
        let data = try splits.load()
        let probe = LinearProbe(fractions: parsedFractions!,
                                regression: LogisticRegression(C: inverseRegularization, tolerance: tolerance, maxIterations: maxIterations),
                                standardize: !raw, seed: global.seed)
        for fraction in probe.fractions {
            let start = secondsNow()
            var single = probe
            single.fractions = [fraction]
            let result = try single.evaluate(trainFeatures: data.train, trainLabels: data.trainLabels,
                                             testFeatures: data.test, testLabels: data.testLabels)[0]
            print("logistic \(result)")
            printError("probe \(fraction): \(result.report) in \(String(format: "%.2f", secondsNow() - start)) s")
        }
        if let knn {
            let accuracy = try KNearestNeighbors(k: knn, weighting: .temperature(temperature)).accuracy(
                trainFeatures: data.train, trainLabels: data.trainLabels, queries: data.test, queryLabels: data.testLabels)
            print("knn k=\(knn) τ=\(temperature): \((accuracy * 10000).rounded() / 100) %")
        }
    }
}
