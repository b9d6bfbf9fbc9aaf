import ArgumentParser
import Foundation
import Latent

/// `latent ica INPUT`: FastICA.
struct ICACommand: ParsableCommand, FitCommand {
    var method: MethodDescriptor { .fastICA }

    static let configuration = CommandConfiguration(
        commandName: "ica",
        abstract: "Independent component analysis (FastICA): sources z1…zk, convergence report.",
        discussion: "Example:\n  latent ica signals.csv --components 3 --fun logcosh -o sources.csv")

    enum Algorithm: String, CaseIterable, ExpressibleByArgument { case parallel, deflation }
    enum Fun: String, CaseIterable, ExpressibleByArgument { case logcosh, exp, cube }
    enum Whiten: String, CaseIterable, ExpressibleByArgument {
        case unitVariance = "unit-variance", arbitraryVariance = "arbitrary-variance", none
    }
    enum WhitenSolver: String, CaseIterable, ExpressibleByArgument { case svd, eigen }

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of sources. (default: all features)", valueName: "N"))
    var components: Int?

    @Option(help: "parallel: all sources at once; deflation: one after another.")
    var algorithm = Algorithm(rawValue: MethodDescriptor.fastICA.defaults.string("algorithm"))!

    @Option(help: "Contrast function G (its derivative is the non-linearity).")
    var fun = Fun(rawValue: MethodDescriptor.fastICA.defaults.string("fun"))!

    @Option(parsing: .unconditional, help: "logcosh's alpha, in [1, 2].")
    var funAlpha = 1.0

    @Option(help: "Whitening before the rotation: unit-variance sources, arbitrary-variance, or none (data already white).")
    var whiten: Whiten = .unitVariance

    @Option(help: "How the whitening is computed.")
    var whitenSolver: WhitenSolver = .svd

    @Option(parsing: .unconditional, help: "Tolerance on the change of the unmixing matrix.")
    var tol = MethodDescriptor.fastICA.defaults.double("tol")

    @Option(parsing: .unconditional, help: "Maximum iterations.")
    var maxIter = MethodDescriptor.fastICA.defaults.int("max-iter")

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    func validate() throws {
        try OptionRange.check("--components", components, OptionRange.count)
        try OptionRange.check("--tol", tol, above: 0)
        try OptionRange.check("--max-iter", maxIter, OptionRange.count)
        if !(1...2).contains(funAlpha) { throw ValidationError("--fun-alpha must lie in [1, 2], got \(funAlpha)") }
    }

    var recordedOptions: [String: JSONValue] {
        ["components": components.json, "algorithm": .string(algorithm.rawValue), "fun": .string(fun.rawValue),
         "funAlpha": .number(funAlpha), "whiten": .string(whiten.rawValue), "whitenSolver": .string(whitenSolver.rawValue),
         "tol": .number(tol), "maxIter": .int(maxIter), "seed": .string(String(global.seed))]
    }

    func run() throws { try runFit() }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        let contrast: FastICAContrast
        switch fun {
        case .logcosh: contrast = .logcosh(alpha: funAlpha)
        case .exp: contrast = .exp
        case .cube: contrast = .cube
        }
        let whitening: FastICA<Double>.Whitening
        switch whiten {
        case .unitVariance: whitening = .unitVariance
        case .arbitraryVariance: whitening = .arbitraryVariance
        case .none: whitening = .none
        }
        let ica = FastICA<Double>(components: components, algorithm: algorithm == .parallel ? .parallel : .deflation,
                                  contrast: contrast, whitening: whitening,
                                  whiteningSolver: whitenSolver == .svd ? .svd : .eigen,
                                  tolerance: tol, maxIterations: maxIter, seed: global.seed)
        let model = try progress.timed("fitting ica (\(algorithm.rawValue), \(fun.rawValue))") { try ica.fit(x) }.0
        if !model.report.converged {
            progress.stage("warning: FastICA did not converge in \(maxIter) iterations (last change \(Summary.format(model.report.finalChange))); try a larger --max-iter or --tol")
        }
        return model.fittedModel
    }
}
