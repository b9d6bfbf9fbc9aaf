import ArgumentParser
import Foundation
import Latent

/// `latent cluster`: k-means on a feature file, with NMI/ARI against labels and the silhouette.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "k-means (k-means++ seeding, Lloyd iterations) with NMI, ARI and silhouette scores.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Features: .npy (rows = samples) or .csv.")
    var input: String

    @Option(help: "Integer .npy labels to score the clustering against (NMI, ARI).")
    var labels: String?

    @Option(help: "Number of clusters.")
    var clusters: Int

    @Option(help: "Independent k-means++ restarts; the lowest inertia wins.")
    var restarts = 4

    @Option(help: "Lloyd iterations at most per restart.")
    var maxIterations = 300

    @Option(help: "Rows in the silhouette sample (0: skip the silhouette; it costs O(n²)).")
    var silhouetteSample = 2000

    @Option(help: "Write the cluster of each row to this integer .npy file.")
    var output: String?

    func validate() throws {
        if clusters < 1 || restarts < 1 || maxIterations < 1 { throw ValidationError("--clusters, --restarts and --max-iterations must be positive") }
        if silhouetteSample < 0 { throw ValidationError("--silhouette-sample must not be negative") }
    }

    func run() throws {
        global.apply()
        let (x, _) = try LabelledSplits.features(input, labelColumn: nil)
        let start = secondsNow()
        let model = try KMeans(clusters: clusters, restarts: restarts, maxIterations: maxIterations, seed: global.seed).fit(x)
        printError("cluster: \(x.rows) × \(x.columns), \(model.iterations) iterations (\(model.converged ? "converged" : "not converged")) in \(String(format: "%.2f", secondsNow() - start)) s")
        print("inertia \(model.inertia)")
        if let labels {
            let truth = try NPY.readIntegers(URL(fileURLWithPath: labels))
            guard truth.count == x.rows else { throw ValidationError("\(labels) has \(truth.count) labels for \(x.rows) rows") }
            print("nmi \(ClusteringMetrics.normalizedMutualInformation(truth, model.labels))")
            print("ari \(ClusteringMetrics.adjustedRandIndex(truth, model.labels))")
        }
        if silhouetteSample > 0 && clusters >= 2 {
            print("silhouette \(try ClusteringMetrics.silhouetteScore(x, labels: model.labels, sampleSize: silhouetteSample, seed: global.seed))")
        }
        if let output { try NPY.write(integers: model.labels, to: URL(fileURLWithPath: output)) }
    }
}
