import Foundation
import LatentCore

extension KernelPCAModel where Scalar == Double {
    /// This model as a method's result: the description `latent inspect` shows (kernel, samples
    /// kept, the eigenvalue table) and the model itself as the state model files save.
    public var fittedModel: FittedModel {
        var d = ModelDescription()
        d.field("kernel", "kernel", .text(kernel.summary))
        d.field("trainingSamples", "training samples kept", .int(eigenvectors.rows))
        d.field("inverseTransform", "inverse transform fitted", .bool(preimage != nil))
        let total = eigenvalues.reduce(0, +)
        d.table("components", title: "eigenvalues of the centred kernel", headers: ["component", "eigenvalue", "share"],
                keys: ["name", "eigenvalue", "share"],
                rows: eigenvalues.enumerated().map { [.text("z\($0 + 1)"), .number($1), .number(total > 0 ? $1 / total : 0)] })
        return FittedModel(self, description: d)
    }

    /// Eigenvectors, eigenvalues, centring terms, training data and pre-image maps against each other.
    func validateAsModelFile() throws {
        let n = eigenvectors.rows, k = eigenvectors.columns
        try ModelCheck.matrix("model.eigenvectors", eigenvectors)
        try ModelCheck.vector("model.eigenvalues", eigenvalues, count: k, because: "model.eigenvectors has \(k) columns")
        try ModelCheck.nonNegative("model.eigenvalues", eigenvalues)
        try ModelCheck.vector("model.columnMeans", columnMeans, count: n, because: "model.eigenvectors has \(n) rows (training samples)")
        try ModelCheck.number("model.grandMean", grandMean)
        if let t = trainingData {
            try ModelCheck.matrix("model.trainingData", t)
            if t.rows != n { throw ModelFileError("model.trainingData has \(t.rows) rows, but model.eigenvectors has \(n)") }
        }
        try kernel.validateAsModelFile()
        if let p = preimage {
            try ModelCheck.matrix("model.preimage.trainingProjections", p.trainingProjections, rows: n, columns: k,
                                  because: "training samples × components")
            try ModelCheck.matrix("model.preimage.dualCoefficients", p.dualCoefficients, rows: n, columns: inputFeatures,
                                  because: "training samples × input features")
        }
    }
}

extension KernelFunction {
    /// `rbf(gamma 0.5)`, `poly(degree 3, gamma 1/features, coef0 1)`, … (numbers to 6 digits).
    public var summary: String {
        func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.6g", x) }
        func g(_ x: Double?) -> String { x.map(number) ?? "1/features" }
        switch self {
        case .linear: return "linear"
        case let .polynomial(degree, gamma, coef0): return "poly(degree \(degree), gamma \(g(gamma)), coef0 \(number(coef0)))"
        case let .rbf(gamma): return "rbf(gamma \(g(gamma)))"
        case let .sigmoid(gamma, coef0): return "sigmoid(gamma \(g(gamma)), coef0 \(number(coef0)))"
        case .cosine: return "cosine"
        case .precomputed: return "precomputed"
        }
    }

    func validateAsModelFile() throws {
        switch self {
        case .linear, .cosine: return
        case .precomputed: throw ModelFileError("model.kernel is precomputed; a model file cannot embed new data with it")
        case let .polynomial(degree, gamma, coef0):
            try ModelCheck.count("model.kernel.polynomial.degree", degree, 1...100)
            try ModelCheck.number("model.kernel.polynomial.coef0", coef0)
            if let gamma { try ModelCheck.number("model.kernel.polynomial.gamma", gamma) }
        case let .rbf(gamma):
            if let gamma { try ModelCheck.number("model.kernel.rbf.gamma", gamma) }
        case let .sigmoid(gamma, coef0):
            try ModelCheck.number("model.kernel.sigmoid.coef0", coef0)
            if let gamma { try ModelCheck.number("model.kernel.sigmoid.gamma", gamma) }
        }
    }
}

extension ModelFormat {
    /// `KernelPCAModel<Double>` in model files (`kpca`).
    public static let kernelPCA = ModelFormat.codable(KernelPCAModel<Double>.self, validate: { try $0.validateAsModelFile() }, wrap: \.fittedModel)
}
