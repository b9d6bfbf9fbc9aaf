import ArgumentParser
import Foundation
import Latent

/// Options shared by `latent train autoencoder` and `latent train vae`.
struct AutoencoderTrainingOptions: ParsableArguments {
    enum ArchitectureKind: String, ExpressibleByArgument, CaseIterable { case mlp, conv }

    @Option(help: ArgumentHelp("The data set: fashion-mnist, dsprites (generated), or a data file of images with pixels in [0, 1], one per row (.csv/.tsv/.txt, .npy or IDX; a sixth of the rows, chosen by --seed, is the test set).", valueName: "fashion-mnist|dsprites|FILE"))
    var dataset: AutoencoderDataset = .named(.fashionMNIST)
    @Option(help: "Folder holding the Fashion-MNIST files (default: /usr/share/datasets/fashion-mnist).")
    var dataFolder: String?
    @Option(parsing: .unconditional, help: "Training images: the first N of Fashion-MNIST or of a file's training rows, or N random dSprites images (default 20000).")
    var limit: Int?
    @Option(help: "Encoder/decoder: mlp (fully connected) or conv (4×4 stride-2 convolutions).")
    var architecture: ArchitectureKind = .mlp
    @Option(help: "Hidden layer sizes of the MLP, comma-separated.")
    var hidden = String(MethodDescriptor.variationalAutoencoder.defaults.int("hidden"))
    @Option(help: "Filters of each convolution layer, comma-separated (image sides must divide by 2^layers).")
    var filters: String = "32,64"
    @Option(parsing: .unconditional, help: "Code size.")
    var codeSize = MethodDescriptor.variationalAutoencoder.defaults.int("code-size")
    @Option(parsing: .unconditional, help: "Total number of epochs (a resumed run trains until this many are done).")
    var epochs = MethodDescriptor.variationalAutoencoder.defaults.int("epochs")
    @Option(parsing: .unconditional, help: "Samples per mini-batch.")
    var batchSize = MethodDescriptor.variationalAutoencoder.defaults.int("batch-size")
    @Option(parsing: .unconditional, help: "Adam's learning rate.")
    var learningRate = MethodDescriptor.variationalAutoencoder.defaults.double("learning-rate")
    @Option(help: "Model file (.safetensors): the checkpoint written after every epoch, with the optimizer state for --resume.")
    var output: String
    @Flag(help: "Continue from --output's checkpoint instead of starting afresh.")
    var resume = false
    @OptionGroup var distribution: DistributedTrainingOption
    @OptionGroup var file: ImageFileOptions
    @OptionGroup var global: GlobalOptions

    func sizes(_ text: String, _ name: String) throws -> [Int] {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--\(name) must be comma-separated positive integers, got \"\(text)\"")
        }
        return parts.map { $0! }
    }

    func validate() throws {
        try global.validate()
        if codeSize < 1 { throw ValidationError("--code-size must be at least 1, got \(codeSize)") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        _ = try sizes(hidden, "hidden")
        _ = try sizes(filters, "filters")
        try file.validate(dataset, dataFolder: dataFolder, output: output)
        if architecture == .conv, let shape = try knownShape, let p = model(shape: shape).problem(inputSize: shape.channels * shape.height * shape.width) {
            throw ValidationError("--filters: \(p)")
        }
    }

    /// The image shape when it is known before reading the data (named data sets, or --image-shape).
    var knownShape: (channels: Int, height: Int, width: Int)? {
        get throws {
            switch dataset {
            case let .named(d): return d.imageShape
            case .file: return try file.parsedShape()
            }
        }
    }

    /// The encoder/decoder for images of `shape`.
    func model(shape: (channels: Int, height: Int, width: Int)) -> AutoencoderArchitecture {
        switch architecture {
        case .mlp: return .multilayerPerceptron(hidden: (try? sizes(hidden, "hidden")) ?? [])
        case .conv: return .convolutional(channels: shape.channels, height: shape.height, width: shape.width, filters: (try? sizes(filters, "filters")) ?? [])
        }
    }

    /// Training and test images and their shape.
    func loadData() throws -> (train: Matrix<Float>, test: Matrix<Float>, shape: (channels: Int, height: Int, width: Int)) {
        switch dataset {
        case let .named(d):
            let (train, test) = try d.load(folder: dataFolder, limit: limit, seed: global.seed)
            return (train, test, d.imageShape)
        case let .file(path):
            return try file.load(path, limit: limit, seed: global.seed)
        }
    }

    var training: TrainingSettings {
        TrainingSettings(epochs: epochs, batchSize: batchSize, learningRate: learningRate, seed: global.seed)
    }

    /// Progress on stderr every few seconds; one line per epoch on stdout.
    func reporter(metrics: [String]) -> (TrainingEvent) -> Void {
        var last = Date()
        return { event in
            switch event {
            case let .step(epoch, batch, batches, _, loss):
                if Date().timeIntervalSince(last) >= 5 || batch == batches {
                    last = Date()
                    stderr("epoch \(epoch) batch \(batch)/\(batches) loss \(format(loss, 3))")
                }
            case let .epochFinished(r):
                let shown = metrics.compactMap { name in r.evaluation?[name].map { "test \(name) \(format($0, 3))" } }
                print((["epoch \(r.epoch)/\(epochs)", "train loss \(format(r.trainingLoss, 3))"] + shown + ["\(format(r.seconds, 1)) s"]).joined(separator: "  "))
                StandardOutput.flush()
            }
        }
    }

    func checkResume() throws {
        if resume && !FileManager.default.fileExists(atPath: output) {
            throw UsageError("--resume: there is no checkpoint at \(output)")
        }
    }
}

/// `latent train autoencoder`: a deep (optionally denoising or sparse) autoencoder.
struct TrainAutoencoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoencoder",
        abstract: "Train an MLP or convolutional autoencoder (plain, denoising or sparse) with a Bernoulli likelihood.")

    enum NoiseKind: String, ExpressibleByArgument, CaseIterable { case none, gaussian, masking }
    enum SparsityKind: String, ExpressibleByArgument, CaseIterable { case none, l1, kl }

    @OptionGroup var options: AutoencoderTrainingOptions
    @Option(help: "Denoising corruption of the training inputs: none, gaussian or masking.")
    var noise: NoiseKind = .none
    @Option(parsing: .unconditional, help: "Gaussian noise standard deviation, or the masked fraction in (0, 1).")
    var noiseLevel = MethodDescriptor.autoencoder.defaults.double("noise-level")
    @Option(help: "Sparsity penalty on the code: none, l1, or kl (sigmoid codes, KL to --sparsity-target).")
    var sparsity: SparsityKind = .none
    @Option(parsing: .unconditional, help: "Weight of the sparsity penalty.")
    var sparsityWeight = MethodDescriptor.autoencoder.defaults.double("sparsity-weight")
    @Option(parsing: .unconditional, help: "Target mean activation for --sparsity kl, in (0, 1).")
    var sparsityTarget = MethodDescriptor.autoencoder.defaults.double("sparsity-target")

    func configuration(shape: (channels: Int, height: Int, width: Int)) -> Autoencoder<Float> {
        let corruption: CorruptionNoise = noise == .none ? .none
            : noise == .gaussian ? .gaussian(standardDeviation: noiseLevel) : .masking(fraction: noiseLevel)
        let penalty: SparsityPenalty = sparsity == .none ? .none
            : sparsity == .l1 ? .l1(weight: sparsityWeight) : .kullbackLeibler(target: sparsityTarget, weight: sparsityWeight)
        return Autoencoder(architecture: options.model(shape: shape), codeSize: options.codeSize, noise: corruption, sparsity: penalty, training: options.training)
    }

    func validate() throws {
        if let shape = try options.knownShape, let p = configuration(shape: shape).problem(inputSize: shape.channels * shape.height * shape.width) {
            throw ValidationError(p)
        }
    }

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            try options.checkResume()
            let data = try options.loadData()
            let settings = self.configuration(shape: data.shape)
            if let p = settings.problem(inputSize: data.train.columns) { throw Failure("\(options.dataset): \(p)") }
            stderr("autoencoder on \(options.dataset): \(data.train.rows) training and \(data.test.rows) test images, seed \(options.global.seed)")
            let url = URL(fileURLWithPath: options.output)
            // the last epoch's checkpoint is the model file (`FittedAutoencoder.load` reads it)
            _ = try settings.fit(data.train, evaluation: data.test, checkpoint: url, resume: options.resume,
                                      onEvent: options.reporter(metrics: ["reconstruction", "sparsity"]))
            if writesFiles { stderr("wrote \(options.output)") }
        } }
    }
}

/// `latent train vae`: a VAE, β-VAE or capacity-annealed VAE.
struct TrainVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vae",
        abstract: "Train a VAE (Bernoulli decoder): β on the KL, or an annealed capacity (Burgess et al. 2018).")

    @OptionGroup var options: AutoencoderTrainingOptions
    @Option(parsing: .unconditional, help: "Weight β on the KL term (1: the plain VAE).")
    var beta = MethodDescriptor.variationalAutoencoder.defaults.double("beta")
    @Option(parsing: .unconditional, help: "Maximum capacity C in nats: train on γ·|KL − C| with C raised linearly to this (replaces --beta).")
    var capacity: Double?
    @Option(parsing: .unconditional, help: "γ of the capacity objective.")
    var gamma = MethodDescriptor.variationalAutoencoder.defaults.double("gamma")
    @Option(parsing: .unconditional, help: "Optimizer steps over which C rises from 0 to --capacity.")
    var annealSteps = MethodDescriptor.variationalAutoencoder.defaults.int("anneal-steps")
    @Option(parsing: .unconditional, help: "Importance samples for the test log-likelihood estimate printed at the end (0: skip).")
    var iwaeSamples: Int = 0

    func configuration(shape: (channels: Int, height: Int, width: Int)) -> VariationalAutoencoder<Float> {
        let weighting: KLWeighting = capacity.map { .capacity(gamma: gamma, maximum: $0, annealSteps: annealSteps) } ?? .beta(beta)
        return VariationalAutoencoder(architecture: options.model(shape: shape), codeSize: options.codeSize, weighting: weighting, training: options.training)
    }

    func validate() throws {
        if let shape = try options.knownShape, let p = configuration(shape: shape).problem(inputSize: shape.channels * shape.height * shape.width) {
            throw ValidationError(p)
        }
        if iwaeSamples < 0 { throw ValidationError("--iwae-samples must be ≥ 0, got \(iwaeSamples)") }
    }

    func run() throws {
        options.global.apply()
        try options.distribution.run { writesFiles in try Failures.guarded {
            try options.checkResume()
            let data = try options.loadData()
            let settings = self.configuration(shape: data.shape)
            if let p = settings.problem(inputSize: data.train.columns) { throw Failure("\(options.dataset): \(p)") }
            stderr("vae on \(options.dataset): \(data.train.rows) training and \(data.test.rows) test images, seed \(options.global.seed)")
            let url = URL(fileURLWithPath: options.output)
            let model = try settings.fit(data.train, evaluation: data.test, checkpoint: url, resume: options.resume,
                                              onEvent: options.reporter(metrics: ["elbo", "reconstruction", "kl"]))
            if iwaeSamples > 0 {
                let ll = model.logLikelihood(data.test, samples: iwaeSamples, seed: options.global.seed)
                let mean = ll.reduce(0, +) / Double(ll.count)
                guard mean.isFinite else { throw Failure("the test log-likelihood estimate is not finite") }
                print("test log-likelihood (IWAE, \(iwaeSamples) samples): \(format(mean, 3)) nats per image")
            }
            if writesFiles { stderr("wrote \(options.output)") }
        } }
    }
}
