import ArgumentParser
import Foundation
import Latent

/// `latent bench tsne`: times a Barnes–Hut t-SNE fit (scikit-learn 1.9 defaults: perplexity 30,
/// θ = 0.5, PCA initialisation, learning rate "auto", 1000 iterations) on a `.npy` matrix and
/// scores it, for `scripts/bench/tsne.py` to compare with scikit-learn's and openTSNE's `TSNE`.
/// Reports the wall time of the whole fit (neighbours, affinities, optimisation), the final KL
/// divergence (Barnes–Hut estimate, as scikit-learn's `kl_divergence_`) and 10-NN preservation,
/// plus the time of the exact k-nearest-neighbour search alone (run once more, before the fit).
struct BenchTSNE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsne",
        abstract: "Time Barnes–Hut t-SNE on a .npy matrix (Float; rows = samples).")

    @OptionGroup var data: BenchMatrixInput

    @Option(parsing: .unconditional, help: "Perplexity.")
    var perplexity = 30.0

    @Option(parsing: .unconditional, help: "Barnes–Hut accuracy θ (scikit-learn's angle).")
    var theta = 0.5

    @Option(parsing: .unconditional, help: "Total iterations (scikit-learn's max_iter).")
    var iterations = 1000

    @Option(parsing: .unconditional, help: "Neighbours for the neighbour-preservation score.")
    var k = 10

    @Option(help: "Write the embedding here (.npy).")
    var output: String?

    func validate() throws {
        guard perplexity > 0, theta >= 0, iterations >= 250, k >= 1 else {
            throw ValidationError("--perplexity and --k must be positive, --theta ≥ 0, --iterations ≥ 250")
        }
    }

    func run() throws {
        let x = try data.load().rows
        let tsne = TSNE<Float>(components: 2, perplexity: perplexity, method: .barnesHut(theta: theta),
                               maxIterations: iterations, seed: data.global.seed)
        // The exact kNN step alone (⌊3·perplexity⌋ + 1 neighbours, as the fit uses), timed apart.
        let neighbors = Swift.min(x.rows - 1, Int(3 * perplexity + 1))
        let knnSeconds = Timing.median(repeats: 1, warmup: 0) {
            _ = NearestNeighbors(queries: x, references: x, k: neighbors, excludingSelf: true)
        }
        var model: TSNEModel<Float>?
        let seconds = try Timing.median(repeats: 1, warmup: 0) { model = try tsne.fit(x) }
        let fitted = model!
        let preservation = neighborPreservation(input: x, embedding: fitted.embedding, k: k)
        if let output { try NPY.write(fitted.embedding, to: URL(fileURLWithPath: output)) }
        if data.json {
            let fields: [String] = [
                "\"bench\": \"tsne\"", "\"seconds\": \(seconds)", "\"knn_seconds\": \(knnSeconds)", "\"kl\": \(fitted.klDivergence)",
                "\"knn_preservation\": \(preservation)", "\"k\": \(k)", "\"iterations\": \(fitted.report.iterations)",
                "\"samples\": \(x.rows)", "\"features\": \(x.columns)", "\"perplexity\": \(perplexity)",
                "\"theta\": \(theta)", "\"threads\": \(Parallel.threadCount)",
            ]
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("tsne \(x.rows)×\(x.columns) perplexity \(perplexity) θ \(theta): \(String(format: "%.3f", seconds)) s (kNN alone \(String(format: "%.3f", knnSeconds)) s), "
                  + "KL \(String(format: "%.4f", fitted.klDivergence)), \(k)-NN preservation \(String(format: "%.4f", preservation)), "
                  + "\(fitted.report.iterations) iterations, \(Parallel.threadCount) threads")
        }
    }
}
