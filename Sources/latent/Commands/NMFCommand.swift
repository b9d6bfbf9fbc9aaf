import ArgumentParser
import Foundation
import Latent

/// `latent nmf INPUT`: non-negative matrix factorisation.
struct NMFCommand: ParsableCommand, FitCommand {
    var method: MethodDescriptor { .nmf }

    static let configuration = CommandConfiguration(
        commandName: "nmf",
        abstract: "Non-negative matrix factorisation X ≈ W·H: weights z1…zk, reconstruction error.",
        discussion: """
        Example:
          latent nmf counts.csv --components 8 --solver mu \\
              --beta-loss kullback-leibler -o w.csv

        The input must be non-negative. The written weights are transform(X):
        W solved with H fixed, exactly what `latent embed` gives for the
        same rows.
        """)

    enum Solver: String, CaseIterable, ExpressibleByArgument { case cd, mu }
    enum BetaLoss: String, CaseIterable, ExpressibleByArgument { case frobenius, kullbackLeibler = "kullback-leibler" }
    enum Initialization: String, CaseIterable, ExpressibleByArgument { case nndsvd, nndsvda, nndsvdar, random }

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of components. (default: all features)", valueName: "N"))
    var components: Int?

    @Option(help: "cd: coordinate descent (Frobenius only); mu: multiplicative updates.")
    var solver = Solver(rawValue: MethodDescriptor.nmf.defaults.string("solver"))!

    @Option(help: "The divergence minimised (kullback-leibler needs --solver mu).")
    var betaLoss = BetaLoss(rawValue: MethodDescriptor.nmf.defaults.string("beta-loss"))!

    @Option(name: .customLong("init"), help: ArgumentHelp("Initial factors. (default: nndsvda when components ≤ min(samples, features), else random)", valueName: "method"))
    var initialization: Initialization?

    @Option(parsing: .unconditional, help: "Regularisation of W.")
    var alphaW = 0.0

    @Option(parsing: .unconditional, help: ArgumentHelp("Regularisation of H. (default: same as --alpha-w)", valueName: "x"))
    var alphaH: Double?

    @Option(parsing: .unconditional, help: "Share of L1 in the regularisation (0: L2 only, 1: L1 only).")
    var l1Ratio = 0.0

    @Option(parsing: .unconditional, help: "Maximum iterations.")
    var maxIter = MethodDescriptor.nmf.defaults.int("max-iter")

    @Option(parsing: .unconditional, help: "Tolerance on the relative decrease of the error.")
    var tol = MethodDescriptor.nmf.defaults.double("tol")

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    func validate() throws {
        try OptionRange.check("--components", components, OptionRange.count)
        try OptionRange.check("--alpha-w", alphaW, atLeast: 0)
        try OptionRange.check("--alpha-h", alphaH, atLeast: 0)
        if betaLoss == .kullbackLeibler && solver == .cd { throw ValidationError("--beta-loss kullback-leibler needs --solver mu") }
        if alphaW < 0 || (alphaH ?? 0) < 0 { throw ValidationError("--alpha-w and --alpha-h must not be negative") }
        if !(0...1).contains(l1Ratio) { throw ValidationError("--l1-ratio must lie in [0, 1], got \(l1Ratio)") }
        try OptionRange.check("--max-iter", maxIter, OptionRange.count)
        try OptionRange.check("--tol", tol, atLeast: 0)
    }

    var recordedOptions: [String: JSONValue] {
        ["components": components.json, "solver": .string(solver.rawValue), "betaLoss": .string(betaLoss.rawValue),
         "init": initialization.map { .string($0.rawValue) } ?? .null, "alphaW": .number(alphaW), "alphaH": alphaH.json,
         "l1Ratio": .number(l1Ratio), "maxIter": .int(maxIter), "tol": .number(tol), "seed": .string(String(global.seed))]
    }

    func run() throws { try runFit() }

    /// W (n × k) and H (k × d) with their updates, and the k × k products.
    func memoryNeed(samples: Int, features: Int) -> (bytes: Double, what: String, hint: String)? {
        let (n, d) = (Double(samples), Double(features))
        let k = Double(components ?? features)
        return ((3 * n * k + 3 * k * d + 2 * k * k) * 8, "nmf with \(Int(k)) components on \(samples) rows", "use fewer --components")
    }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        let initMethod: NMFInitializationMethod? = initialization.map {
            switch $0 {
            case .nndsvd: return .nndsvd
            case .nndsvda: return .nndsvda
            case .nndsvdar: return .nndsvdar
            case .random: return .random
            }
        }
        let nmf = NMF<Double>(components: components ?? x.columns, solver: solver == .cd ? .coordinateDescent : .multiplicativeUpdate,
                              betaLoss: betaLoss == .frobenius ? .frobenius : .kullbackLeibler, initialization: initMethod,
                              tolerance: tol, maxIterations: maxIter, alphaW: alphaW, alphaH: alphaH, l1Ratio: l1Ratio,
                              seed: global.seed)
        let reporter = progress.steps("nmf (\(solver.rawValue), \(betaLoss.rawValue))", total: maxIter)
        let model = try nmf.fit(x, onEvent: reporter.fitEvents(cost: "objective"))
        reporter.finish(steps: model.report.iterations, detail: model.report.converged ? "converged" : "")
        if !model.report.converged {
            progress.stage("note: NMF stopped at --max-iter \(maxIter) before reaching --tol \(Summary.format(tol))")
        }
        return model.fittedModel
    }
}
