import Foundation
import LatentCore
import LatentIO
import LatentNN
import LatentText

/// The training run and the model files shared by `GPT` and `BERT`: a `Trainer` with AdamW over
/// the usual two parameter groups, warm-up + cosine, checkpoints that carry the configuration
/// and the tokenizer (so a checkpoint is also a model file), and exact resumption.
enum LanguageModelFiles {
    /// Metadata naming the kind, the configuration (JSON) and the tokenizer (its two files' texts).
    static func metadata(kind: String, configuration: some Encodable, tokenizer: BPETokenizer) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
        let specials = String(decoding: (try? encoder.encode(tokenizer.specialTokens)) ?? Data(), as: UTF8.self)
        return ["kind": kind, "configuration": json, "tokenizer.vocabulary": tokenizer.vocabularyJSON,
                "tokenizer.merges": tokenizer.mergesText, "tokenizer.special": specials]
    }

    /// Reads a model or checkpoint file of `kind`: the safetensors contents, configuration and tokenizer.
    /// - Throws: `IOError`, `CheckpointError.badMetadata` naming the file and the entry at fault.
    static func read<C: Decodable>(_ url: URL, kind: String, as: C.Type) throws -> (file: SafeTensors, configuration: C, tokenizer: BPETokenizer) {
        let file = try SafeTensors.read(url)
        guard file.metadata["kind"] == kind else {
            throw CheckpointError.badMetadata(path: url.path, key: "kind", reason: "expected \"\(kind)\", found \"\(file.metadata["kind"] ?? "nothing")\"")
        }
        guard let json = file.metadata["configuration"], let configuration = try? JSONDecoder().decode(C.self, from: Data(json.utf8)) else {
            throw CheckpointError.badMetadata(path: url.path, key: "configuration", reason: "missing or not a \(kind) configuration")
        }
        guard let vocabulary = file.metadata["tokenizer.vocabulary"], let merges = file.metadata["tokenizer.merges"],
              let specialJSON = file.metadata["tokenizer.special"],
              let specials = try? JSONDecoder().decode([String].self, from: Data(specialJSON.utf8)) else {
            throw CheckpointError.badMetadata(path: url.path, key: "tokenizer", reason: "missing tokenizer.vocabulary, tokenizer.merges or tokenizer.special")
        }
        let tokenizer = try BPETokenizer.parse(vocabularyJSON: vocabulary, vocabularyPath: url.path + " (tokenizer.vocabulary)",
                                               merges: merges, mergesPath: url.path + " (tokenizer.merges)", specialTokens: specials)
        return (file, configuration, tokenizer)
    }

    /// Throws unless every id lies in `0..<vocabularySize`. O(n).
    static func validate(_ tokens: [Int], vocabularySize: Int) throws {
        if let i = tokens.firstIndex(where: { $0 < 0 || $0 >= vocabularySize }) {
            throw LanguageModelError.tokenOutOfRange(position: i, id: tokens[i], vocabularySize: vocabularySize)
        }
    }

    /// Trains `task` on `training` for `settings.epochs` epochs (of `stepsPerEpoch` steps),
    /// evaluating on `evaluation` and checkpointing after each, resuming from `checkpoint` when
    /// `resume` is set and the file exists (its metadata must equal `metadata`: same kind,
    /// configuration and tokenizer).
    static func run<Task: TrainingTask>(_ task: Task, training: some BatchSource<Task.Batch>, evaluation: (any BatchSource<Task.Batch>)?,
                                        settings: LanguageModelTraining, metadata: [String: String],
                                        checkpoint: URL?, resume: Bool, onEvent: (TrainingEvent) -> Void) throws -> [EpochReport] {
        let optimizer = Adam.adamW(groups: task.model.parameterGroups(weightDecay: settings.weightDecay), learningRate: settings.learningRate)
        let trainer = Trainer(task: task, optimizer: optimizer, seed: settings.seed, schedule: settings.schedule,
                              maximumGradientNorm: settings.maximumGradientNorm, checkpoint: checkpoint, metadata: metadata)
        if resume, let checkpoint, FileManager.default.fileExists(atPath: checkpoint.path) {
            let file = try SafeTensors.read(checkpoint)
            for key in ["kind", "configuration", "tokenizer.vocabulary", "tokenizer.merges", "tokenizer.special"] where file.metadata[key] != metadata[key] {
                throw CheckpointError.badMetadata(path: checkpoint.path, key: key,
                                                  reason: "the checkpoint was trained with another \(key == "kind" ? "model kind" : key.hasPrefix("tokenizer") ? "tokenizer" : "configuration"); start a new run")
            }
            try trainer.resume(from: checkpoint)
        }
        return try trainer.fit(training, evaluation: evaluation, epochs: settings.epochs, onEvent: onEvent)
    }

    /// `body` over `sequences` in batches of `batchSize`, padded with `padding`, without gradient;
    /// the `(B, D)` results stacked into an `n × D` matrix.
    static func pooled<S: BLASScalar>(_ sequences: [[Int]], padding: Int, batchSize: Int = 64, width: Int,
                                      _ body: (TokenBatch) -> Tensor<S>) -> Matrix<S> {
        withoutGradient {
            var out: [S] = []
            out.reserveCapacity(sequences.count * width)
            var start = 0
            while start < sequences.count {
                let end = Swift.min(start + batchSize, sequences.count)
                out += body(TokenBatch(Array(sequences[start..<end]), padding: padding)).storage
                start = end
            }
            return Matrix(rows: sequences.count, columns: width, storage: out)
        }
    }
}
