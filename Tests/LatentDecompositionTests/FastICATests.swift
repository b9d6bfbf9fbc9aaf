import Foundation
import Testing
import LatentCore
@testable import LatentDecomposition
import LatentTestSupport

/// Three independent non-Gaussian sources (sawtooth, square wave, Laplace noise) mixed by a
/// seeded random 3×3 matrix plus an offset: n × 3 sources and the n × 3 observations.
private func mixture<S: BLASScalar>(samples n: Int = 2000, seed: UInt64 = 42, as: S.Type = Double.self) -> (sources: Matrix<S>, x: Matrix<S>) {
    var rng = Xoshiro256StarStar(seed: seed)
    let sources = Matrix<S>(rows: n, columns: 3) { i, j in
        let t = 8 * Double(i) / Double(n)
        switch j {
        case 0: return S(t - (t).rounded(.down) - 0.5)                         // sawtooth
        case 1: return S(Foundation.sin(3 * t) >= 0 ? 1 : -1)                  // square wave
        default:                                                                 // Laplace
            let u = rng.uniform() - 0.5
            return S(-(u < 0 ? -1.0 : 1.0) * Foundation.log(1 - 2 * Swift.abs(u)))
        }
    }
    let a = Matrix<S>.randomNormal(3, 3, seed: seed &+ 1)
    let x = Matrix.gemm(sources, a, transposeB: true).adding(row: [1, -2, S(0.5)])
    return (sources, x)
}

/// |Pearson correlation| between column `i` of `a` and column `j` of `b`.
private func absCorrelation<S: BLASScalar>(_ a: Matrix<S>, _ i: Int, _ b: Matrix<S>, _ j: Int) -> Double {
    let u = a.column(i).map(Double.init), v = b.column(j).map(Double.init)
    let mu = u.reduce(0, +) / Double(u.count), mv = v.reduce(0, +) / Double(v.count)
    var suv = 0.0, suu = 0.0, svv = 0.0
    for k in u.indices { suv += (u[k] - mu) * (v[k] - mv); suu += (u[k] - mu) * (u[k] - mu); svv += (v[k] - mv) * (v[k] - mv) }
    return Swift.abs(suv) / (suu * svv).squareRoot()
}

/// For every true source, the best |correlation| with any recovered component.
private func bestMatches<S: BLASScalar>(_ sources: Matrix<S>, _ recovered: Matrix<S>) -> [Double] {
    (0..<sources.columns).map { i in (0..<recovered.columns).map { absCorrelation(sources, i, recovered, $0) }.max() ?? 0 }
}

@Suite("FastICA")
struct FastICATests {
    static let contrasts: [FastICAContrast] = [.logcosh(), .logcosh(alpha: 1.5), .exp, .cube]

    @Test("recovers every source, both algorithms, every contrast", arguments: contrasts)
    func recovery(contrast: FastICAContrast) throws {
        let (sources, x) = mixture()
        for algorithm in [FastICA<Double>.Algorithm.parallel, .deflation] {
            let ica = try FastICA<Double>(components: 3, algorithm: algorithm, contrast: contrast, seed: 3).fit(x)
            let s = try ica.transform(x)
            let matches = bestMatches(sources, s)
            #expect(matches.allSatisfy { $0 > 0.99 }, "\(algorithm) \(contrast): \(matches)")
            #expect(ica.report.converged, "\(algorithm) \(contrast): \(ica.report)")
        }
    }

    @Test("whitening variants and solvers recover the sources; unit variance means unit variance")
    func whiteningVariants() throws {
        let (sources, x) = mixture(samples: 1500, seed: 9)
        for solver in [FastICA<Double>.WhiteningSolver.svd, .eigen] {
            for whitening in [FastICA<Double>.Whitening.unitVariance, .arbitraryVariance] {
                let ica = try FastICA<Double>(components: 3, whitening: whitening, whiteningSolver: solver, seed: 1).fit(x)
                let s = try ica.transform(x)
                #expect(bestMatches(sources, s).allSatisfy { $0 > 0.99 }, "\(solver) \(whitening)")
                if whitening == .unitVariance {
                    #expect(maxAbsDifference(s.standardDeviation(over: .rows), [1, 1, 1]) < 1e-8)
                }
                #expect(ica.whitening != nil && ica.mean != nil)
            }
        }
        // Without whitening, on data that are already white, FastICA still unmixes.
        let (_, white) = mixture(samples: 1500, seed: 9)
        let k = try FastICA<Double>(components: 3, whitening: .arbitraryVariance).fit(white).whitening!
        let (centred, _) = white.centered()
        let x1 = Matrix.gemm(centred, k, transposeB: true, alpha: Double(1500).squareRoot())
        let raw = try FastICA<Double>(whitening: .none, seed: 5).fit(x1)
        #expect(raw.mean == nil && raw.whitening == nil)
        #expect(bestMatches(sources, try raw.transform(x1)).allSatisfy { $0 > 0.99 })
    }

    @Test("Float recovers the sources too")
    func float() throws {
        let (sources, x) = mixture(samples: 2000, as: Float.self)
        for algorithm in [FastICA<Float>.Algorithm.parallel, .deflation] {
            let ica = try FastICA<Float>(components: 3, algorithm: algorithm, seed: 2).fit(x)
            #expect(bestMatches(sources, try ica.transform(x)).allSatisfy { $0 > 0.99 })
        }
    }

    @Test("same seed, same model; inverse transform reconstructs; mixing is the pseudo-inverse")
    func reproducibleAndInvertible() throws {
        let (_, x) = mixture(samples: 800)
        let a = try FastICA<Double>(components: 3, seed: 11).fit(x)
        let b = try FastICA<Double>(components: 3, seed: 11).fit(x)
        #expect(a == b)
        let back = try a.inverseTransform(try a.transform(x))
        #expect(maxAbsDifference(back, x) < 1e-9)   // 3 components of 3 features: exact
        let product = Matrix.gemm(a.components, a.mixing)
        #expect(maxAbsDifference(product, .identity(3)) < 1e-10)
        let data = try JSONEncoder().encode(a)
        #expect(try JSONDecoder().decode(FittedFastICA<Double>.self, from: data) == a)
    }

    @Test("matches scikit-learn with the same w_init", arguments: [
        ("par_logcosh_svd", FastICA<Double>.Algorithm.parallel, FastICAContrast.logcosh(), FastICA<Double>.Whitening.unitVariance, FastICA<Double>.WhiteningSolver.svd),
        ("par_logcosh_eigh", .parallel, .logcosh(), .unitVariance, .eigen),
        ("par_exp_arbitrary", .parallel, .exp, .arbitraryVariance, .svd),
        ("def_cube_svd", .deflation, .cube, .unitVariance, .svd),
        ("def_logcosh2_svd", .deflation, .logcosh(alpha: 1.5), .unitVariance, .svd),
    ])
    func scikitLearn(name: String, algorithm: FastICA<Double>.Algorithm, contrast: FastICAContrast,
                     whitening: FastICA<Double>.Whitening, solver: FastICA<Double>.WhiteningSolver) throws {
        let x: Matrix<Double> = try Fixtures.matrix("icanmf/ica_x")
        let wInit: Matrix<Double> = try Fixtures.matrix("icanmf/ica_w_init")
        let ica = try FastICA<Double>(components: 3, algorithm: algorithm, contrast: contrast, whitening: whitening,
                                      whiteningSolver: solver, tolerance: 1e-10, maxIterations: 1000, wInit: wInit).fit(x)
        let components: Matrix<Double> = try Fixtures.matrix("icanmf/ica_\(name)_components")
        let mixing: Matrix<Double> = try Fixtures.matrix("icanmf/ica_\(name)_mixing")
        let k: Matrix<Double> = try Fixtures.matrix("icanmf/ica_\(name)_whitening")
        let iterations: [Double] = try Fixtures.vector("icanmf/ica_\(name)_iterations")
        let scale = components.storage.map { Swift.abs($0) }.max()!
        #expect(maxAbsDifference(ica.whitening!, k) < 1e-8 * k.storage.map { Swift.abs($0) }.max()!)
        #expect(maxAbsDifference(ica.components, components) < 1e-6 * scale, "\(ica.components) vs \(components)")
        #expect(maxAbsDifference(ica.mixing, mixing) < 1e-6 * mixing.storage.map { Swift.abs($0) }.max()!)
        #expect(maxAbsDifference(ica.mean!, try Fixtures.vector("icanmf/ica_mean")) < 1e-12)
        #expect(Swift.abs(ica.report.iterations - Int(iterations[0])) <= 1)
    }

    @Test("bad input throws")
    func errors() throws {
        var x = mixture(samples: 50).x
        #expect(throws: EstimatorError.invalidParameter(method: "FastICA", name: "components",
                                                        reason: "must be in 1...3 (the number of features), got 4")) {
            try FastICA<Double>(components: 4).fit(x)
        }
        #expect(throws: EstimatorError.tooFewSamples(method: "FastICA", samples: 1, needed: 2)) {
            try FastICA<Double>().fit(x.rows(0..<1))
        }
        #expect(throws: EstimatorError.tooFewSamples(method: "FastICA", samples: 2, needed: 3)) {
            try FastICA<Double>(components: 3).fit(x.rows(0..<2))
        }
        #expect(throws: EstimatorError.self) { try FastICA<Double>(components: 2, wInit: .identity(3)).fit(x) }
        #expect(throws: EstimatorError.self) { try FastICA<Double>(contrast: .logcosh(alpha: 3)).fit(x) }
        let model = try FastICA<Double>(components: 2).fit(x)
        #expect(throws: EstimatorError.featureMismatch(method: "FastICA", expected: 3, got: 2)) { try model.transform(.zeros(1, 2)) }
        x[7, 2] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "FastICA", row: 7, column: 2)) { try FastICA<Double>().fit(x) }
    }

    @Test("non-convergence is reported, not thrown")
    func nonConvergence() throws {
        let (_, x) = mixture(samples: 500)
        let ica = try FastICA<Double>(components: 3, tolerance: 0, maxIterations: 3).fit(x)
        #expect(ica.report.iterations == 3)
        #expect(!ica.report.converged)
    }
}

@Suite("FastICA tanh")
struct FastICATanhTests {
    @Test("vectorised Float tanh is within 5e-7 of Double tanh")
    func accuracy() {
        let n = 40_003   // not a multiple of 8: exercises the scalar tail
        var values = (0..<n).map { Float(-12 + 24 * Double($0) / Double(n - 1)) }
        let reference = values.map { Foundation.tanh(Double($0) * 1.5) }
        let squares = values.withUnsafeMutableBufferPointer { FastICATanh.apply($0.baseAddress!, count: n, scale: 1.5) }
        var worst = 0.0, sum = 0.0
        for i in 0..<n { worst = Swift.max(worst, Swift.abs(Double(values[i]) - reference[i])); sum += reference[i] * reference[i] }
        #expect(worst < 5e-7)
        #expect(Swift.abs(squares - sum) < 1e-6 * sum)
    }
}

extension FastICATanhTests {
    @Test("the logcosh contrast on Float uses the vectorised tanh")
    func contrastUsesFastPath() {
        var a: [Float] = (0..<100).map { Float($0) / 20 - 2.5 }
        var b = a
        _ = a.withUnsafeMutableBufferPointer { FastICAContrast.logcosh().applyInPlace($0.baseAddress!, count: 100) }
        _ = b.withUnsafeMutableBufferPointer { FastICATanh.apply($0.baseAddress!, count: 100, scale: 1) }
        #expect(a == b)
    }
}
