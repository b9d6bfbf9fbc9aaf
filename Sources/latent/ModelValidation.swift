import Foundation
import Latent

/// A model file checked as a whole before anything uses it: every matrix and vector against
/// every other (so `embed` cannot trap on an edited file that `inspect` reads fine), every number
/// finite, every hyperparameter that `transform` uses in its range. A problem names the field,
/// e.g. `model.mean has 3 values, but model.components has 4 columns`.
extension FittedModel {
    func validate() throws {
        let check = ModelCheck()
        switch self {
        case let .pca(m):
            let (k, d) = (m.components.rows, m.components.columns)
            try check.matrix("model.components", m.components)
            try check.vector("model.mean", m.mean, count: d, because: "model.components has \(d) columns")
            try check.vector("model.explainedVariance", m.explainedVariance, count: k, because: "model.components has \(k) rows")
            try check.vector("model.explainedVarianceRatio", m.explainedVarianceRatio, count: k, because: "model.components has \(k) rows")
            try check.vector("model.singularValues", m.singularValues, count: k, because: "model.components has \(k) rows")
            try check.number("model.noiseVariance", m.noiseVariance)
            try check.nonNegative("model.explainedVariance", m.explainedVariance)
            if m.whiten, let j = m.explainedVariance.firstIndex(where: { $0 <= 0 }) {
                throw Failure("model.explainedVariance[\(j)] is \(m.explainedVariance[j]); a whitened model divides by its square root")
            }
        case let .kpca(m):
            let n = m.eigenvectors.rows, k = m.eigenvectors.columns
            try check.matrix("model.eigenvectors", m.eigenvectors)
            try check.vector("model.eigenvalues", m.eigenvalues, count: k, because: "model.eigenvectors has \(k) columns")
            try check.nonNegative("model.eigenvalues", m.eigenvalues)
            try check.vector("model.columnMeans", m.columnMeans, count: n, because: "model.eigenvectors has \(n) rows (training samples)")
            try check.number("model.grandMean", m.grandMean)
            if let t = m.trainingData {
                try check.matrix("model.trainingData", t)
                if t.rows != n { throw Failure("model.trainingData has \(t.rows) rows, but model.eigenvectors has \(n)") }
            }
            try check.kernel(m.kernel)
            if let p = m.preimage {
                try check.matrix("model.preimage.trainingProjections", p.trainingProjections)
                try check.matrix("model.preimage.dualCoefficients", p.dualCoefficients)
                if p.trainingProjections.rows != n || p.trainingProjections.columns != k {
                    throw Failure("model.preimage.trainingProjections is \(p.trainingProjections.rows)×\(p.trainingProjections.columns), expected \(n)×\(k)")
                }
                if p.dualCoefficients.rows != n || p.dualCoefficients.columns != m.inputFeatures {
                    throw Failure("model.preimage.dualCoefficients is \(p.dualCoefficients.rows)×\(p.dualCoefficients.columns), expected \(n)×\(m.inputFeatures)")
                }
            }
        case let .ica(m):
            let (k, d) = (m.components.rows, m.components.columns)
            try check.matrix("model.components", m.components)
            try check.matrix("model.mixing", m.mixing)
            try check.matrix("model.unmixing", m.unmixing)
            if m.mixing.rows != d || m.mixing.columns != k {
                throw Failure("model.mixing is \(m.mixing.rows)×\(m.mixing.columns), expected \(d)×\(k) (model.components is \(k)×\(d))")
            }
            if let mean = m.mean { try check.vector("model.mean", mean, count: d, because: "model.components has \(d) columns") }
            if let w = m.whitening {
                try check.matrix("model.whitening", w)
                if w.columns != d { throw Failure("model.whitening has \(w.columns) columns, but model.components has \(d)") }
            }
        case let .dict(m):
            let c = m.coder
            try check.matrix("model.coder.dictionary", c.dictionary)
            try check.matrix("model.coder.gram", c.gram)
            let k = c.dictionary.rows
            if c.gram.rows != k || c.gram.columns != k {
                throw Failure("model.coder.gram is \(c.gram.rows)×\(c.gram.columns), expected \(k)×\(k) (one row per atom of model.coder.dictionary)")
            }
            try check.number("model.coder.lipschitz", c.lipschitz)
            try check.number("model.alpha", m.alpha)
            if m.alpha < 0 { throw Failure("model.alpha is \(m.alpha); it must not be negative") }
            try check.algorithm(c.algorithm, atoms: k)
        case let .nmf(m):
            try check.matrix("model.components", m.components)
            if let j = m.components.storage.firstIndex(where: { $0 < 0 }) {
                throw Failure("model.components has a negative entry (\(m.components.storage[j]) at index \(j)); NMF factors are non-negative")
            }
            let cfg = m.configuration
            if cfg.components != m.components.rows {
                throw Failure("model.configuration.components is \(cfg.components), but model.components has \(m.components.rows) rows")
            }
            try check.number("model.configuration.tolerance", cfg.tolerance)
            try check.number("model.configuration.alphaW", cfg.alphaW)
            try check.number("model.configuration.l1Ratio", cfg.l1Ratio)
            if let h = cfg.alphaH { try check.number("model.configuration.alphaH", h) }
            if !(cfg.maxIterations >= 1 && cfg.maxIterations <= Int(Int32.max)) {
                throw Failure("model.configuration.maxIterations is \(cfg.maxIterations); it must lie in 1…2147483647")
            }
            if cfg.alphaW < 0 || (cfg.alphaH ?? 0) < 0 || !(0...1).contains(cfg.l1Ratio) || cfg.tolerance < 0 {
                throw Failure("model.configuration: alphaW, alphaH and tolerance must not be negative and l1Ratio must lie in [0, 1]")
            }
        case let .rbm(m):
            let (k, d) = (m.weights.rows, m.weights.columns)
            try check.matrix("model.weights", m.weights)
            try check.vector("model.hiddenBias", m.hiddenBias, count: k, because: "model.weights has \(k) rows")
            try check.vector("model.visibleBias", m.visibleBias, count: d, because: "model.weights has \(d) columns")
        }
        if inputFeatures < 1 || outputFeatures < 1 {
            throw Failure("the model maps \(inputFeatures) input features to \(outputFeatures); both must be at least 1")
        }
    }
}

/// The field checks `FittedModel.validate` is made of.
private struct ModelCheck {
    func matrix(_ field: String, _ m: Matrix<Double>) throws {
        if m.rows < 1 || m.columns < 1 { throw Failure("\(field) is \(m.rows)×\(m.columns); it must not be empty") }
        if let i = m.storage.firstIndex(where: { !$0.isFinite }) {
            throw Failure("\(field) has \(m.storage[i]) at row \(i / m.columns + 1), column \(i % m.columns + 1); every number must be finite")
        }
    }

    func vector(_ field: String, _ v: [Double], count: Int, because reason: String) throws {
        if v.count != count { throw Failure("\(field) has \(v.count) values, but \(reason)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) { throw Failure("\(field)[\(i)] is \(v[i]); every number must be finite") }
    }

    func nonNegative(_ field: String, _ v: [Double]) throws {
        if let i = v.firstIndex(where: { $0 < 0 }) { throw Failure("\(field)[\(i)] is \(v[i]); it must not be negative") }
    }

    func number(_ field: String, _ x: Double) throws {
        if !x.isFinite { throw Failure("\(field) is \(x); it must be a finite number") }
    }

    func kernel(_ k: KernelFunction) throws {
        switch k {
        case .linear, .cosine: return
        case .precomputed: throw Failure("model.kernel is precomputed; the command line cannot embed with it")
        case let .polynomial(degree, gamma, coef0):
            if !(1...100).contains(degree) { throw Failure("model.kernel.polynomial.degree is \(degree); it must lie in 1…100") }
            try number("model.kernel.polynomial.coef0", coef0)
            if let gamma { try number("model.kernel.polynomial.gamma", gamma) }
        case let .rbf(gamma):
            if let gamma { try number("model.kernel.rbf.gamma", gamma) }
        case let .sigmoid(gamma, coef0):
            try number("model.kernel.sigmoid.coef0", coef0)
            if let gamma { try number("model.kernel.sigmoid.gamma", gamma) }
        }
    }

    func algorithm(_ a: SparseCodingAlgorithm, atoms: Int) throws {
        func count(_ field: String, _ n: Int, _ range: ClosedRange<Int>) throws {
            if !range.contains(n) { throw Failure("model.coder.algorithm.\(field) is \(n); it must lie in \(range.lowerBound)…\(range.upperBound)") }
        }
        func real(_ field: String, _ x: Double) throws {
            if !(x.isFinite && x >= 0) { throw Failure("model.coder.algorithm.\(field) is \(x); it must be a finite number ≥ 0") }
        }
        switch a {
        case let .omp(n), let .lars(n): try count("nonzeros", n, 1...Swift.max(atoms, 1))
        case let .ompTolerance(r): try real("squaredResidual", r)
        case let .lassoLARS(alpha, it): try real("alpha", alpha); try count("maxIterations", it, 1...Int(Int32.max))
        case let .lassoCD(alpha, it, tol), let .ista(alpha, it, tol), let .fista(alpha, it, tol):
            try real("alpha", alpha); try real("tolerance", tol); try count("maxIterations", it, 1...Int(Int32.max))
        case let .threshold(alpha): try real("alpha", alpha)
        }
    }
}
