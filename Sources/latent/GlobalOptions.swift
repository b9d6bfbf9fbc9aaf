import ArgumentParser
import Latent

/// Options every subcommand takes: `--seed` and `--threads`.
struct GlobalOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed for every random choice; the same seed gives the same numbers.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Threads for OpenBLAS and Latent's loops, 1…1024 (default: all cores, or OPENBLAS_NUM_THREADS).")
    var threads: Int?

    func validate() throws {
        try OptionRange.check("--threads", threads, OptionRange.threads)
    }

    /// Applies `--threads`; call first in `run()`.
    func apply() {
        if let threads { Parallel.setThreadCount(threads) }
    }
}
