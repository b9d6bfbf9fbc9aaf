import ArgumentParser
import Latent

/// Options every subcommand takes: `--seed` and `--threads`.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Seed for every random choice; the same seed gives the same numbers.")
    var seed: UInt64 = 0

    @Option(help: "Threads for OpenBLAS and Latent's loops (default: all cores, or OPENBLAS_NUM_THREADS).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// Applies `--threads`; call first in `run()`.
    func apply() {
        if let threads { Parallel.setThreadCount(threads) }
    }
}
