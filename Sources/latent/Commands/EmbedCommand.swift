import ArgumentParser
import Foundation
import Latent

/// `latent embed --model FILE INPUT`: applies a saved model to new data.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Apply a model saved with --save-model to new data.",
        discussion: """
        Example:
          latent embed --model pca.json new.csv --output new-scores.csv

        The input must have as many feature columns as the data the model
        was fitted on (after --label-column and --drop-columns). Without
        --output the embedding goes to stdout as CSV.

        An image network trained by latent train takes image rows with
        pixels in [0, 1] (IDX and fashion-mnist input: --scale):
          latent train simclr --output simclr.safetensors
          latent embed --model simclr.safetensors fashion-mnist:test --scale -o f.npy
        """)

    @Option(help: ArgumentHelp("A model file written by --save-model, or an image network written by latent train (.safetensors: simclr, rotation, context, cpc, inpainting, autoencoder, vae).", valueName: "file"))
    var model: String

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Write the embedding to FILE (.csv or .npy, as the fitting commands do). (default: CSV on stdout)", valueName: "file"))
    var output: String?

    @Flag(help: "Print a JSON summary (model, rows, output) on stdout instead of the embedding.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress or notes on stderr.")
    var quiet = false

    @OptionGroup(title: "Run") var global: GlobalOptions

    func validate() throws {
        if let output { try OutputOptions.validateOutput(output) }
    }

    func run() throws {
        global.apply()
        try OutputSafety.check(inputs: [.file("--model", model)] + input.namedFiles,
                               outputs: output.map(OutputOptions.namedFiles) ?? [])
        try Failures.guarded {
            let progress = Progress(quiet: quiet)
            if let output { Interrupts.install(outputs: [output]) }
            progress.stage("reading model \(model)")
            let applied = try AppliedModel.read(model)
            progress.stage("loading \(input.input)")
            let data = try input.load()
            try DataCheck.requireUsable(data.x, name: data.name)
            guard data.x.columns == applied.inputFeatures else {
                throw Failure("\(data.name) has \(data.x.columns) feature columns, but \(model) (\(applied.method)) was fitted on \(applied.inputFeatures)")
            }
            let (z, _) = try progress.timed("embedding with \(applied.method)") { try Failures.about(data.name) { try applied.transform(data.x) } }
            if let bad = z.storage.firstIndex(where: { !$0.isFinite }) {
                throw Failure("\(model) gives a non-finite value for row \(bad / z.columns + 1) of \(data.name); nothing written")
            }
            if let output {
                let note = try EmbeddingWriter.write(z, labels: data.labels, prefix: applied.columnPrefix, to: output)
                if !quiet { StandardError.line("latent: wrote \(z.rows) × \(z.columns) \(applied.method) embedding to \(output)\(note)") }
            }
            if json {
                var s = Summary()
                s.field("model", "model", .string(model))
                s.field("method", "method", .string(applied.method))
                s.field("input", "input", .string(data.name))
                s.field("samples", "samples", .int(z.rows))
                s.field("outputFeatures", "output features", .int(z.columns))
                s.field("output", "output", output.map(JSONValue.string) ?? .null)
                try s.print(json: true)
            } else if output == nil {
                FileHandle.standardOutput.write(EmbeddingWriter.csvText(z, labels: data.labels, prefix: applied.columnPrefix))
            }
        }
    }
}

/// What `latent embed` applies: a JSON model file (`ModelFile`) or a trained image network (`NetworkModelFile`).
private struct AppliedModel {
    let method: String
    let inputFeatures: Int
    /// Names the output columns: prefix1 … prefixK.
    let columnPrefix: String
    let transform: (Matrix<Double>) throws -> Matrix<Double>

    static func read(_ path: String) throws -> AppliedModel {
        if NetworkModelFile.isSafeTensors(path) {
            let network = try NetworkModelFile.read(path)
            return AppliedModel(method: network.method, inputFeatures: network.inputFeatures, columnPrefix: network.method, transform: network.embed)
        }
        let file = try ModelFile.read(path)
        return AppliedModel(method: file.method, inputFeatures: file.inputFeatures, columnPrefix: file.descriptor.columnPrefix, transform: file.model.transform)
    }
}
