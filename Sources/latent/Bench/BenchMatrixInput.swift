import ArgumentParser
import Foundation
import Latent

/// What `latent bench dictionary|rbm|tsne` share: the Float32 `.npy` matrix that
/// scripts/bench hands to them and to the peer alike, its first `--rows` rows, JSON or text
/// output, and the seed and thread options.
struct BenchMatrixInput: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(help: "Input .npy file (n × features, rows = samples), read as Float.")
    var input: String

    @Option(parsing: .unconditional, help: "Use only the first ROWS rows (default: all).")
    var rows: Int?

    @Flag(help: "Print one JSON object instead of a text line.")
    var json = false

    func validate() throws {
        try OptionRange.check("--rows", rows, OptionRange.count)
    }

    /// Applies `--seed`/`--threads` and reads the input: the whole matrix and its first `--rows` rows.
    func load() throws -> (all: Matrix<Float>, rows: Matrix<Float>) {
        global.apply()
        let all: Matrix<Float> = try NPY.read(URL(fileURLWithPath: input))
        return (all, rows.map { all.rows(0..<Swift.min($0, all.rows)) } ?? all)
    }
}
