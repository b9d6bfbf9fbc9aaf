import ArgumentParser
import Foundation
import Latent

/// `latent kpca INPUT`: kernel PCA.
struct KernelPCACommand: ParsableCommand, FitCommand {
    var method: MethodDescriptor { .kernelPCA }

    static let configuration = CommandConfiguration(
        commandName: "kpca",
        abstract: "Kernel PCA: non-linear components from a kernel (linear, poly, rbf, sigmoid, cosine).",
        discussion: """
        Example:
          latent kpca data.csv --kernel rbf --gamma 0.5 --components 2 -o z.csv

        The model keeps the training rows (embedding new data needs their
        kernel values), so model files grow with the number of samples.
        Memory grows as samples², time as samples³.
        """)

    enum Kernel: String, CaseIterable, ExpressibleByArgument { case linear, poly, rbf, sigmoid, cosine }

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of components. (default: all non-zero eigenvalues, up to samples)", valueName: "N"))
    var components: Int?

    @Option(help: "Kernel function.")
    var kernel = Kernel(rawValue: MethodDescriptor.kernelPCA.defaults.string("kernel"))!

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel coefficient for poly, rbf and sigmoid. (default: 1 / features)", valueName: "x"))
    var gamma: Double?

    @Option(parsing: .unconditional, help: "Degree of the poly kernel.")
    var degree = MethodDescriptor.kernelPCA.defaults.int("degree")

    @Option(parsing: .unconditional, help: "Constant term of the poly and sigmoid kernels.")
    var coef0 = MethodDescriptor.kernelPCA.defaults.double("coef0")

    @Flag(help: "Also learn the pre-image map (kernel ridge regression) so embeddings can be mapped back.")
    var fitInverseTransform = false

    @Option(parsing: .unconditional, help: "Ridge strength of the pre-image map.")
    var alpha = 1.0

    @Flag(help: "Drop components with zero eigenvalues (may return fewer than --components).")
    var removeZeroEigenvalues = false

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    func validate() throws {
        try OptionRange.check("--components", components, OptionRange.count)
        try OptionRange.check("--gamma", gamma, above: 0)
        try OptionRange.check("--degree", degree, 1...100)
        try OptionRange.check("--coef0", coef0)
        try OptionRange.check("--alpha", alpha, above: 0)
    }

    var kernelFunction: KernelFunction {
        switch kernel {
        case .linear: return .linear
        case .poly: return .polynomial(degree: degree, gamma: gamma, coef0: coef0)
        case .rbf: return .rbf(gamma: gamma)
        case .sigmoid: return .sigmoid(gamma: gamma, coef0: coef0)
        case .cosine: return .cosine
        }
    }

    var recordedOptions: [String: JSONValue] {
        ["components": components.json, "kernel": .string(kernel.rawValue), "gamma": gamma.json, "degree": .int(degree),
         "coef0": .number(coef0), "fitInverseTransform": .bool(fitInverseTransform), "alpha": .number(alpha),
         "removeZeroEigenvalues": .bool(removeZeroEigenvalues)]
    }

    func run() throws { try runFit() }

    /// The n × n kernel, its centred copy and the eigensolver's workspace: about 3 n² doubles.
    func memoryNeed(samples: Int, features: Int) -> (bytes: Double, what: String, hint: String)? {
        let n = Double(samples)
        return (3 * n * n * 8, "kernel pca on \(samples) rows (an \(samples) × \(samples) kernel matrix)",
                "use --rows to fit on a subset, or pca for a linear kernel")
    }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        let kpca = KernelPCA<Double>(kernel: kernelFunction, components: components, removeZeroEigenvalues: removeZeroEigenvalues,
                                     fitInverseTransform: fitInverseTransform, alpha: alpha)
        return try progress.timed("fitting kernel pca (\(kernel.rawValue) kernel)") { try kpca.fit(x) }.0.fittedModel
    }
}
