import ArgumentParser
import Foundation
import Latent

/// `latent demo`: the field's headline experiment on Fashion-MNIST — few-shot classification
/// without and with representation learning.
///
/// Representations are learned without labels on the 60000 training images (`DemoMethod.all`);
/// each is evaluated by the few-shot protocol of `FewShotEvaluation` (n = 1, 2, 4, 8 labelled
/// training images per class, seeded episodes, nearest class mean on the 10000 test images) and by
/// a linear probe on 1% of the training labels. Results go to stdout as a table and to `--out`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Few-shot accuracy on Fashion-MNIST without and with representation learning.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Folder holding the Fashion-MNIST IDX .gz files.")
    var data: String = FashionMNIST.defaultFolder.path

    @Option(help: "Folder for the results (created if missing).")
    var out: String = "out"

    @Option(parsing: .unconditional, help: "Few-shot episodes per shot count.")
    var episodes: Int = 50

    @Option(parsing: .unconditional, help: "Use only the first N training images (default: all 60000), for a quick run.")
    var trainRows: Int?

    @Option(parsing: .unconditional, help: "Use only the first N test images (default: all 10000), for a quick run.")
    var testRows: Int?

    @Option(parsing: .unconditional, help: "Test images in the t-SNE plots of the best representation and (deep suite) the VAE codes (0: no t-SNE).")
    var tsnePoints: Int = 10000

    @Option(parsing: .upToNextOption, help: "Methods to run (default: all of the suite): classic: raw pca pca-whitened ica dictionary nmf rbm; deep: raw random-init simclr rotation context autoencoder vae beta-vae.")
    var methods: [String] = []

    @Option(help: "classic (linear and shallow methods on pixels) or deep (self-supervised CNN encoders, autoencoder, VAE, β-VAE).")
    var suite: DemoSuite = .classic

    @Flag(help: "Deep suite in minutes: 2000 training images, a narrow encoder, one epoch per method (for tests and CI; not results).")
    var quick = false

    @Flag(help: "Hold out the last 10000 training images as the evaluation split instead of the test split (for choosing settings).")
    var validation = false

    @Option(parsing: .unconditional, help: "Deep suite: train the learned methods on the first N training images only (all are still evaluated).")
    var pretrainRows: Int?

    @Option(parsing: .unconditional, help: "Deep suite: epochs of SimCLR, rotation and context prediction (default: the plan's).")
    var sslEpochs: Int?

    @Option(parsing: .unconditional, help: "Deep suite: side of the grid the encoder's last feature map is averaged over (1: global average).")
    var featureGrid: Int?

    @Option(parsing: .unconditional, help: "Deep suite: units of the encoder's fully connected last block (0: none).")
    var dense: Int?

    @Option(parsing: .unconditional, help: "Deep suite: how many of the encoder's last blocks the CNN rows' features read (1: the last only).")
    var readoutBlocks: Int?

    @Option(parsing: .unconditional, help: "Deep suite: SimCLR's NT-Xent temperature.")
    var temperature: Double?

    @Option(parsing: .unconditional, help: "Deep suite: smallest area fraction of SimCLR's random resized crops, in (0, 1].")
    var cropScale: Double?

    /// The deep suite's plan with the overrides above.
    func deepPlan() -> DeepDemoPlan {
        let threads = Swift.max(1, global.threads ?? Parallel.threadCount)
        var plan = quick ? DeepDemoPlan.quick(seed: global.seed, threads: threads) : DeepDemoPlan.full(seed: global.seed, threads: threads)
        if let n = pretrainRows { plan.pretrainRows = n }
        if let e = sslEpochs { plan.simclr.training.epochs = e; plan.rotation.training.epochs = e; plan.context.training.epochs = e }
        if let g = featureGrid { plan.architecture.featureGrid = g }
        if let d = dense { plan.architecture.dense = d }
        if let r = readoutBlocks { plan.architecture.readoutBlocks = r }
        plan.simclr.architecture = plan.architecture
        plan.rotation.architecture = plan.architecture
        plan.context.architecture = plan.architecture
        if let t = temperature { plan.simclr.temperature = t }
        if let c = cropScale { plan.simclr.augmentation = plan.simclr.augmentation.withCropScale(c) }
        return plan
    }

    /// The suite's methods in table order.
    func suiteMethods() -> [DemoMethod] {
        switch suite {
        case .classic: return DemoMethod.all
        case .deep: return DemoMethod.deep(deepPlan())
        }
    }

    func validate() throws {
        let known = suiteMethods().map(\.name)
        for m in methods where !known.contains(m) {
            throw ValidationError("--methods: '\(m)' is not one of \(known.joined(separator: ", ")) (suite \(suite.rawValue))")
        }
        if suite != .deep && (quick || pretrainRows != nil || sslEpochs != nil || featureGrid != nil || dense != nil || readoutBlocks != nil || temperature != nil || cropScale != nil) {
            throw ValidationError("--quick, --pretrain-rows, --ssl-epochs, --feature-grid, --dense, --readout-blocks, --temperature and --crop-scale are for --suite deep")
        }
        try OptionRange.check("--pretrain-rows", pretrainRows, OptionRange.count)
        try OptionRange.check("--ssl-epochs", sslEpochs, 1...100_000)
        try OptionRange.check("--feature-grid", featureGrid, ImageEncoderArchitecture.featureGrids)
        try OptionRange.check("--dense", dense, 0...65_536)
        try OptionRange.check("--readout-blocks", readoutBlocks, 1...deepPlan().architecture.blockWidths.count)
        try OptionRange.check("--temperature", temperature, above: 0, atMost: 100)
        try OptionRange.check("--crop-scale", cropScale, above: 0, atMost: 1)
        try OptionRange.check("--episodes", episodes, 1...1_000_000)
        try OptionRange.check("--train-rows", trainRows, OptionRange.count)
        try OptionRange.check("--test-rows", testRows, OptionRange.count)
        try OptionRange.check("--tsne-points", tsnePoints, OptionRange.countOrZero)
    }

    func run() throws {
        global.apply()
        let log = DemoLog()
        let folder = URL(fileURLWithPath: data)
        var train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train, folder: folder)
        var test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: folder)
        if validation {
            // choose settings without the test split: the last 10000 training images play its part
            let split = RepresentationEvaluation.validationSplit(rows: train.images.rows, validation: Swift.min(10_000, train.images.rows / 6))
            test = FashionMNIST.Dataset(split: .train, images: train.images.rows(split.validation), labels: Array(train.labels[split.validation]))
            train = train.prefix(split.fit.count)
            log.say("validation run: the last \(test.images.rows) training images stand in for the test split")
        }
        if let n = trainRows { train = train.prefix(n) }
        if let n = testRows { test = test.prefix(n) }
        log.say("Fashion-MNIST: \(train.images.rows) training and \(test.images.rows) test images of 784 pixels in [0, 1]")
        log.say("BLAS: \(Parallel.blasCoreName) kernel, \(Parallel.blasThreadCount) threads")

        let outFolder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
        var pictures = DemoPictures(folder: outFolder)
        try pictures.samples(train)
        if suite == .deep { try pictures.augmentations(of: train.images, row: 0, seed: global.seed) }

        // one protocol for every row; the deep suite adds the probe at 10% of the labels
        let evaluation = RepresentationEvaluation(episodes: episodes, probeFractions: suite == .deep ? [0.01, 0.1] : [0.01], seed: global.seed)
        var results: [DemoResult] = []
        var best: (method: String, features: DemoFeatures, accuracy: Double)?
        var vaeCodes: Matrix<Float>?
        let chosen = methods.isEmpty ? suiteMethods() : suiteMethods().filter { methods.contains($0.name) }
        for method in chosen {
            log.say("[\(method.name)] \(method.summary): learning…")
            let start = Timing.now()
            let features = try method.run(train.images, test.images, global.seed)
            let fitSeconds = Timing.now() - start
            let scores = try evaluation.evaluate(trainFeatures: features.train, trainLabels: train.labels,
                                                 testFeatures: features.test, testLabels: test.labels)
            let shots = scores.fewShot, probed = scores.probes
            let result = DemoResult(method: method.name, summary: method.summary, features: features.test.columns,
                                    fitSeconds: fitSeconds, fewShot: shots, probes: probed)
            log.say(String(format: "[%@] %d features, learned and applied in %.1f s; 1-shot %.1f%%, 8-shot %.1f%%, probe(1%%) %.1f%%",
                           method.name, result.features, fitSeconds, 100 * shots[0].meanAccuracy,
                           100 * (shots.last?.meanAccuracy ?? 0), 100 * probed[0].accuracy))
            results.append(result)
            // the deep suite pictures its best learned encoder (pixels and the control excluded)
            let accuracy = shots.last?.meanAccuracy ?? 0
            let eligible = suite == .classic || !["raw", "random-init"].contains(method.name)
            if eligible && accuracy > best?.accuracy ?? -1 { best = (method.name, features, accuracy) }
            try pictures.method(method.name, summary: method.summary, features: features, originals: test.images)
            if let generator = features.generator {
                try pictures.generative(method.name, model: generator, originals: test.images, seed: global.seed)
            }
            if method.name == "vae" { vaeCodes = features.test }
        }
        let report = DemoReport(results: results, episodes: episodes, trainRows: train.images.rows, testRows: test.images.rows,
                                evaluationSplit: validation ? "validation" : "test")
        print(report.table())
        try report.write(to: outFolder)
        try pictures.accuracyAgainstShots(results)
        if let best, suite == .deep {
            try pictures.neighbours(method: best.method, features: best.features, train: train, test: test,
                                    queries: Array(stride(from: 0, to: Swift.min(80, test.images.rows), by: 10)))
        }
        // The best representation by 8-shot accuracy, and the VAE's codes (posterior means) when the
        // VAE ran and is not the best, embedded in 2-D (Barnes–Hut, perplexity 30).
        var embedded: [(method: String, features: Matrix<Float>, file: String)] = best.map { [($0.method, $0.features.test, "tsne.svg")] } ?? []
        if let vaeCodes, best?.method != "vae" { embedded.append(("vae", vaeCodes, "tsne-vae.svg")) }
        for (method, features, file) in embedded where tsnePoints > 0 {
            let n = Swift.min(tsnePoints, features.rows)
            log.say("t-SNE of the \(method) features of \(n) test images…")
            let model = try TSNE<Float>(seed: global.seed).fit(features.rows(0..<n))
            try pictures.tsne(model.embedding, labels: Array(test.labels.prefix(n)), method: method,
                              klDivergence: Double(model.klDivergence), file: file)
        }
        try pictures.writeIndex(report: report)
        log.say("wrote \(outFolder.path)/index.html with the table, \(pictures.figures.count) figures, fewshot.csv and fewshot.json; \(String(format: "%.0f", log.elapsed)) s in all")
    }
}

/// Which comparison `latent demo` runs.
enum DemoSuite: String, ExpressibleByArgument, CaseIterable {
    case classic, deep
}

/// Progress lines on stderr (stdout carries the table), each with the elapsed time.
final class DemoLog {
    private let start = Timing.now()
    var elapsed: Double { Timing.now() - start }
    func say(_ line: String) {
        StandardError.line(String(format: "[%6.1fs] ", elapsed) + line)
    }
}
