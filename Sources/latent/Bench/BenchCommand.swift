import ArgumentParser

/// `latent bench …`: timings of Latent's kernels and learners. Each subcommand prints one line per
/// measurement (median of repeats) and, with `--json`, a JSON object that `scripts/bench/*.py`
/// reads to put Latent beside its Python peers in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Latent's speed (scripts/bench compares it with NumPy, scikit-learn and PyTorch).",
        subcommands: [BenchGEMM.self, BenchPCA.self, BenchICA.self, BenchNMF.self, BenchDictionary.self, BenchRBM.self,
                      BenchTSNE.self, BenchNNCommand.self, BenchSparseEmbedding.self, BenchFuzz.self, BenchTransformer.self])
}
