import Testing
import LatentCore
import LatentDecomposition
import LatentTestSupport

/// A toy data set: `count` noisy copies (each bit flipped with probability `noise`) of a few
/// distinct 16-bit patterns that differ pairwise in at least 6 bits.
private func toyPatterns<S: BLASScalar>(count: Int, noise: Double, seed: UInt64, as: S.Type = S.self)
    -> (data: Matrix<S>, patterns: [[S]]) {
    let patterns: [[S]] = [
        "1111000011110000", "0000111100001111", "1100110011001100", "0011001100110011", "1010101001010101",
    ].map { $0.map { $0 == "1" ? 1 : 0 } }
    var rng = Xoshiro256StarStar(seed: seed)
    let rows = (0..<count).map { i in patterns[i % patterns.count].map { rng.bernoulli(noise) ? 1 - $0 : $0 } }
    return (Matrix(rows), patterns)
}

/// The smallest Hamming distance from `row` to any pattern.
private func distanceToNearest<S: BLASScalar>(_ row: [S], _ patterns: [[S]]) -> Int {
    patterns.map { p in zip(row, p).filter { $0 != $1 }.count }.min()!
}

private func toyRBM<S: BLASScalar>(_: S.Type, sampling: BernoulliRBM<S>.Sampling = .persistent(steps: 1),
                                    epochs: Int = 40, seed: UInt64 = 7) -> BernoulliRBM<S> {
    BernoulliRBM<S>(hiddenUnits: 16, learningRate: 0.1, batchSize: 10, epochs: epochs, sampling: sampling,
                    shuffle: true, monitorSamples: 200, seed: seed)
}

@Suite struct BernoulliRBMTests {
    // MARK: - Formulas against NumPy (scripts/fixtures/rbm.py)

    private func fixtureModel<S: BLASScalar>(_: S.Type) throws -> BernoulliRBMModel<S> {
        BernoulliRBMModel(weights: try Fixtures.matrix("rbm/weights", as: S.self),
                          hiddenBias: try Fixtures.vector("rbm/hidden_bias", as: S.self),
                          visibleBias: try Fixtures.vector("rbm/visible_bias", as: S.self))
    }

    @Test func freeEnergyAndPseudoLikelihoodMatchNumPy() throws {
        let model = try fixtureModel(Double.self)
        let v: Matrix<Double> = try Fixtures.matrix("rbm/data")
        let flips = try Fixtures.vector("rbm/flips", as: Double.self).map { Int($0) }
        #expect(maxAbsDifference(try model.freeEnergy(v), try Fixtures.vector("rbm/free_energy")) < 1e-10)
        #expect(maxAbsDifference(try model.pseudoLikelihood(v, flipping: flips), try Fixtures.vector("rbm/pseudo_likelihood")) < 1e-10)
        let hidden = try model.transform(v)
        #expect(maxAbsDifference(hidden, try Fixtures.matrix("rbm/hidden")) < 1e-12)
        #expect(maxAbsDifference(try model.inverseTransform(hidden), try Fixtures.matrix("rbm/visible")) < 1e-12)
    }

    @Test func singlePrecisionFormulasMatchNumPy() throws {
        let model = try fixtureModel(Float.self)
        let v: Matrix<Float> = try Fixtures.matrix("rbm/data", as: Float.self)
        let flips = try Fixtures.vector("rbm/flips", as: Double.self).map { Int($0) }
        let energy = try Fixtures.vector("rbm/free_energy", as: Float.self)
        let pseudo = try Fixtures.vector("rbm/pseudo_likelihood", as: Float.self)
        #expect(maxAbsDifference(try model.freeEnergy(v), energy) < 1e-4)
        #expect(maxAbsDifference(try model.pseudoLikelihood(v, flipping: flips), pseudo) < 1e-3)
        #expect(maxAbsDifference(try model.transform(v), try Fixtures.matrix("rbm/hidden", as: Float.self)) < 1e-6)
    }

    @Test func singlePrecisionSigmoidIsAccurate() throws {
        // Float uses its own vectorised exponential: with zero weights, transform returns σ(c),
        // compared here with the Double logistic over the whole useful range and beyond.
        let grid = stride(from: -90.0, through: 90.0, by: 0.0137).map { $0 } + [-1e4, -200, 200, 1e4]
        let model = BernoulliRBMModel<Float>(weights: .zeros(grid.count, 1), hiddenBias: grid.map { Float($0) }, visibleBias: [0])
        let hidden = try model.transform(.zeros(1, 1)).storage
        for (x, h) in zip(grid, hidden) {
            let exact = 1 / (1 + Double.exp(-Double(Float(x))))
            let tolerance = exact > 1e-37 ? 1e-6 * exact : 2e-38   // below e^−87 the input is clamped
            #expect(Swift.abs(Double(h) - exact) <= Swift.max(tolerance, 6e-8), "σ(\(x)) = \(h), exact \(exact)")
        }
    }

    @Test func pseudoLikelihoodEqualsTheDefinitionThroughFreeEnergies() throws {
        // The rank-one shortcut against d · log σ(F(v′) − F(v)) computed from two free energies.
        let model = try fixtureModel(Double.self)
        let v: Matrix<Double> = try Fixtures.matrix("rbm/data")
        var rng = Xoshiro256StarStar(seed: 3)
        let flips = (0..<v.rows).map { _ in rng.integer(below: v.columns) }
        var flipped = v
        for (i, j) in flips.enumerated() { flipped[i, j] = 1 - flipped[i, j] }
        let (f, fFlipped) = (try model.freeEnergy(v), try model.freeEnergy(flipped))
        let direct = (0..<v.rows).map { Double(v.columns) * Double.log(1 / (1 + Double.exp(-(fFlipped[$0] - f[$0])))) }
        #expect(maxAbsDifference(try model.pseudoLikelihood(v, flipping: flips), direct) < 1e-10)
        let scored = try model.score(v, seed: 3)
        #expect(try scored == model.pseudoLikelihood(v, flipping: flips))
    }

    @Test func gibbsSamplesHaveTheModelsProbabilities() throws {
        // Zero weights: p(v = 1 | h) = σ(b) whatever h is, so one Gibbs step draws independent
        // Bernoulli(σ(b)) bits; 20000 draws per column put the frequency within ±0.015 (> 4.5 σ).
        let probabilities: [Double] = [0, 0.05, 0.3, 0.5, 0.9, 1]
        let bias = probabilities.map { Double.log($0) - Double.log(1 - $0) }   // logit: ±∞ at 0 and 1
        let model = BernoulliRBMModel(weights: .zeros(3, 6), hiddenBias: [0, 0, 0], visibleBias: bias)
        var rng = Xoshiro256StarStar(seed: 12)
        let samples = try model.gibbs(.zeros(20000, 6), steps: 1, using: &rng)
        #expect(samples.storage.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(maxAbsDifference(samples.mean(over: .rows), probabilities) < 0.015)
        var again = Xoshiro256StarStar(seed: 12)
        #expect(try model.gibbs(.zeros(20000, 6), steps: 1, using: &again) == samples)
    }

    // MARK: - Training

    @Test func trainingLowersReconstructionErrorAndRaisesPseudoLikelihood() throws {
        let (x, _) = toyPatterns(count: 400, noise: 0.05, seed: 1, as: Double.self)
        let model = try toyRBM(Double.self).fit(x)
        let error = model.report.objective
        #expect(error.count == 40 && model.pseudoLikelihood.count == 40)
        #expect(error.last! < 0.5 * error.first!)
        #expect(error.last! < 0.06)
        #expect(model.pseudoLikelihood.last! > model.pseudoLikelihood.first!)
        // Against the untrained initial weights on the whole set, with the same flipped bits.
        let untrained = try toyRBM(Double.self, epochs: 0).fit(x)
        let before = try untrained.score(x, seed: 11).reduce(0, +) / Double(x.rows)
        let after = try model.score(x, seed: 11).reduce(0, +) / Double(x.rows)
        #expect(after > before + 3, "mean pseudo-likelihood \(before) → \(after)")
        let (errorBefore, errorAfter) = (try untrained.reconstructionError(x), try model.reconstructionError(x))
        #expect(errorBefore > 2 * errorAfter)
    }

    @Test(arguments: [1, 3]) func contrastiveDivergenceLearnsToo(steps: Int) throws {
        let (x, _) = toyPatterns(count: 300, noise: 0.05, seed: 2, as: Float.self)
        let model = try toyRBM(Float.self, sampling: .contrastiveDivergence(steps: steps), epochs: 25).fit(x)
        #expect(model.report.objective.last! < 0.5 * model.report.objective.first!)
        #expect(model.pseudoLikelihood.last! > model.pseudoLikelihood.first!)
    }

    @Test func gibbsChainsReturnToTrainingPatterns() throws {
        let (x, patterns) = toyPatterns(count: 500, noise: 0.05, seed: 3, as: Float.self)
        let model = try toyRBM(Float.self, epochs: 60).fit(x)
        var rng = Xoshiro256StarStar(seed: 99)
        // Starts: noisy copies (3 flipped bits) and uniformly random states.
        let noisy = (0..<100).map { i in
            var row = patterns[i % patterns.count]
            for j in rng.choice(16, count: 3) { row[j] = 1 - row[j] }
            return row
        }
        let random = (0..<100).map { _ in (0..<16).map { _ in Float(rng.bernoulli(0.5) ? 1 : 0) } }
        for starts in [noisy, random] {
            let samples = try model.gibbs(Matrix(starts), steps: 50, using: &rng)
            let near = (0..<samples.rows).filter { distanceToNearest(samples.row($0), patterns) <= 1 }.count
            #expect(near >= 90, "\(near) of 100 chains end within Hamming distance 1 of a pattern")
        }
    }

    @Test func sameSeedGivesIdenticalWeights() throws {
        let (x, _) = toyPatterns(count: 100, noise: 0.1, seed: 4, as: Float.self)
        let a = try toyRBM(Float.self, epochs: 3, seed: 5).fit(x)
        let b = try toyRBM(Float.self, epochs: 3, seed: 5).fit(x)
        let c = try toyRBM(Float.self, epochs: 3, seed: 6).fit(x)
        #expect(a.weights == b.weights && a.hiddenBias == b.hiddenBias && a.visibleBias == b.visibleBias)
        #expect(a.report == b.report && a.pseudoLikelihood == b.pseudoLikelihood)
        #expect(a.weights != c.weights)
    }

    @Test func initialWeightsAreSmallGaussians() throws {
        let x = Matrix<Double>.randomUniform(50, 40, seed: 1)
        let model = try BernoulliRBM<Double>(hiddenUnits: 100, epochs: 0, seed: 3).fit(x)
        #expect(Swift.abs(model.weights.mean()) < 0.001)
        #expect(Swift.abs(model.weights.standardDeviation() - 0.01) < 0.0005)
        #expect(model.hiddenBias.allSatisfy { $0 == 0 } && model.visibleBias.allSatisfy { $0 == 0 })
    }

    @Test func partialFitRepeatsFit() throws {
        // fit in data order is a sequence of partialFit calls on consecutive batches (last one short).
        let (x, _) = toyPatterns(count: 95, noise: 0.1, seed: 5, as: Double.self)
        let options = BernoulliRBM<Double>(hiddenUnits: 8, learningRate: 0.05, batchSize: 10, epochs: 2, monitorSamples: 0, seed: 9)
        var trainer = BernoulliRBMTrainer(options, features: 16)
        for _ in 0..<2 {
            for start in stride(from: 0, to: 95, by: 10) { try trainer.partialFit(x.rows(start..<Swift.min(95, start + 10))) }
        }
        let fitted = try options.fit(x)
        #expect(trainer.updates == 20)
        #expect(trainer.model().weights == fitted.weights)
        #expect(trainer.model().visibleBias == fitted.visibleBias && trainer.model().hiddenBias == fitted.hiddenBias)
    }

    @Test func modelRoundTripsThroughCodable() throws {
        let (x, _) = toyPatterns(count: 50, noise: 0.1, seed: 6, as: Float.self)
        let model = try toyRBM(Float.self, epochs: 2).fit(x)
        let data = try JSONEncoder().encode(model)
        let decoded = try JSONDecoder().decode(BernoulliRBMModel<Float>.self, from: data)
        #expect(decoded.weights == model.weights && decoded.report == model.report)
    }

    // MARK: - Errors

    @Test func rejectsBadInputAndParameters() throws {
        var x = Matrix<Double>.randomUniform(20, 4, seed: 2)
        x[3, 2] = 1.5
        #expect(throws: EstimatorError.invalidData(method: "BernoulliRBM",
                                                   reason: "inputs must lie in [0, 1]; element (row 3, column 2) is 1.5")) {
            try BernoulliRBM<Double>(hiddenUnits: 3).fit(x)
        }
        x[3, 2] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "BernoulliRBM", row: 3, column: 2)) { try BernoulliRBM<Double>().fit(x) }
        let ok = Matrix<Double>.randomUniform(20, 4, seed: 2)
        #expect(throws: EstimatorError.self) { try BernoulliRBM<Double>(hiddenUnits: 0).fit(ok) }
        #expect(throws: EstimatorError.self) { try BernoulliRBM<Double>(learningRate: -1).fit(ok) }
        #expect(throws: EstimatorError.self) { try BernoulliRBM<Double>(sampling: .contrastiveDivergence(steps: 0)).fit(ok) }
        #expect(throws: EstimatorError.tooFewSamples(method: "BernoulliRBM", samples: 0, needed: 1)) {
            try BernoulliRBM<Double>().fit(.zeros(0, 4))
        }
        let model = try BernoulliRBM<Double>(hiddenUnits: 3, epochs: 1).fit(ok)
        #expect(throws: EstimatorError.featureMismatch(method: "BernoulliRBM", expected: 4, got: 5)) {
            try model.transform(.zeros(2, 5))
        }
    }
}

import Foundation
