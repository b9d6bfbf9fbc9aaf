import Foundation
import Testing
import LatentCore
import LatentDecomposition
import LatentTestSupport

private func fixture(_ name: String) throws -> Matrix<Double> { try Fixtures.matrix("icanmf/nmf_" + name) }

@Suite("NMF")
struct NMFTests {
    /// Each case: fixture name, configuration with scikit-learn's parameters (max_iter 200, tol 0).
    static let cases: [(String, NMF<Double>)] = [
        ("cd", NMF(components: 4, solver: .coordinateDescent, initialization: .nndsvd, tolerance: 0)),
        ("mu", NMF(components: 4, solver: .multiplicativeUpdate, initialization: .nndsvda, tolerance: 0)),
        ("kl", NMF(components: 4, solver: .multiplicativeUpdate, betaLoss: .kullbackLeibler, initialization: .nndsvda, tolerance: 0)),
        ("cd_reg", NMF(components: 4, solver: .coordinateDescent, initialization: .nndsvd, tolerance: 0,
                       alphaW: 0.01, alphaH: 0.02, l1Ratio: 0.3)),
        ("mu_reg", NMF(components: 4, solver: .multiplicativeUpdate, initialization: .nndsvda, tolerance: 0,
                       alphaW: 0.01, l1Ratio: 0.5)),
        ("kl_reg", NMF(components: 4, solver: .multiplicativeUpdate, betaLoss: .kullbackLeibler, initialization: .nndsvda,
                       tolerance: 0, alphaW: 0.005, l1Ratio: 0.7)),
    ]

    @Test("matches scikit-learn: error, W, H and transform of new data", arguments: cases)
    func scikitLearn(name: String, nmf: NMF<Double>) throws {
        let x = try fixture("x")
        let (model, w) = try nmf.fitTransform(x)
        let error = try fixture("\(name)_err").storage[0]
        #expect(Swift.abs(model.reconstructionError - error) <= 0.01 * error, "\(name): \(model.reconstructionError) vs \(error)")
        #expect(Swift.abs(model.reconstructionError - error) <= 1e-6 * error, "\(name): \(model.reconstructionError) vs \(error)")
        #expect(relativeError(model.components, try fixture("\(name)_h")) < 1e-5, "\(name) H")
        #expect(relativeError(w, try fixture("\(name)_w")) < 1e-5, "\(name) W")
        #expect(w.storage.allSatisfy { $0 >= 0 } && model.components.storage.allSatisfy { $0 >= 0 })
        #expect(model.report.iterations == 200 && !model.report.converged)
        let transformed = try model.transform(try fixture("xnew"))
        #expect(relativeError(transformed, try fixture("\(name)_transform")) < 1e-5, "\(name) transform")
        #expect(transformed.storage.allSatisfy { $0 >= 0 })
    }

    @Test("NNDSVD and NNDSVDa starting points match scikit-learn")
    func initialisation() throws {
        let x = try fixture("x")
        for name in ["nndsvd", "nndsvda"] {
            let method: NMFInitializationMethod = name == "nndsvd" ? .nndsvd : .nndsvda
            let (w, h) = try NMF<Double>(components: 4, initialization: method).initialFactors(x)
            #expect(maxAbsDifference(w, try fixture("\(name)_w")) < 1e-9, "\(name) W")
            #expect(maxAbsDifference(h, try fixture("\(name)_h")) < 1e-9, "\(name) H")
        }
    }

    @Test("objective trace decreases and ends at the reported error")
    func objectiveTrace() throws {
        let x = try fixture("x")
        for solver in [NMFSolver.coordinateDescent, .multiplicativeUpdate] {
            let model = try NMF<Double>(components: 4, solver: solver, tolerance: 0, maxIterations: 50).fit(x)
            let trace = model.report.objective
            #expect(trace.count == 50)
            #expect(zip(trace, trace.dropFirst()).allSatisfy { $1 <= $0 * (1 + 1e-12) }, "\(solver)")
            #expect(Swift.abs((2 * trace.last!).squareRoot() - model.reconstructionError) < 1e-9 * model.reconstructionError)
        }
        let kl = try NMF<Double>(components: 4, solver: .multiplicativeUpdate, betaLoss: .kullbackLeibler,
                                 tolerance: 0, maxIterations: 50).fit(x)
        #expect(kl.report.objective.count == 5)
        #expect(Swift.abs((2 * kl.report.objective.last!).squareRoot() - kl.reconstructionError) < 1e-9)
    }

    @Test("tolerance stops early; Float works; random init is seeded; inverse transform is W·H")
    func convergenceFloatAndSeeds() throws {
        let x = try fixture("x")
        let cd = try NMF<Double>(components: 4, tolerance: 1e-3, maxIterations: 500).fit(x)
        #expect(cd.report.converged && cd.report.iterations < 500 && cd.report.finalChange <= 1e-3)
        let mu = try NMF<Double>(components: 4, solver: .multiplicativeUpdate, tolerance: 1e-3, maxIterations: 500).fit(x)
        #expect(mu.report.converged && mu.report.iterations % 10 == 0)

        let xf = Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map(Float.init))
        let reference = try fixture("cd_err").storage[0]
        let float = try NMF<Float>(components: 4, initialization: .nndsvd, tolerance: 0).fit(xf)
        #expect(Swift.abs(float.reconstructionError - reference) < 1e-3 * reference)

        let a = try NMF<Double>(components: 4, initialization: .random, seed: 5).fitTransform(x)
        let b = try NMF<Double>(components: 4, initialization: .random, seed: 5).fitTransform(x)
        let c = try NMF<Double>(components: 4, initialization: .random, seed: 6).fit(x)
        #expect(a.model == b.model && a.weights == b.weights && a.model.components != c.components)
        let ar = try NMF<Double>(components: 4, solver: .multiplicativeUpdate, initialization: .nndsvdar, seed: 5).fit(x)
        #expect(ar.reconstructionError < 1.1 * (try fixture("mu_err").storage[0]))
        let wh = try a.model.inverseTransform(a.weights)
        #expect(Swift.abs(Double((x - wh).frobeniusNorm()) - a.model.reconstructionError) < 1e-9)
        let data = try JSONEncoder().encode(a.model)
        #expect(try JSONDecoder().decode(FittedNMF<Double>.self, from: data) == a.model)
    }

    @Test("bad input throws")
    func errors() throws {
        var x = try fixture("x")
        #expect(throws: EstimatorError.self) { try NMF<Double>(components: 13, initialization: .nndsvd).fit(x) }
        #expect(throws: EstimatorError.self) { try NMF<Double>(components: 2, betaLoss: .kullbackLeibler).fit(x) }
        #expect(throws: EstimatorError.self) { try NMF<Double>(components: 2, l1Ratio: 2).fit(x) }
        let model = try NMF<Double>(components: 2, maxIterations: 5).fit(x)
        #expect(throws: EstimatorError.featureMismatch(method: "NMF", expected: 12, got: 3)) { try model.transform(.zeros(2, 3)) }
        x[3, 4] = -0.5
        #expect(throws: EstimatorError.invalidData(method: "NMF", reason: "negative value -0.5 at row 3, column 4; NMF needs non-negative data")) {
            try NMF<Double>(components: 2).fit(x)
        }
        #expect(throws: EstimatorError.self) { try model.transform(x) }
        x[3, 4] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "NMF", row: 3, column: 4)) { try NMF<Double>(components: 2).fit(x) }
    }
}
