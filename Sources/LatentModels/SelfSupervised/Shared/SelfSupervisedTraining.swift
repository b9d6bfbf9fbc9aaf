import Foundation
import LatentCore
import LatentNN

/// A self-supervised configuration that cannot be trained as given.
public enum SelfSupervisedError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of range; the message names it.
    case invalidConfiguration(method: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(method, reason): return "invalid \(method) configuration: \(reason)"
        }
    }
}

/// What the self-supervised methods share: data checks, the training loop (Adam through
/// `Trainer`, checkpoints after every epoch, exact resume) and the fitted encoder f.
enum SelfSupervisedTraining {
    /// Throws unless `settings`, `augmentation` and `architecture` are usable on `images`.
    static func check(method: String, images: Matrix<Float>, architecture: ImageEncoderArchitecture,
                      augmentation: AugmentationSettings, training: TrainingSettings, extra: String?) throws {
        if let p = architecture.problem ?? augmentation.problem ?? training.problem ?? extra {
            throw SelfSupervisedError.invalidConfiguration(method: method, reason: p)
        }
        try AutoencoderTraining.validate(images, inputSize: architecture.inputSize)
    }

    /// Trains `task` on `source` and returns the encoder `encoder` (a part of the task's model) as
    /// a fitted model; the rest of the network is dropped.
    static func fit<Task: TrainingTask, Configuration: Codable & Equatable>(
        method: String, configuration: Configuration, architecture: ImageEncoderArchitecture, training settings: TrainingSettings,
        epochs: WritableKeyPath<Configuration, Int>, task: Task, encoder: Sequential<Float>, source: some BatchSource<Task.Batch>,
        checkpoint: URL?, resume: Bool, onEvent: (TrainingEvent) -> Void
    ) throws -> FittedImageEncoder where Task.Scalar == Float {
        var metadata = AutoencoderTraining.metadata(kind: "\(method)-training", configuration: configuration, inputSize: architecture.inputSize)
        let json = metadata["configuration"] ?? "{}"
        metadata.merge(FittedImageEncoder.metadata(method: method, architecture: architecture, configurationJSON: json)) { a, _ in a }
        let reports = try AutoencoderTraining.run(task, training: source, evaluation: nil, settings: settings, metadata: metadata,
                                                  checkpoint: checkpoint, resume: resume,
                                                  accepts: { AutoencoderTraining.sameExceptEpochs($0, as: configuration, epochs: epochs) },
                                                  onEvent: onEvent)
        return FittedImageEncoder(method: method, architecture: architecture, configurationJSON: json, encoder: encoder, history: reports)
    }
}
