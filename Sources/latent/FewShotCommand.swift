import ArgumentParser
import Latent

/// `latent fewshot`: the SimpleShot few-shot protocol (see `FewShotEvaluation`) on given features.
struct FewShotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fewshot",
        abstract: "Few-shot accuracy by nearest centred, L2-normalised class mean (SimpleShot), mean ± 95% half-width over episodes.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var splits: LabelledSplits

    @Option(help: "Labelled examples per class, comma-separated.")
    var shots = "1,2,4,8"

    @Option(parsing: .unconditional, help: "Episodes per shot count.")
    var episodes = 50

    @Flag(help: "Print one JSON line per shot count instead of text.")
    var json = false

    func validate() throws {
        guard let list = parsedShots, !list.isEmpty, list.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--shots must be positive integers separated by commas, got \(shots)")
        }
        try OptionRange.check("--episodes", episodes, 1...1_000_000)
        if let big = parsedShots?.first(where: { $0 > 1_000_000 }) { throw ValidationError("--shots must lie in 1…1000000, got \(big)") }
    }

    private var parsedShots: [Int]? {
        let parts = shots.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.map { $0! }
    }

    func run() throws {
        global.apply()
        let start = secondsNow()
        let data = try splits.load()
        let loaded = secondsNow()
        let results = try FewShotEvaluation(shots: parsedShots!, episodes: episodes, seed: global.seed).evaluate(
            trainFeatures: data.train, trainLabels: data.trainLabels, testFeatures: data.test, testLabels: data.testLabels)
        let done = secondsNow()
        for result in results {
            if json {
                struct Line: Encodable { let shots: Int; let mean_accuracy: Double; let ci95: Double; let episodes: Int }
                print(try jsonLine(Line(shots: result.shots, mean_accuracy: result.meanAccuracy, ci95: result.ci95, episodes: result.accuracies.count)))
            } else {
                print(result)
            }
        }
        printError("fewshot: \(data.train.rows) train × \(data.test.rows) test rows, \(data.train.columns) features; load \(String(format: "%.2f", loaded - start)) s, evaluate \(String(format: "%.2f", done - loaded)) s")
    }
}
