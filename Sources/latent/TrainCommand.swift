import ArgumentParser
import Foundation
import Latent
import LatentDistributed

/// `latent train …`: neural models trained with LatentNN, checkpointed in safetensors files.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train neural models (checkpoints are safetensors files that PyTorch can load).",
        subcommands: [TrainClassifierCommand.self, TrainAutoencoderCommand.self, TrainVAECommand.self,
                      TrainSimCLRCommand.self, TrainRotationCommand.self, TrainContextCommand.self,
                      TrainInpaintingCommand.self, TrainColorizationCommand.self, TrainCPCCommand.self,
                      TrainGPTCommand.self, TrainBERTCommand.self, TrainInContextCommand.self])
}

/// `latent train classifier`: an MLP or CNN image classifier on Fashion-MNIST with Adam.
///
/// The recipe: pixels standardised with the training set's mean and standard deviation, Adam with a
/// cosine learning-rate decay over all `--epochs` (or a constant rate), cross-entropy, batches
/// reshuffled every epoch from `(seed, epoch)`.
///
/// Prints one line per epoch on stdout (training loss, test loss and accuracy, time); progress
/// goes to stderr every few seconds. A checkpoint is written atomically after every epoch;
/// `--resume` (with the same `--epochs`) continues from it and gives exactly the weights of an
/// uninterrupted run.
struct TrainClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "Train an image classifier (MLP or CNN) on Fashion-MNIST.")

    enum ModelKind: String, ExpressibleByArgument, CaseIterable {
        case mlp, cnn
    }

    enum DatasetName: String, ExpressibleByArgument, CaseIterable {
        case fashionMNIST = "fashion-mnist"
    }

    @Option(help: "The network: mlp (784-256-256-10, ReLU) or cnn (two 3×3 conv layers, max pooling, 128 hidden).")
    var model: ModelKind = .mlp

    @Option(help: "The data set.")
    var dataset: DatasetName = .fashionMNIST

    @Option(help: "Folder holding the data set files (default: /usr/share/datasets/fashion-mnist).")
    var dataFolder: String?

    @Option(parsing: .unconditional, help: "Total number of epochs (a resumed run trains until this many are done).")
    var epochs: Int = 5

    @Option(help: "Checkpoint file (.safetensors), written after every epoch.")
    var checkpoint: String

    @Flag(help: "Continue from the checkpoint's epoch instead of starting afresh.")
    var resume = false

    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize: Int = 128

    @Option(parsing: .unconditional, help: "Adam's learning rate.")
    var learningRate: Double = 1e-3

    enum ScheduleKind: String, ExpressibleByArgument, CaseIterable {
        case cosine, constant
    }

    @Option(help: "Learning-rate schedule: cosine (decay to 0 over all epochs) or constant.")
    var schedule: ScheduleKind = .cosine

    @Option(parsing: .unconditional, help: "Use only the first N training images (for quick trials).")
    var limit: Int?

    @Flag(help: "Run as one rank of an MPI job (`mpirun -np N latent train classifier … --distributed`): each rank trains on its shard of every batch, gradients all-reduced; rank 0 writes the checkpoint and prints.")
    var distributed = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try OptionRange.check("--epochs", epochs, OptionRange.count)
        try OptionRange.check("--batch-size", batchSize, 1...1_000_000)
        try OptionRange.check("--learning-rate", learningRate, above: 0)
        try OptionRange.check("--limit", limit, OptionRange.count)
    }

    func run() throws {
        if distributed { try DistributedRun.run { try train(world: $0) } } else { try train(world: nil) }
    }

    /// The run; with `world`, as one rank of a data-parallel job (only rank 0 prints).
    func train(world: Communicator?) throws {
        let stderr = { (line: String) in if world?.isRoot ?? true { latent.stderr(line) } }
        global.apply()
        let checkpointURL = URL(fileURLWithPath: checkpoint)
        let folder = dataFolder.map { URL(fileURLWithPath: $0) } ?? FashionMNIST.defaultFolder
        // Before loading or training: the checkpoint's folder exists and is writable, and the
        // checkpoint is none of the data files.
        let dataFiles = [FashionMNIST.Split.train, .test].flatMap { split -> [OutputSafety.Named] in
            let files = FashionMNIST.files(split: split, folder: folder)
            return [.init("--data-folder", files.images.path), .init("--data-folder", files.labels.path)]
        }
        try OutputSafety.check(inputs: dataFiles, outputs: [.file("--checkpoint", checkpoint)])

        // data
        let train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train, folder: folder)
        let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: folder)
        var trainImages = train.images, trainLabels = train.labels
        if let limit, limit < trainImages.rows {
            trainImages = Matrix(rows: limit, columns: trainImages.columns, storage: Array(trainImages.storage.prefix(limit * trainImages.columns)))
            trainLabels = Array(trainLabels.prefix(limit))
        }

        // standardise pixels with the training set's mean and standard deviation (as
        // torchvision's Normalize((0.2860,), (0.3530,)) does for Fashion-MNIST)
        let pixels = trainImages.storage.map(Double.init)
        let mean = pixels.reduce(0, +) / Double(pixels.count)
        let std = (pixels.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(pixels.count)).squareRoot()
        let standardise = { (m: Matrix<Float>) in
            Matrix(rows: m.rows, columns: m.columns, storage: m.storage.map { Float((Double($0) - mean) / std) })
        }
        trainImages = standardise(trainImages)
        let testImages = standardise(test.images)

        // the seed: a resumed run keeps the checkpoint's, so the data order matches
        var seed = global.seed
        var checkpointFile: SafeTensors?
        if resume {
            if let world {
                // rank 0 reads the file and sends its bytes, so it need be on rank 0's disk only
                checkpointFile = try SafeTensors(bytes: world.readOnRoot(checkpointURL), path: checkpointURL.path)
            } else {
                guard FileManager.default.fileExists(atPath: checkpointURL.path) else {
                    throw UsageError("--resume: there is no checkpoint at \(checkpointURL.path)")
                }
                checkpointFile = try SafeTensors.read(checkpointURL)
            }
        }
        if let checkpointFile {
            let stored = checkpointFile.metadata
            // Shapes are checked against the model by `Trainer.resume`; the values here: a NaN
            // weight would silently poison every later step.
            for name in checkpointFile.names where [.f32, .f64].contains(checkpointFile.tensors[name]?.dtype) {
                let values = checkpointFile.tensors[name]?.dtype == .f64
                    ? try checkpointFile.values(name, as: Double.self) : try checkpointFile.values(name, as: Float.self).map(Double.init)
                if let i = values.firstIndex(where: { !$0.isFinite }) {
                    throw Failure("\(checkpoint): tensor \(MessageText.quoted(name)) has \(values[i]) at index \(i); every value must be finite")
                }
            }
            if let kind = stored["model"], kind != model.rawValue {
                throw ValidationError("--resume: \(checkpointURL.path) holds a \(kind) model, not \(model.rawValue)")
            }
            if schedule == .cosine, let planned = stored["epochs"].flatMap(Int.init), planned != epochs {
                stderr("note: the checkpoint's run planned \(planned) epochs; the cosine schedule now spans \(epochs), so the rates differ from the original plan")
            }
            if let s = stored["seed"].flatMap(UInt64.init), s != seed {
                stderr("note: resuming with the checkpoint's seed \(s) (not \(seed)) so the data order matches")
                seed = s
            }
        }

        // model, optimizer, schedule (a pure function of the step, so resuming needs no state), trainer
        let network: ImageClassifier<Float> = model == .mlp ? .mlp(seed: seed) : .cnn(seed: seed)
        let optimizer = Adam(parameters: network.parameters, learningRate: learningRate)
        let trainLoader = DataLoader(features: trainImages, labels: trainLabels, batchSize: batchSize, seed: seed,
                                     sampleShape: network.sampleShape)
        let rates: LearningRateSchedule = schedule == .cosine
            ? .cosine(base: learningRate, minimum: 0, totalSteps: epochs * trainLoader.batchCount) : .constant(learningRate)
        let metadata = ["model": model.rawValue, "dataset": dataset.rawValue, "epochs": String(epochs),
                        "schedule": schedule.rawValue, "batch_size": String(batchSize), "learning_rate": String(learningRate)]
        let testLoader = DataLoader(features: testImages, labels: test.labels, batchSize: 1000, shuffle: false,
                                    sampleShape: network.sampleShape)
        // one process, or this rank of a data-parallel job (its shard of every batch, gradients all-reduced)
        let parallel = try world.map {
            try DataParallelTraining(task: ClassificationTask(network), optimizer: optimizer, seed: seed, schedule: rates,
                                     checkpoint: checkpointURL, metadata: metadata, training: trainLoader,
                                     evaluation: testLoader, communicator: $0)
        }
        let trainer = parallel?.trainer ?? Trainer(model: network, optimizer: optimizer, seed: seed, schedule: rates,
                                                   checkpoint: checkpointURL, metadata: metadata)
        if let checkpointFile {
            if let parallel { try parallel.resume(from: checkpointFile) } else { try trainer.resume(from: checkpointFile) }
            stderr("resumed from \(checkpointURL.path) after epoch \(trainer.progress.epoch) (step \(trainer.progress.step))")
        }
        stderr("\(model.rawValue): \(network.parameterCount) parameters; \(trainImages.rows) training and \(testImages.rows) test images "
               + "(pixels standardised: mean \(format(mean, 4)), std \(format(std, 4))); "
               + "batch \(batchSize), Adam \(learningRate) (\(schedule.rawValue)), seed \(seed), \(Parallel.threadCount) threads"
               + (world.map { ", \($0.size) ranks" } ?? ""))
        if trainer.progress.epoch >= epochs { stderr("the checkpoint already has \(trainer.progress.epoch) epochs; nothing to do") }

        // train: one line per epoch on stdout, progress on stderr every few seconds
        var lastReport = Date()
        let report = { (event: TrainingEvent) in
            guard world?.isRoot ?? true else { return }
            switch event {
            case let .step(epoch, batch, batches, _, loss):
                if Date().timeIntervalSince(lastReport) >= 5 || batch == batches {
                    lastReport = Date()
                    stderr("epoch \(epoch) batch \(batch)/\(batches) loss \(format(loss, 4))")
                }
            case let .epochFinished(r):
                print("epoch \(r.epoch)/\(epochs)  train loss \(format(r.trainingLoss, 4))  test loss \(format(r.evaluationLoss ?? .nan, 4))  "
                      + "test accuracy \(format(100 * (r.evaluationAccuracy ?? .nan), 2))%  \(format(r.seconds, 1)) s  "
                      + "(\(Int(Double(trainImages.rows) / Swift.max(r.seconds, 1e-9))) samples/s)")
                StandardOutput.flush()
            }
        }
        if let parallel {
            try parallel.fit(epochs: epochs, onEvent: report)
            let r = parallel.reduction
            stderr("all-reduce of the gradients: \(format(r.communicationSeconds, 2)) s over \(r.steps) steps "
                   + "(\(r.elementsPerStep * MemoryLayout<Float>.size) bytes each, bucketed and non-blocking)")
        } else {
            try trainer.fit(trainLoader, evaluation: testLoader, epochs: epochs, onEvent: report)
        }
    }
}

/// Writes one line to standard error.
func stderr(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// `value` with `digits` decimals.
func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
