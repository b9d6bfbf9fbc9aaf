import ArgumentParser
import Foundation
import Latent

/// `latent cluster`: k-means on a feature file, with NMI/ARI against labels and the silhouette.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "k-means (k-means++ seeding, Lloyd iterations) with NMI, ARI and silhouette scores.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Features: a data file as for the fitting commands' input (.csv/.tsv/.txt, .npy, IDX, fashion-mnist).")
    var input: String

    @Option(help: ArgumentHelp("A file of integer labels, one per row of the input (.npy, IDX, or text with one per line), to score the clustering against (NMI, ARI); instead of --label-column.", valueName: "file"))
    var labels: String?

    @OptionGroup var reading: DataFileOptions

    @Option(parsing: .unconditional, help: "Number of clusters.")
    var clusters: Int

    @Option(parsing: .unconditional, help: "Independent k-means++ restarts; the lowest inertia wins.")
    var restarts = 4

    @Option(parsing: .unconditional, help: "Lloyd iterations at most per restart.")
    var maxIterations = 300

    @Option(parsing: .unconditional, help: "Rows in the silhouette sample (0: skip the silhouette; it costs O(n²)).")
    var silhouetteSample = 2000

    @Option(help: "Write the cluster of each row to this integer .npy file.")
    var output: String?

    func validate() throws {
        try reading.check(input, labels: labels, labelsOption: "--labels")
        try OptionRange.check("--clusters", clusters, OptionRange.count)
        try OptionRange.check("--restarts", restarts, 1...100_000)
        try OptionRange.check("--max-iterations", maxIterations, OptionRange.count)
        try OptionRange.check("--silhouette-sample", silhouetteSample, 0...1_000_000)
        if let output, !output.lowercased().hasSuffix(".npy") {
            throw ValidationError("--output must end in .npy (the cluster of each row as integers), got '\(MessageText.quoted(output, limit: 200))'")
        }
    }

    func run() throws {
        global.apply()
        try OutputSafety.check(inputs: [.file("--input", input), .file("--labels", labels)], outputs: [.file("--output", output)])
        let data = try reading.load(input, labels: labels, as: Float.self)
        try DataCheck.requireUsable(data.x, name: data.name)
        let (x, truth) = (data.x, data.labels?.indices)
        let start = secondsNow()
        if clusters > x.rows { throw Failure("\(input) has \(x.rows) rows, fewer than --clusters \(clusters)") }
        let model = try Failures.about(input) { try KMeans(clusters: clusters, restarts: restarts, maxIterations: maxIterations, seed: global.seed).fit(x) }
        printError("cluster: \(x.rows) × \(x.columns), \(model.iterations) iterations (\(model.converged ? "converged" : "not converged")) in \(String(format: "%.2f", secondsNow() - start)) s")
        print("inertia \(model.inertia)")
        if let truth {
            print("nmi \(ClusteringMetrics.normalizedMutualInformation(truth, model.labels))")
            print("ari \(ClusteringMetrics.adjustedRandIndex(truth, model.labels))")
        }
        if silhouetteSample > 0 && clusters >= 2 {
            print("silhouette \(try ClusteringMetrics.silhouetteScore(x, labels: model.labels, sampleSize: silhouetteSample, seed: global.seed))")
        }
        if let output { try NPY.write(integers: model.labels, to: URL(fileURLWithPath: output)) }
    }
}
