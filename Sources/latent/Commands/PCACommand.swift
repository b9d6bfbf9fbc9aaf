import ArgumentParser
import Foundation
import Latent

/// `latent pca INPUT`: principal component analysis (exact, covariance-eigen or randomized SVD,
/// or incremental in mini-batches with `--batch-size`).
struct PCACommand: ParsableCommand, FitCommand {
    var method: MethodDescriptor { .pca }

    static let configuration = CommandConfiguration(
        commandName: "pca",
        abstract: "Principal component analysis: scores pc1…pck, explained-variance table.",
        discussion: """
        Examples:
          latent pca data.csv --components 10 --whiten --output scores.csv
          latent pca data.csv --variance 0.95 --save-model pca.json
          latent pca images.npy --components 50 --batch-size 1000 -o z.npy

        --batch-size fits incrementally (IncrementalPCA), with progress per batch.
        Signs: the largest entry of each component is positive.
        """)

    enum Solver: String, CaseIterable, ExpressibleByArgument {
        case auto, full, covarianceEigen = "covariance-eigen", randomized
        var library: PCASolver {
            switch self {
            case .auto: return .auto
            case .full: return .full
            case .covarianceEigen: return .covarianceEigen
            case .randomized: return .randomized
            }
        }
    }

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of components. (default: all, min(samples, features))", valueName: "N"))
    var components: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the fewest components explaining this fraction of the variance, in (0, 1).", valueName: "fraction"))
    var variance: Double?

    @Option(help: "SVD solver: auto picks covariance-eigen for tall data, full for small, randomized for few components.")
    var solver = Solver(rawValue: MethodDescriptor.pca.defaults.string("solver"))!

    @Flag(help: "Scale the scores to unit variance.")
    var whiten = false

    @Option(parsing: .unconditional, help: "Randomized solver: extra random directions beyond the components.")
    var oversampling = 10

    @Option(parsing: .unconditional, help: ArgumentHelp("Randomized solver: power iterations. (default: 7 for few components, else 4)", valueName: "N"))
    var powerIterations: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Fit incrementally in batches of N rows (IncrementalPCA), with progress per batch.", valueName: "N"))
    var batchSize: Int?

    @Flag(help: "Run as one rank of an MPI job (`mpirun -np N latent pca … --distributed`): rows split over the ranks, exact covariance PCA.")
    var distributed = false

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    func validate() throws {
        if components != nil && variance != nil { throw ValidationError("give --components or --variance, not both") }
        if let components, components < 1 { throw ValidationError("--components must be at least 1, got \(components)") }
        try OptionRange.check("--components", components, OptionRange.count)
        if let variance, !(variance > 0 && variance < 1) { throw ValidationError("--variance must lie strictly between 0 and 1, got \(variance)") }
        try OptionRange.check("--oversampling", oversampling, 0...100_000)
        try OptionRange.check("--power-iterations", powerIterations, 0...10_000)
        if let batchSize {
            try OptionRange.check("--batch-size", batchSize, OptionRange.count)
            if let components, batchSize < components {
                throw ValidationError("--batch-size \(batchSize) is smaller than --components \(components); each batch must hold at least as many rows as components")
            }
            if variance != nil { throw ValidationError("--batch-size (incremental PCA) needs --components, not --variance") }
            if solver != .auto { throw ValidationError("--batch-size (incremental PCA) has no --solver") }
        }
        if distributed && ![.auto, .covarianceEigen].contains(solver) {
            throw ValidationError("--distributed computes the covariance-eigen PCA; --solver \(solver.rawValue) is single-process only")
        }
    }

    var recordedOptions: [String: JSONValue] {
        var o: [String: JSONValue] = ["components": components.json, "variance": variance.json, "whiten": .bool(whiten),
                                      "seed": .string(String(global.seed))]
        if let batchSize { o["batchSize"] = .int(batchSize); o["solver"] = .string("incremental") } else {
            o["solver"] = .string(solver.rawValue); o["oversampling"] = .int(oversampling); o["powerIterations"] = powerIterations.json
        }
        return o
    }

    func run() throws { distributed ? try runDistributed() : try runFit() }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        if let batchSize, components == nil, batchSize < x.columns {
            throw UsageError("--batch-size \(batchSize) without --components would keep only \(batchSize) of the \(x.columns) components (each batch must hold at least as many rows as components); give --components, or a --batch-size of at least \(x.columns)")
        }
        if let batchSize { return try Self.incremental(x, components: components, whiten: whiten, batchSize: batchSize, progress: progress).fittedModel }
        let amount: PCAComponents = components.map(PCAComponents.count) ?? variance.map(PCAComponents.varianceFraction) ?? .all
        let pca = PCA<Double>(components: amount, whiten: whiten, solver: solver.library, oversampling: oversampling,
                              powerIterations: powerIterations, seed: global.seed)
        let used = pca.resolvedSolver(samples: x.rows, features: x.columns)
        let model = try progress.timed("fitting pca (\(used.rawValue) solver)") { try pca.fit(x) }.0
        try Self.refuseWhiteningByZero(model)
        return model.fittedModel
    }

    /// `IncrementalPCA.fit(x, batchSize:)` with its per-batch events drawn as progress.
    static func incremental(_ x: Matrix<Double>, components: Int?, whiten: Bool, batchSize: Int, progress: Progress) throws -> PCAModel<Double> {
        let ipca = IncrementalPCA<Double>(components: components, whiten: whiten, batchSize: batchSize)
        let reporter = progress.steps("incremental pca", total: IncrementalPCA<Double>.batches(count: x.rows, size: batchSize, minimum: components ?? 0).count)
        let model = try ipca.fit(x, batchSize: batchSize, onEvent: reporter.fitEvents(cost: "cost"))
        reporter.finish(steps: reporter.total)
        try refuseWhiteningByZero(model)
        return model
    }

    /// `--whiten` divides each score by its component's standard deviation; a component with
    /// (numerically) zero variance would turn rounding noise into scores of 1e15 and more. Rule:
    /// refuse, and say how many components the data supports.
    static func refuseWhiteningByZero(_ model: PCAModel<Double>) throws {
        guard model.whiten, let top = model.explainedVariance.first else { return }
        let floor = Swift.max(top, 0) * 1e-12
        if let j = model.explainedVariance.firstIndex(where: { !($0 > floor) }) {
            throw Failure("--whiten: component \(j + 1) has zero variance (\(model.explainedVariance[j])); the data supports \(j) whitened component\(j == 1 ? "" : "s"): use --components \(Swift.max(j, 1)) or drop --whiten")
        }
    }
}
