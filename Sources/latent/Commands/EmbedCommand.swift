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
        """)

    @Option(help: ArgumentHelp("A model file written by --save-model.", valueName: "file"))
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
            let file = try ModelFile.read(model)
            progress.stage("loading \(input.input)")
            let data = try input.load()
            try DataCheck.requireUsable(data.x, name: data.name)
            guard data.x.columns == file.inputFeatures else {
                throw Failure("\(data.name) has \(data.x.columns) feature columns, but \(model) (\(file.method)) was fitted on \(file.inputFeatures)")
            }
            let (z, _) = try progress.timed("embedding with \(file.method)") { try Failures.about(data.name) { try file.model.transform(data.x) } }
            if let output {
                let note = try EmbeddingWriter.write(z, labels: data.labels, prefix: file.descriptor.columnPrefix, to: output)
                if !quiet { StandardError.line("latent: wrote \(z.rows) × \(z.columns) \(file.method) embedding to \(output)\(note)") }
            }
            if json {
                var s = Summary()
                s.field("model", "model", .string(model))
                s.field("method", "method", .string(file.method))
                s.field("input", "input", .string(data.name))
                s.field("samples", "samples", .int(z.rows))
                s.field("outputFeatures", "output features", .int(z.columns))
                s.field("output", "output", output.map(JSONValue.string) ?? .null)
                try s.print(json: true)
            } else if output == nil {
                FileHandle.standardOutput.write(EmbeddingWriter.csvText(z, labels: data.labels, prefix: file.descriptor.columnPrefix))
            }
        }
    }
}
