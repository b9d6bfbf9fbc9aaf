import LatentCore

extension MethodDescriptor {
    /// `kpca`: kernel principal component analysis (`KernelPCA`). The default kernel is `linear`,
    /// as in scikit-learn and on the command line; `gamma: 0` stands for 1/features.
    public static let kernelPCA = MethodDescriptor(
        name: "kpca", summary: "kernel principal component analysis",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of components (scikit-learn: all non-zero)"),
            .choice("kernel", ["linear", "poly", "rbf", "sigmoid", "cosine"], default: "linear", help: "kernel function"),
            .double("gamma", default: 0, min: 0, help: "kernel coefficient of poly, rbf and sigmoid; 0 means 1/features"),
            .int("degree", default: 3, min: 1, help: "polynomial degree"),
            .double("coef0", default: 1, help: "independent term of poly and sigmoid kernels"),
        ],
        canReconstruct: false,
        format: .kernelPCA
    ) { x, p, _ in
        try KernelPCA<Double>(kernel: kernelFunction(p), components: p.int("components")).fit(x).fittedModel
    }

    /// The kernel named by `kernel`, `gamma`, `degree` and `coef0` (the CLI's flags of the same names).
    public static func kernelFunction(_ p: Parameters) -> KernelFunction {
        let gamma: Double? = p.double("gamma") > 0 ? p.double("gamma") : nil
        switch p.string("kernel") {
        case "poly": return .polynomial(degree: p.int("degree"), gamma: gamma, coef0: p.double("coef0"))
        case "rbf": return .rbf(gamma: gamma)
        case "sigmoid": return .sigmoid(gamma: gamma, coef0: p.double("coef0"))
        case "cosine": return .cosine
        default: return .linear
        }
    }
}
