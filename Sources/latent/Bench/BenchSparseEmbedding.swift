import ArgumentParser
import Foundation
import Latent

/// `latent bench sparse-embedding`: training steps per second of an embedding table looked up by
/// a batch of ids, with sparse gradients (only the used rows: PyTorch's `sparse=True`) and with
/// dense ones, under SGD and Adam — the configuration `scripts/bench/sparse_embedding.py` also
/// runs in PyTorch. The loss is `mean(e²)` of the looked-up rows, so the step is the lookup, its
/// backward and the update: what an embedding costs in word2vec.
struct BenchSparseEmbedding: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparse-embedding",
        abstract: "Embedding training steps/s with sparse vs dense gradients (V = 100 000, D = 300, batch 1024).")

    @Option(help: "Rows of the table (vocabulary size).")
    var vocabulary: Int = 100_000

    @Option(help: "Columns of the table (vector size).")
    var dimension: Int = 300

    @Option(help: "Ids looked up per step.")
    var batchSize: Int = 1024

    @Option(help: "Steps per measurement (sparse); dense runs a tenth as many, at least 3.")
    var steps: Int = 200

    @Flag(help: "Also print one JSON object with every number (for scripts/bench/sparse_embedding.py).")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard vocabulary >= 1, dimension >= 1, batchSize >= 1, steps >= 1 else {
            throw ValidationError("--vocabulary, --dimension, --batch-size and --steps must be at least 1")
        }
    }

    func run() throws {
        global.apply()
        var results: [String: Any] = ["vocabulary": vocabulary, "dimension": dimension, "batch_size": batchSize]
        for optimizerName in ["sgd", "adam"] {
            for sparse in [true, false] {
                let rate = stepsPerSecond(sparse: sparse, adam: optimizerName == "adam")
                let key = "\(optimizerName)_\(sparse ? "sparse" : "dense")_steps_per_s"
                results[key] = rate
                print("embedding \(vocabulary) × \(dimension), batch \(batchSize), \(optimizerName), \(sparse ? "sparse" : "dense "): "
                      + "\(format(rate, 1)) steps/s")
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Steps per second of lookup → `mean(e²)` → backward → update.
    func stepsPerSecond(sparse: Bool, adam: Bool) -> Double {
        var rng = Xoshiro256StarStar(seed: global.seed)
        let table = Embedding<Float>(count: vocabulary, dimension: dimension, sparse: sparse, using: &rng)
        let optimizer: any Optimizer<Float> = adam ? Adam(parameters: table.parameters, learningRate: 1e-3)
            : SGD(parameters: table.parameters, learningRate: 0.1)
        let batches = (0..<8).map { _ in IndexTensor((0..<batchSize).map { _ in rng.integer(below: vocabulary) }) }
        var step = 0
        func trainStep() {
            table.zeroGrad()
            table(batches[step % batches.count]).squared().mean().backward()
            optimizer.step()
            step += 1
        }
        let n = sparse ? steps : Swift.max(3, steps / 10)
        let seconds = Timing.median(repeats: 3) { for _ in 0..<n { trainStep() } }
        return Double(n) / seconds
    }
}
