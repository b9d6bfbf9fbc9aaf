import ArgumentParser
import Foundation
import Latent

/// `latent bench pca`: seconds per PCA solver (median of repeats), the explained-variance ratios
/// and the peak resident memory of each fit, on synthetic data with a decaying spectrum or on a
/// `.npy` file (`scripts/bench/pca.py` passes Fashion-MNIST that way and runs scikit-learn beside it).
struct BenchPCA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pca",
        abstract: "Time PCA's solvers (full, covarianceEigen, randomized, auto) in Float or Double.")

    @OptionGroup var global: GlobalOptions

    @Option(parsing: .unconditional, help: "Rows of the synthetic data.")
    var rows = 20000
    @Option(parsing: .unconditional, help: "Columns of the synthetic data.")
    var cols = 784
    @Option(help: "A 2-D .npy file to use instead of synthetic data (e.g. Fashion-MNIST as 60000 × 784).")
    var input: String?
    @Option(parsing: .unconditional, help: "Number of components.")
    var components = 50
    @Option(help: "Comma-separated solvers among auto, full, covarianceEigen, randomized.")
    var solvers = "covarianceEigen,randomized,full"
    @Option(parsing: .unconditional, help: "Timed repeats per solver (the median is reported).")
    var repeats = 3
    @Option(parsing: .unconditional, help: "Unmeasured warm-up runs per solver.")
    var warmup = 1
    @Flag(help: "Use Double instead of Float.")
    var double = false
    @Flag(help: "Print one JSON object instead of text lines.")
    var json = false

    func validate() throws {
        if rows < 2 || cols < 1 { throw ValidationError("--rows must be ≥ 2 and --cols ≥ 1") }
        if components < 1 { throw ValidationError("--components must be positive") }
        for name in solverNames where PCASolver(rawValue: name) == nil {
            throw ValidationError("unknown solver \(name); use auto, full, covarianceEigen or randomized")
        }
    }

    var solverNames: [String] { solvers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        global.apply()
        if double { try measure(Double.self) } else { try measure(Float.self) }
    }

    func measure<S: BLASScalar>(_: S.Type) throws {
        let x: Matrix<S> = try input.map { try NPY.read(URL(fileURLWithPath: $0)) } ?? Self.synthetic(rows, cols, seed: global.seed)
        let inputBytes = x.count * MemoryLayout<S>.stride
        var results = [[String: Any]]()
        for name in solverNames {
            let pca = PCA<S>(components: .count(components), solver: PCASolver(rawValue: name)!, seed: global.seed)
            var model: PCAModel<S>?
            let before = PeakMemory.reset()
            let seconds = try Timing.median(repeats: repeats, warmup: warmup) { model = try pca.fit(x) }
            let peak = PeakMemory.bytes()
            let ratios = model!.explainedVarianceRatio.map { Double($0) }
            results.append(["solver": name, "used": model!.method.rawValue, "seconds": seconds,
                            "peak_rss_bytes": peak, "peak_over_input": Double(peak) / Double(inputBytes),
                            "rss_before_fit_bytes": before, "fit_extra_over_input": Double(peak - before) / Double(inputBytes),
                            "explained_variance_ratio": ratios])
            if !json {
                print(String(format: "pca %@ (%@) %d×%d → %d: %.4f s, peak RSS %.0f MiB (%.2f × input; the fit added %.2f × input), ratio sum %.6f",
                             name, model!.method.rawValue, x.rows, x.columns, components, seconds,
                             Double(peak) / 1_048_576, Double(peak) / Double(inputBytes),
                             Double(peak - before) / Double(inputBytes), ratios.reduce(0, +)))
            }
        }
        if json {
            let report: [String: Any] = ["rows": x.rows, "cols": x.columns, "components": components, "dtype": S.typeName,
                                         "threads": Parallel.threadCount, "blas_threads": Parallel.blasThreadCount,
                                         "input_bytes": inputBytes, "results": results]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// `Z·diag(s)·Qᵀ + offset` with Z standard normal, Q a random orthogonal matrix and
    /// `s_j = exp(−j/20) + 0.05`: a spectrum that decays, then flattens into noise.
    static func synthetic<S: BLASScalar>(_ n: Int, _ d: Int, seed: UInt64) throws -> Matrix<S> {
        var rng = Xoshiro256StarStar(seed: seed)
        let q = try Matrix<S>.randomNormal(d, d, using: &rng).qr().q
        let scales = (0..<d).map { S(Double.exp(-Double($0) / 20) + 0.05) }
        let z = Matrix<S>.randomNormal(n, d, using: &rng).multiplying(row: scales)
        let offset = (0..<d).map { _ in S(rng.uniform(-1, 1)) }
        return Matrix.gemm(z, q, transposeB: true).adding(row: offset)
    }
}

/// Peak resident memory of this process (Linux): `VmHWM` from `/proc/self/status`, which writing
/// `5` to `/proc/self/clear_refs` resets to the current resident size.
enum PeakMemory {
    /// Resets the peak and returns the current resident size in bytes.
    @discardableResult
    static func reset() -> Int {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return field("VmRSS:")
    }

    /// The peak resident size in bytes since the last `reset`.
    static func bytes() -> Int { field("VmHWM:") }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
    }
}
