import ArgumentParser
import Foundation
import Latent

/// Where results go. Shared by every fitting command (`embed` reuses `--output`/`--json`/`--quiet`).
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write the embedding (one row per input row) to FILE: .csv with a header (pc1… for pca, z1… otherwise) and a final 'label' column when the input has labels; or .npy (float64) with labels as class indices in FILE's stem + '.labels.npy'. Without it, a summary goes to stdout.",
        valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the fitted model as JSON to FILE (see `latent inspect`, `latent embed`).", valueName: "file"))
    var saveModel: String?

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress or notes on stderr.")
    var quiet = false

    func validate() throws {
        if let output { try Self.validateOutput(output) }
        if let saveModel, saveModel.isEmpty { throw ValidationError("--save-model needs a file name") }
        if let saveModel, let output, saveModel == output { throw ValidationError("--save-model and --output name the same file") }
    }

    /// The files this writes, for `OutputSafety`: `--output` (and its `.labels.npy` companion) and `--save-model`.
    var namedFiles: [OutputSafety.Named?] { (output.map(Self.namedFiles) ?? []) + [.file("--save-model", saveModel)] }

    /// `--output FILE`, and the labels file written beside an `.npy` output.
    static func namedFiles(output path: String) -> [OutputSafety.Named?] {
        var files = [OutputSafety.Named("--output", path)]
        if path.lowercased().hasSuffix(".npy") { files.append(OutputSafety.Named("--output's labels", EmbeddingWriter.labelsPath(for: path))) }
        return files
    }

    static func validateOutput(_ path: String) throws {
        let lower = path.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".npy") else {
            throw ValidationError("--output must end in .csv or .npy, got '\(path)'")
        }
    }
}

/// Writes embeddings atomically (temporary file, then rename), so a failed or interrupted run
/// never leaves a partial file.
enum EmbeddingWriter {
    /// The companion file for labels of an `.npy` output: `scores.npy` → `scores.labels.npy`.
    static func labelsPath(for path: String) -> String {
        String(path.dropLast(4)) + ".labels.npy"
    }

    /// Column names `prefix1…prefixK`.
    static func columnNames(prefix: String, count: Int) -> [String] { (1...max(count, 1)).prefix(count).map { "\(prefix)\($0)" } }

    /// Writes `z` (and `labels`) to `path` (.csv or .npy). Returns a note on where the labels went
    /// (for `.npy`: the companion file and, for named classes, which name each id stands for).
    @discardableResult
    static func write(_ z: Matrix<Double>, labels: Labels?, prefix: String, to path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        Interrupts.protect(path)
        if path.lowercased().hasSuffix(".npy") {
            if let labels {
                let labelsPath = labelsPath(for: path)
                Interrupts.protect(labelsPath)
                try NPY.write(integers: labels.indices, to: URL(fileURLWithPath: labelsPath))
            }
            try NPY.write(z, to: url)
            guard let labels else { return "" }
            var note = " (labels in \(labelsPath(for: path))"
            if let names = labels.classNames {
                let shown = names.prefix(20).enumerated().map { "\($0)=\($1)" }.joined(separator: ", ")
                note += "; ids: \(shown)\(names.count > 20 ? ", …" : "")"
            }
            return note + ")"
        } else {
            try CSV.write(z, to: url, columnNames: columnNames(prefix: prefix, count: z.columns), labels: labels?.strings)
            return ""
        }
    }

    /// `z` as CSV text (for `embed` without `--output`).
    static func csvText(_ z: Matrix<Double>, labels: Labels?, prefix: String) -> Data {
        CSV.encode(z, columnNames: columnNames(prefix: prefix, count: z.columns), labels: labels?.strings)
    }
}
