import ArgumentParser
import Foundation
import Latent

/// A `latent <method> INPUT` command: load, fit, embed, report, save.
///
/// Every method runs in Double (analysts' CSVs, sums over many rows). The embedding written with
/// `--output` is `model.transform(input)` for every method, which is exactly what
/// `latent embed --model` gives for the same input.
protocol FitCommand: ParsableCommand {
    /// The method fitted, as described once (name, model format, output column prefix).
    var method: MethodDescriptor { get }
    var global: GlobalOptions { get }
    var input: InputOptions { get }
    var output: OutputOptions { get }
    /// The options as recorded in the model file and the summary, keyed by the command's flag
    /// names (kebab-case, as batch files spell parameters); see `recordedFlags`.
    var recordedOptions: [String: JSONValue] { get }
    /// Fits on `x`, reporting progress.
    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel
    /// Bytes the fit will need for `samples` × `features` data when that grows faster than the data
    /// (kernel matrices, user-sized weight matrices), what needs it and what to do instead; `nil`
    /// when memory is linear in the input.
    func memoryNeed(samples: Int, features: Int) -> (bytes: Double, what: String, hint: String)?
}

extension FitCommand {
    func memoryNeed(samples: Int, features: Int) -> (bytes: Double, what: String, hint: String)? { nil }
}

extension FitCommand {
    /// `recordedOptions` with camelCase keys spelled as the flags (`maxIter` → `max-iter`).
    /// Model files written before this change keep their camelCase keys; `options` is a record
    /// of the run and is read back as it is.
    var recordedFlags: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: recordedOptions.map { key, value in
            (key.reduce(into: "") { out, c in if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) } }, value)
        })
    }

    /// The shared run: stages on stderr, the summary or the output file, the model file.
    func runFit() throws {
        global.apply()
        try OutputSafety.check(inputs: input.namedFiles, outputs: output.namedFiles)
        try Failures.guarded {
            let progress = Progress(quiet: output.quiet)
            Interrupts.install(outputs: [output.output, output.saveModel].compactMap { $0 })
            progress.stage("loading \(input.input)")
            let data = try input.load()
            progress.stage("\(data.x.rows) rows × \(data.x.columns) features\(data.labels == nil ? "" : ", with labels")")
            if let need = memoryNeed(samples: data.x.rows, features: data.x.columns) {
                try MemoryBudget.require(need.bytes, for: need.what, hint: need.hint)
            }
            try DataCheck.requireUsable(data.x, name: data.name)
            let start = DispatchTime.now()
            let model = try Failures.about(data.name) { try fit(data.x, progress: progress) }
            let fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            try report(model, data: data, fitSeconds: fitSeconds, options: recordedFlags, progress: progress)
        }
    }

    /// The output of a fit: the embedding of the input with `--output` (else the summary on
    /// stdout; with `--json` both), the model file with `--save-model`, each written atomically.
    /// `options` are recorded in the summary and the model file.
    func report(_ model: FittedModel, data: LoadedData, fitSeconds: Double, options: [String: JSONValue], progress: Progress) throws {
        let needEmbedding = output.output != nil
        let z = needEmbedding ? try progress.timed("embedding") { try Failures.about(data.name) { try model.transform(data.x) } }.0 : nil

        var summary = Summary()
        summary.field("input", "input", .string(data.name))
        summary.field("samples", "samples", .int(data.x.rows))
        summary.describe(model, method: method)
        summary.field("options", "options", .object(options))
        summary.field("fitSeconds", "fit time (s)", .number((fitSeconds * 1000).rounded() / 1000))

        if let path = output.saveModel {
            progress.stage("writing model \(path)")
            try ModelFile(model: model, method: method, options: options).write(to: path)
            summary.hidden("modelFile", .string(path))
        }
        if let path = output.output, let z {
            progress.stage("writing \(path)")
            let note = try EmbeddingWriter.write(z, labels: data.labels, prefix: method.columnPrefix, to: path)
            summary.hidden("output", .string(path))
            if let names = data.labels?.classNames, path.lowercased().hasSuffix(".npy") {
                summary.hidden("labelClasses", .array(names.map(JSONValue.string)))
            }
            if !output.quiet {
                StandardError.line("latent: wrote \(z.rows) × \(z.columns) \(method.name) embedding to \(path)\(note)")
            }
            if output.json { try summary.print(json: true) }
        } else {
            try summary.print(json: output.json)
        }
    }
}
