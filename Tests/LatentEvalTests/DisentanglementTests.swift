import Foundation
import Testing
import LatentCore
import LatentTestSupport
@testable import LatentEval

private func fixture(_ name: String) throws -> [Double] { try Fixtures.vector("disentanglement/" + name) }

/// The fixed sample of `scripts/fixtures/disentanglement.py`: 500 rows, 4 codes, 3 factors.
private func sample() throws -> (codes: Matrix<Double>, factors: [[Int]]) {
    let codes = Matrix(rows: 500, columns: 4, storage: try fixture("codes"))
    let f = try fixture("factors").map { Int($0) }
    return (codes, (0..<500).map { Array(f[($0 * 3)..<($0 * 3 + 3)]) })
}

/// The fixture's 300 test rows from the same model.
private func testSample() throws -> (codes: Matrix<Double>, factors: [[Int]]) {
    let codes = Matrix(rows: 300, columns: 4, storage: try fixture("test_codes"))
    let f = try fixture("test_factors").map { Int($0) }
    return (codes, (0..<300).map { Array(f[($0 * 3)..<($0 * 3 + 3)]) })
}

/// Random factors with 3, 5 and 4 classes, and codes that are exactly the factors or pure noise.
private func sanity(seed: UInt64) -> (factors: [[Int]], same: Matrix<Double>, noise: Matrix<Double>) {
    var rng = Xoshiro256StarStar(seed: seed)
    let factors = (0..<2000).map { _ in [3, 5, 4].map { rng.integer(below: $0) } }
    let same = Matrix<Double>(rows: 2000, columns: 3) { Double(factors[$0][$1]) }
    let noise = Matrix<Double>(rows: 2000, columns: 3) { _, _ in rng.normal() }
    return (factors, same, noise)
}

/// The fixture's ground truth: factor sizes (3, 5, 4), z = (f0/2, f1/4 + f2/6, f2/3 − f1/8, 0.3)
/// plus N(0, 0.3²) noise on the first three codes.
private func entangled(noiseSeed: UInt64) -> GroundTruth<Double> {
    var rng = Xoshiro256StarStar(seed: noiseSeed)
    return GroundTruth(factorSizes: [3, 5, 4]) { rows in
        Matrix(rows: rows.count, columns: 4, storage: rows.flatMap { f -> [Double] in
            let (a, b, c) = (Double(f[0]), Double(f[1]), Double(f[2]))
            return [a / 2 + 0.3 * rng.normal(), b / 4 + c / 6 + 0.3 * rng.normal(), c / 3 - b / 8 + 0.3 * rng.normal(), 0.3]
        })
    }
}

@Suite("Disentanglement metrics against disentanglement_lib's definitions")
struct DisentanglementTests {
    @Test func migMatchesTheReference() throws {
        let (codes, factors) = try sample()
        let mig = try MutualInformationGap.compute(codes: codes, factors: factors)
        #expect(maxAbsDifference(mig.mutualInformation.flatMap { $0 }, try fixture("mig_mi")) < 1e-12)
        #expect(maxAbsDifference(mig.factorEntropies, try fixture("mig_entropy")) < 1e-12)
        #expect(maxAbsDifference(mig.gaps, try fixture("mig_gaps")) < 1e-12)
        #expect(Swift.abs(mig.score - (try fixture("mig"))[0]) < 1e-12)
        // np.digitize over np.histogram's edges: the minimum in bin 1, the maximum in the last bin
        #expect(MutualInformationGap.histogramDiscretise([0, 0.5, 1, 0.1], bins: 4) == [1, 3, 4, 1])
        #expect(MutualInformationGap.histogramDiscretise([2, 2], bins: 3) == [2, 2])
    }

    @Test func sapMatchesTheReference() throws {
        let (codes, factors) = try sample()
        let sap = try SeparatedAttributePredictability.compute(codes: codes, factors: factors)
        #expect(maxAbsDifference(sap.scores.flatMap { $0 }, try fixture("sap_scores")) < 1e-12)
        #expect(Swift.abs(sap.score - (try fixture("sap"))[0]) < 1e-12)
    }

    @Test func codesEqualToFactorsScoreNearOneAndNoiseNearZero() throws {
        let (factors, same, noise) = sanity(seed: 3)
        let migSame = try MutualInformationGap.compute(codes: same, factors: factors).score
        let migNoise = try MutualInformationGap.compute(codes: noise, factors: factors).score
        #expect(migSame > 0.98, "MIG of the factors themselves: \(migSame)")
        #expect(migNoise < 0.02, "MIG of noise: \(migNoise)")
        let sapSame = try SeparatedAttributePredictability.compute(codes: same, factors: factors).score
        let sapNoise = try SeparatedAttributePredictability.compute(codes: noise, factors: factors).score
        #expect(sapSame > 0.98 && sapNoise < 0.01, "SAP \(sapSame), \(sapNoise)")

        let identity = GroundTruth<Double>(factorSizes: [3, 5, 4]) { rows in Matrix(rows: rows.count, columns: 3) { Double(rows[$0][$1]) } }
        var noiseRng = Xoshiro256StarStar(seed: 8)
        let random = GroundTruth<Double>(factorSizes: [3, 5, 4]) { rows in Matrix(rows: rows.count, columns: 3) { _, _ in noiseRng.normal() } }
        let factorVAE = try FactorVAEScore.compute(identity, trainingVotes: 300, evaluationVotes: 300, varianceSamples: 500, seed: 1)
        #expect(factorVAE.score == 1)
        let factorVAENoise = try FactorVAEScore.compute(random, trainingVotes: 300, evaluationVotes: 600, varianceSamples: 500, seed: 1)
        #expect(factorVAENoise.score < 0.5, "FactorVAE score of noise: \(factorVAENoise.score) (chance 1/3)")
        let beta = try BetaVAEScore.compute(identity, trainingExamples: 300, evaluationExamples: 300, seed: 1)
        #expect(beta.score == 1)
        let betaNoise = try BetaVAEScore.compute(random, trainingExamples: 300, evaluationExamples: 600, seed: 1)
        #expect(betaNoise.score < 0.5, "β-VAE score of noise: \(betaNoise.score) (chance 1/3)")
    }

    @Test func sampledScoresAgreeWithTheReferenceWithinSamplingError() throws {
        // 2000 evaluation votes: the standard error of an accuracy near 0.75 is about 0.01
        let factorVAE = try FactorVAEScore.compute(entangled(noiseSeed: 5), batchSize: 8, trainingVotes: 3000, evaluationVotes: 2000,
                                                   varianceSamples: 1000, seed: 2)
        #expect(factorVAE.activeDimensions == [0, 1, 2])              // the constant code is pruned
        #expect(Swift.abs(factorVAE.score - (try fixture("factor_vae"))[0]) < 0.04, "FactorVAE score \(factorVAE.score)")
        let beta = try BetaVAEScore.compute(entangled(noiseSeed: 6), batchSize: 8, trainingExamples: 3000, evaluationExamples: 2000, seed: 2)
        #expect(Swift.abs(beta.score - (try fixture("beta_vae"))[0]) < 0.04, "β-VAE score \(beta.score)")
    }

    @Test func badInputIsRejected() throws {
        let (codes, factors) = try sample()
        #expect(throws: EstimatorError.self) { try MutualInformationGap.compute(codes: codes, factors: Array(factors.dropLast())) }
        #expect(throws: EstimatorError.self) { try MutualInformationGap.compute(codes: codes, factors: factors, bins: 0) }
        let constant = factors.map { [$0[0], 7] }
        #expect(throws: EstimatorError.invalidData(method: "MIG", reason: "factor 1 takes a single value (zero entropy)")) {
            try MutualInformationGap.compute(codes: codes, factors: constant)
        }
        var bad = codes
        bad[2, 1] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "SAP", row: 2, column: 1)) { try SeparatedAttributePredictability.compute(codes: bad, factors: factors) }
        #expect(throws: EstimatorError.self) { try FactorVAEScore.compute(entangled(noiseSeed: 1), batchSize: 1, seed: 0) }
    }
}

@Suite("DCI with a logistic-regression importance model")
struct DCIScoreTests {
    @Test func matchesScikitLearnWithTheSameImportanceModel() throws {
        let (codes, factors) = try sample()
        let (testCodes, testFactors) = try testSample()
        let dci = try DCIScore.compute(trainingCodes: codes, trainingFactors: factors, testCodes: testCodes, testFactors: testFactors,
                                       importance: .logisticRegression(C: 1))
        // scikit-learn ran to tol 1e-10; LatentEval's L-BFGS stops at its default 1e-4 gradient bound
        let importance = dci.importance.flatMap { $0 }
        #expect(maxAbsDifference(importance, try fixture("dci_importance")) < 2e-3 * importance.max()!)
        let expected = try fixture("dci")
        #expect(Swift.abs(dci.disentanglement - expected[0]) < 2e-3, "D \(dci.disentanglement) vs \(expected[0])")
        #expect(Swift.abs(dci.completeness - expected[1]) < 2e-3, "C \(dci.completeness) vs \(expected[1])")
        #expect(Swift.abs(dci.informativeness - expected[2]) < 1e-9, "I \(dci.informativeness) vs \(expected[2])")
    }

    @Test func formulasAndSanityCases() throws {
        // one code per factor: D = C = 1 (up to the 1e-11 smoothing); all codes alike: D = C = 0
        #expect(Swift.abs(DCIScore.disentanglement([[2, 0], [0, 3]]) - 1) < 1e-8)
        #expect(Swift.abs(DCIScore.completeness([[2, 0], [0, 3]]) - 1) < 1e-8)
        #expect(Swift.abs(DCIScore.disentanglement([[1, 1], [1, 1]])) < 1e-12)
        // one code explaining both factors: disentanglement 0, completeness 1
        #expect(Swift.abs(DCIScore.disentanglement([[1, 1], [0, 0]])) < 1e-8)
        #expect(Swift.abs(DCIScore.completeness([[1, 1], [0, 0]]) - 1) < 1e-8)

        let (factors, same, noise) = sanity(seed: 4)
        let (testFactors, testSame, testNoise) = sanity(seed: 5)
        let good = try DCIScore.compute(trainingCodes: same, trainingFactors: factors, testCodes: testSame, testFactors: testFactors,
                                        importance: .logisticRegression(C: 1))
        #expect(good.disentanglement > 0.9 && good.completeness > 0.9 && good.informativeness == 1, "codes = factors: \(good)")
        let bad = try DCIScore.compute(trainingCodes: noise, trainingFactors: factors, testCodes: testNoise, testFactors: testFactors,
                                       importance: .logisticRegression(C: 1))
        #expect(bad.disentanglement < 0.2 && bad.completeness < 0.2 && bad.informativeness < 0.4, "noise: \(bad)")
    }
}

@Suite("DCI and SAP with disentanglement_lib's classifiers (gradient-boosted trees, linear SVMs)")
struct DisentanglementLibClassifierTests {
    @Test func dciWithBoostedTreesMatchesScikitLearn() throws {
        let (codes, factors) = try sample()
        let (testCodes, testFactors) = try testSample()
        let dci = try DCIScore.compute(trainingCodes: codes, trainingFactors: factors, testCodes: testCodes, testFactors: testFactors)
        // GradientBoostingClassifier() grows the same trees up to ties between equally good splits on
        // different features, which scikit-learn breaks by a random feature order at each node (and
        // which are common here: the first round's targets take two values per class), so the
        // importances agree to a few thousandths and the predictions exactly
        let importance = dci.importance.flatMap { $0 }, reference = try fixture("dci_gbt_importance")
        #expect(maxAbsDifference(importance, reference) < 0.02, "\(importance) vs \(reference)")
        let expected = try fixture("dci_gbt")
        #expect(Swift.abs(dci.disentanglement - expected[0]) < 0.01, "D \(dci.disentanglement) vs \(expected[0])")
        #expect(Swift.abs(dci.completeness - expected[1]) < 0.01, "C \(dci.completeness) vs \(expected[1])")
        #expect(Swift.abs(dci.informativeness - expected[2]) < 1e-12, "I \(dci.informativeness) vs \(expected[2])")
        #expect(Swift.abs(dci.trainingAccuracy - expected[3]) < 1e-12, "training accuracy \(dci.trainingAccuracy) vs \(expected[3])")
    }

    @Test func boostedTreesSeparateTheSanityCases() throws {
        let (factors, same, noise) = sanity(seed: 4)
        let (testFactors, testSame, testNoise) = sanity(seed: 5)
        let good = try DCIScore.compute(trainingCodes: same, trainingFactors: factors, testCodes: testSame, testFactors: testFactors)
        #expect(good.disentanglement > 0.95 && good.completeness > 0.95 && good.informativeness == 1, "codes = factors: \(good)")
        let bad = try DCIScore.compute(trainingCodes: noise, trainingFactors: factors, testCodes: testNoise, testFactors: testFactors)
        #expect(bad.disentanglement < 0.1 && bad.completeness < 0.1 && bad.informativeness < 0.4, "noise: \(bad)")
        // two classes: one tree per stage on the log-odds
        let binary = try GradientBoostedTrees(stages: 20).fit(same, labels: factors.map { $0[0] == 0 ? 0 : 1 })
        #expect(binary.accuracy(testSame, labels: testFactors.map { $0[0] == 0 ? 0 : 1 }) == 1)
        #expect(binary.featureImportances[0] > 0.99)
    }

    @Test func sapWithLinearSVMsMatchesScikitLearn() throws {
        let (codes, factors) = try sample()
        let (testCodes, testFactors) = try testSample()
        let sap = try SeparatedAttributePredictability.compute(trainingCodes: codes, trainingFactors: factors,
                                                               testCodes: testCodes, testFactors: testFactors)
        // liblinear stops at a relative gradient of 1e-4, the Newton solver here at 1e-10: a test point
        // next to a boundary may fall the other way, one of 300 (0.0033) per entry at most
        let expected = try fixture("sap_discrete_scores")
        #expect(maxAbsDifference(sap.scores.flatMap { $0 }, expected) < 0.004, "\(sap.scores) vs \(expected)")
        #expect(Swift.abs(sap.score - (try fixture("sap_discrete"))[0]) < 0.004)
    }

    @Test func linearSVMSolvesItsProblem() throws {
        // the minimiser has a zero gradient: w + 2 Σ_active cᵢ (wᵀxᵢ − yᵢ) xᵢ = 0
        var rng = Xoshiro256StarStar(seed: 8)
        let rows = (0..<200).map { _ in [rng.normal(), 1.0] }
        let sign = rows.map { $0[0] + 0.5 * rng.normal() > 0.3 ? 1.0 : -1.0 }
        let cost = sign.map { $0 > 0 ? 0.02 : 0.01 }
        let w = LinearSVC.solve(rows, sign: sign, cost: cost, dimension: 2)
        var g = w
        for (i, row) in rows.enumerated() {
            let score = w[0] * row[0] + w[1]
            if 1 - sign[i] * score > 0 { for r in 0..<2 { g[r] += 2 * cost[i] * (score - sign[i]) * row[r] } }
        }
        #expect(g.allSatisfy { Swift.abs($0) < 1e-9 }, "gradient \(g)")
        #expect(throws: EstimatorError.self) { try LinearSVC().fit(Matrix<Double>(rows: 3, columns: 1, storage: [1, 2, 3]), labels: [1, 1, 1]) }
    }
}
