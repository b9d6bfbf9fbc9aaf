import ArgumentParser
import Foundation
import Latent

/// `latent bench nn`: training throughput of the Fashion-MNIST MLP and CNN, memory per epoch, and
/// one forward/backward pass of a small transformer — the configurations `scripts/bench/nn.py`
/// also runs in PyTorch (same threads) to print the ratios.
///
/// Data is synthetic (seeded uniform pixels, random labels): throughput does not depend on the
/// values, and the benchmark needs no data set. An "epoch" here is `--batches` mini-batches;
/// resident memory is read after each one, to show that it does not grow.
struct BenchNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Neural-network training throughput (MLP, CNN), memory per epoch, transformer forward/backward.")

    @Option(parsing: .unconditional, help: "Mini-batches per MLP epoch.")
    var batches: Int = 100

    @Option(parsing: .unconditional, help: "Mini-batches per CNN epoch.")
    var cnnBatches: Int = 10

    @Option(parsing: .unconditional, help: "Epochs per model (the median throughput is reported).")
    var epochs: Int = 3

    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize: Int = 128

    @Option(parsing: .unconditional, help: "Repeats of the transformer forward/backward (median).")
    var repeats: Int = 3

    @Flag(help: "Also print one JSON object with every number (for scripts/bench/nn.py).")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        Allocation.retainFreedMemory()     // as a training run should: no page faults on each step's buffers
        var results: [String: Any] = ["threads": Parallel.threadCount, "batch_size": batchSize,
                                      "rss_mb_at_start": BenchMemory.residentMegabytes]
        let mlp = trainThroughput(ImageClassifier<Float>.mlp(seed: global.seed), name: "mlp", batches: batches)
        results["mlp"] = mlp
        results["peak_rss_mb_after_mlp"] = BenchMemory.peakMegabytes
        let cnn = trainThroughput(ImageClassifier<Float>.cnn(seed: global.seed), name: "cnn", batches: cnnBatches)
        results["cnn"] = cnn
        results["peak_rss_mb_after_cnn"] = BenchMemory.peakMegabytes
        results["transformer"] = transformer()
        results["peak_rss_mb"] = BenchMemory.peakMegabytes
        print("peak RSS \(format(BenchMemory.peakMegabytes, 1)) MB")
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Trains `model` with Adam on `epochs × batches` synthetic batches; samples/s per epoch and RSS after each.
    func trainThroughput(_ model: ImageClassifier<Float>, name: String, batches: Int) -> [String: Any] {
        let n = batches * batchSize
        var rng = Xoshiro256StarStar(seed: global.seed)
        let x = Matrix<Float>.randomUniform(n, 784, using: &rng)
        let y = (0..<n).map { _ in rng.integer(below: 10) }
        let loader = DataLoader(features: x, labels: y, batchSize: batchSize, seed: global.seed, sampleShape: model.sampleShape)
        let trainer = Trainer(model: model, optimizer: Adam(parameters: model.parameters), seed: global.seed)
        _ = try? trainer.trainEpoch(DataLoader(features: Matrix(rows: batchSize, columns: 784, storage: Array(x.storage.prefix(batchSize * 784))),
                                               labels: Array(y.prefix(batchSize)), batchSize: batchSize, sampleShape: model.sampleShape))   // warm-up
        var rates: [Double] = [], cpuRates: [Double] = [], rss: [Double] = []
        for _ in 0..<epochs {
            let start = Timing.now(), cpuStart = BenchMemory.cpuSeconds
            _ = try? trainer.trainEpoch(loader)       // synthetic data and Adam 1e-3 do not diverge
            rates.append(Double(n) / (Timing.now() - start))
            cpuRates.append(Double(n) / (BenchMemory.cpuSeconds - cpuStart))
            rss.append(BenchMemory.residentMegabytes)
        }
        // where the time goes: forward+backward vs the optimizer step, on one batch
        let batch = loader.batches(epoch: 0)[0]
        let optimizer = Adam(parameters: model.parameters)
        let forwardBackward = Timing.median(repeats: 5) {
            model.zeroGrad()
            Loss.crossEntropy(model(batch.inputs), batch.labels).backward()
        }
        let update = Timing.median(repeats: 5) { optimizer.step() }
        let forward = Timing.median(repeats: 5) { _ = withoutGradient { model(batch.inputs) } }
        let rate = rates.sorted()[rates.count / 2], cpuRate = cpuRates.sorted()[cpuRates.count / 2]
        print("\(name) train: \(Int(rate)) samples/s (batch \(batchSize), median of \(epochs) epochs of \(batches) batches); "
              + "per batch: forward \(format(forward * 1e3, 2)) ms, forward+backward \(format(forwardBackward * 1e3, 2)) ms, Adam step \(format(update * 1e3, 2)) ms")
        print("\(name) RSS after each epoch (MB): " + rss.map { format($0, 1) }.joined(separator: ", "))
        return ["samples_per_s": rate, "samples_per_cpu_s": cpuRate, "rss_mb": rss, "forward_ms": forward * 1e3, "forward_backward_ms": forwardBackward * 1e3,
                "adam_step_ms": update * 1e3, "parameters": model.parameterCount]
    }

    /// One forward/backward pass of a 4-block, d = 128, 4-head causal transformer language model
    /// (token + position embeddings, pre-LN blocks, final LayerNorm, vocabulary head, cross-entropy)
    /// on 32 × 64 tokens from a vocabulary of 1000.
    func transformer() -> [String: Any] {
        let (B, T, C, V) = (32, 64, 128, 1000)
        var rng = Xoshiro256StarStar(seed: global.seed)
        let tokens = Embedding<Float>(count: V, dimension: C, using: &rng)
        let positions = Embedding<Float>(count: T, dimension: C, using: &rng)
        let blocks = (0..<4).map { _ in TransformerBlock<Float>(modelSize: C, heads: 4, causal: true, using: &rng) }
        let norm = LayerNorm<Float>(C)
        let head = Linear<Float>(C, V, using: &rng)
        let ids = (0..<B * T).map { _ in rng.integer(below: V) }
        let targets = (0..<B * T).map { _ in rng.integer(below: V) }
        func loss() -> Tensor<Float> {
            var h = tokens(ids, shape: [B, T]) + positions(Array(0..<T), shape: [T])     // (B, T, C)
            for block in blocks { h = block(h) }
            let logits = head(norm(h)).reshaped([B * T, V])                                 // (B·T, V)
            return Loss.crossEntropy(logits, targets)
        }
        var cpu = BenchMemory.cpuSeconds
        let forward = Timing.median(repeats: repeats) { _ = withoutGradient { loss() } }
        let forwardCPU = (BenchMemory.cpuSeconds - cpu) / Double(repeats + 1)     // + 1: the warm-up run
        cpu = BenchMemory.cpuSeconds
        let total = Timing.median(repeats: repeats) { loss().backward() }
        let totalCPU = (BenchMemory.cpuSeconds - cpu) / Double(repeats + 1)
        print("transformer (4 blocks, d \(C), 4 heads, \(B)×\(T) tokens, vocabulary \(V)): forward \(format(forward * 1e3, 1)) ms, "
              + "forward+backward \(format(total * 1e3, 1)) ms (median of \(repeats))")
        return ["forward_ms": forward * 1e3, "forward_backward_ms": total * 1e3,
                "forward_cpu_ms": forwardCPU * 1e3, "forward_backward_cpu_ms": totalCPU * 1e3]
    }
}

/// Resident and peak memory, and CPU time, of this process.
enum BenchMemory {
    /// User + system CPU seconds of every thread of this process so far (`CLOCK_PROCESS_CPUTIME_ID`).
    static var cpuSeconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Resident set size now, from `/proc/self/statm` (second field, in pages).
    static var residentMegabytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// Peak resident set size so far (`getrusage`, kilobytes on Linux).
    static var peakMegabytes: Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
