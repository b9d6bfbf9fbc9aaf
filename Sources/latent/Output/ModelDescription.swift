import Foundation
import Latent

extension FittedModel {
    /// Adds what the model is to `summary`: shapes and the method's key numbers (explained
    /// variance for PCA, eigenvalues for kernel PCA, convergence for ICA, the objective for
    /// dictionary learning, reconstruction error for NMF, pseudo-likelihood for RBM).
    func describe(into s: inout Summary) {
        s.field("method", "method", .string(method))
        s.field("inputFeatures", "input features", .int(inputFeatures))
        s.field("outputFeatures", "output features", .int(outputFeatures))
        switch self {
        case let .pca(m):
            s.field("solver", "solver used", .string(m.method.rawValue))
            s.field("samples", "samples fitted", .int(m.samples))
            s.field("whiten", "whitened", .bool(m.whiten))
            s.field("noiseVariance", "noise variance", .number(m.noiseVariance))
            var cumulative = 0.0
            let rows: [[JSONValue]] = (0..<m.outputFeatures).map { j in
                cumulative += m.explainedVarianceRatio[j]
                return [.string("pc\(j + 1)"), .number(m.explainedVariance[j]), .number(m.explainedVarianceRatio[j]),
                        .number(cumulative), .number(m.singularValues[j])]
            }
            s.field("explainedVarianceRatioTotal", "explained variance ratio (total)", .number(cumulative))
            s.table("components", title: "explained variance",
                    headers: ["component", "variance", "ratio", "cumulative", "singular value"],
                    keys: ["name", "explainedVariance", "explainedVarianceRatio", "cumulativeRatio", "singularValue"], rows: rows)
        case let .kpca(m):
            s.field("kernel", "kernel", .string(Self.kernelText(m.kernel)))
            s.field("trainingSamples", "training samples kept", .int(m.eigenvectors.rows))
            s.field("inverseTransform", "inverse transform fitted", .bool(m.preimage != nil))
            let total = m.eigenvalues.reduce(0, +)
            s.table("components", title: "eigenvalues of the centred kernel", headers: ["component", "eigenvalue", "share"],
                    keys: ["name", "eigenvalue", "share"],
                    rows: m.eigenvalues.enumerated().map { [.string("z\($0 + 1)"), .number($1), .number(total > 0 ? $1 / total : 0)] })
        case let .ica(m):
            s.field("whitened", "whitened", .bool(m.whitening != nil))
            Self.report(m.report, into: &s, objective: nil)
        case let .dict(m):
            s.field("alpha", "alpha", .number(m.alpha))
            s.field("transformAlgorithm", "transform algorithm", .string(m.coder.algorithm.description))
            s.field("positiveCode", "positive code", .bool(m.coder.positive))
            Self.report(m.report, into: &s, objective: "objective ½‖X − ZD‖² + α‖Z‖₁ (last; online: mean per row of the last batch)")
        case let .nmf(m):
            s.field("solver", "solver", .string(m.configuration.solver.rawValue))
            s.field("betaLoss", "beta loss", .string(m.configuration.betaLoss.rawValue))
            s.field("reconstructionError", "reconstruction error", .number(m.reconstructionError))
            Self.report(m.report, into: &s, objective: nil)
        case let .rbm(m):
            s.field("epochs", "epochs", .int(m.report.iterations))
            if let last = m.pseudoLikelihood.last { s.field("pseudoLikelihood", "pseudo-likelihood (last epoch)", .number(last)) }
            if let last = m.report.objective.last { s.field("reconstructionError", "reconstruction error (last epoch)", .number(last)) }
            if !m.pseudoLikelihood.isEmpty {
                s.table("epochs", title: "per epoch (monitor rows)", headers: ["epoch", "pseudo-likelihood", "reconstruction error"],
                        keys: ["epoch", "pseudoLikelihood", "reconstructionError"],
                        rows: m.pseudoLikelihood.indices.map { e in
                            [.int(e + 1), .number(m.pseudoLikelihood[e]),
                             e < m.report.objective.count ? .number(m.report.objective[e]) : .null]
                        })
            }
        }
    }

    private static func report(_ r: FitReport, into s: inout Summary, objective: String?) {
        s.field("converged", "converged", .bool(r.converged))
        s.field("iterations", "iterations", .int(r.iterations))
        s.field("finalChange", "last change", .number(r.finalChange))
        if let objective, let last = r.objective.last { s.field("objective", objective, .number(last)) }
    }

    static func kernelText(_ k: KernelFunction) -> String {
        func g(_ x: Double?) -> String { x.map(Summary.format) ?? "1/features" }
        switch k {
        case .linear: return "linear"
        case let .polynomial(degree, gamma, coef0): return "poly(degree \(degree), gamma \(g(gamma)), coef0 \(Summary.format(coef0)))"
        case let .rbf(gamma): return "rbf(gamma \(g(gamma)))"
        case let .sigmoid(gamma, coef0): return "sigmoid(gamma \(g(gamma)), coef0 \(Summary.format(coef0)))"
        case .cosine: return "cosine"
        case .precomputed: return "precomputed"
        }
    }
}
