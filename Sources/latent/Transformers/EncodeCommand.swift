import ArgumentParser
import Foundation
import Latent

/// `latent encode --checkpoint bert.safetensors --lines sentences.txt -o embeddings.npy`: BERT
/// sentence embeddings, one row per line, written as `.npy` or CSV (`FittedBERT.encode`).
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Sentence embeddings from a BERT model trained by `latent train bert`: one row per line of a text file.",
        discussion: """
        Each line is tokenized, cut to its first context − 2 tokens (the count of lines cut is
        printed on stderr), framed [CLS] line [SEP] and run through the encoder without dropout;
        its row is the mean of the final token states over [CLS], the line's tokens and [SEP]
        (padding excluded), D numbers per line. The lines file must be UTF-8 without empty lines.
        Output: .npy (float32, n × D) or .csv (columns bert1 … bertD), written atomically.
        """)

    @Option(help: "A model file or checkpoint written by `latent train bert`.")
    var checkpoint: String
    @Option(help: "UTF-8 text file, one sentence per line (no empty lines).")
    var lines: String
    @Option(name: .shortAndLong, help: "Output file: .npy (float32) or .csv.")
    var output: String
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        let lower = output.lowercased()
        guard lower.hasSuffix(".npy") || lower.hasSuffix(".csv") else {
            throw ValidationError("--output must end in .npy or .csv, got \(MessageText.quoted(output, limit: 200))")
        }
        try OutputSafety.validate(inputs: [.file("--checkpoint", checkpoint), .file("--lines", lines)], outputs: [.file("--output", output)])
    }

    func run() throws {
        global.apply()
        try Failures.guarded {
            let model = try FittedBERT<Float>.load(from: URL(fileURLWithPath: checkpoint))
            let sentences = try TextCorpusInput.sentences(lines)
            let ids = sentences.map { model.tokenizer.encode($0) }
            let cut = ids.filter { $0.count > model.sentenceTokenLimit }.count
            let start = Date()
            let embeddings = model.encode(ids: ids)      // ids come from the model's own tokenizer: in range
            let width = embeddings.columns
            if let bad = embeddings.storage.firstIndex(where: { !$0.isFinite }) {
                throw Failure("\(MessageText.quoted(checkpoint, limit: 200)): the model gives a non-finite embedding for \(MessageText.quoted(lines, limit: 200)):\(bad / width + 1); nothing written")
            }
            let url = URL(fileURLWithPath: output)
            if url.pathExtension.lowercased() == "npy" {
                try NPY.write(embeddings, to: url)
            } else {
                try CSV.write(embeddings, to: url, columnNames: (1...width).map { "bert\($0)" })
            }
            let seconds = Date().timeIntervalSince(start)
            stderr("latent: \(ids.count) sentences → \(ids.count) × \(width) in \(formatted(seconds, 2)) s; "
                   + "\(cut) cut to \(model.sentenceTokenLimit) tokens (context \(model.configuration.architecture.context)); wrote \(output)")
        }
    }
}
