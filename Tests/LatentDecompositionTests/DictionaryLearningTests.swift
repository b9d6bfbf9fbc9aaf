import LatentCore
import LatentDecomposition
import LatentTestSupport
import Foundation
import Testing

/// Batch and online dictionary learning: monotone objective, constraints, scikit-learn parity.
@Suite("Dictionary learning")
struct DictionaryLearningTests {
    /// 60 samples of 8 features from 10 random unit atoms, 2 active per sample, plus noise.
    static func sparseData(samples: Int = 60, features: Int = 8, atoms: Int = 10, seed: UInt64 = 3) -> Matrix<Double> {
        var rng = Xoshiro256StarStar(seed: seed)
        var d = Matrix<Double>.randomNormal(atoms, features, seed: seed)
        for j in 0..<atoms {
            let norm = d.row(j).reduce(0) { $0 + $1 * $1 }.squareRoot()
            d.setRow(j, d.row(j).map { $0 / norm })
        }
        var z = Matrix<Double>.zeros(samples, atoms)
        for i in 0..<samples {
            for j in rng.choice(atoms, count: 2) { z[i, j] = rng.uniform(1, 3) * (rng.bernoulli(0.5) ? 1 : -1) }
        }
        return z * d + Matrix.randomNormal(samples, features, standardDeviation: 0.05, seed: seed + 1)
    }

    @Test("Batch objective decreases monotonically", arguments: [DictionaryFitAlgorithm.lassoLARS, .lassoCD])
    func monotone(algorithm: DictionaryFitAlgorithm) throws {
        let x = Self.sparseData()
        for (positiveCode, positiveDictionary) in [(false, false), (true, true)] {
            let data = positiveCode ? x.map { abs($0) } : x
            let model = try DictionaryLearning<Double>(atoms: 10, alpha: 0.3, fitAlgorithm: algorithm, maxIterations: 25,
                                                       tolerance: 0, positiveCode: positiveCode,
                                                       positiveDictionary: positiveDictionary, seed: 1).fit(data)
            let objective = model.report.objective
            #expect(objective.count == 25)
            for (before, after) in zip(objective, objective.dropFirst()) {
                #expect(after <= before * (1 + 1e-9), "objective rose from \(before) to \(after)")
            }
            #expect(objective.last! < objective.first!)
            // Atoms lie in the unit ball; non-negativity holds where asked.
            #expect(model.components.norms(over: .columns).allSatisfy { $0 <= 1 + 1e-12 })
            let z = try model.transform(data)
            #expect(z.rows == data.rows && z.columns == 10)
            if positiveDictionary { #expect(model.components.storage.allSatisfy { $0 >= 0 }) }
            if positiveCode { #expect(z.storage.allSatisfy { $0 >= 0 }) }
        }
    }

    @Test("Batch fit equals scikit-learn's dict_learning (SVD start, LARS-lasso codes)")
    func matchesScikitLearn() throws {
        let x: Matrix<Double> = try Fixtures.matrix("sparse/batch_x")
        let reference = try Fixtures.vector("sparse/batch_objective", as: Double.self)
        let model = try DictionaryLearning<Double>(atoms: 6, alpha: 0.3, maxIterations: 20, tolerance: 0).fit(x)
        #expect(model.report.objective.count == reference.count)
        for (ours, theirs) in zip(model.report.objective, reference) { #expect(abs(ours - theirs) <= 1e-8 * theirs) }
        #expect(maxAbsDifference(model.components, try Fixtures.matrix("sparse/batch_components")) < 1e-6)
    }

    @Test("Batch fit stops at the tolerance and reports convergence; random start works")
    func convergence() throws {
        let x = Self.sparseData()
        let model = try DictionaryLearning<Double>(atoms: 10, alpha: 0.3, maxIterations: 500, tolerance: 1e-6).fit(x)
        #expect(model.report.converged && model.report.iterations < 500)
        let random = try DictionaryLearning<Double>(atoms: 12, alpha: 0.3, maxIterations: 40, tolerance: 0,
                                                    initialization: .random, seed: 5).fit(x)
        let again = try DictionaryLearning<Double>(atoms: 12, alpha: 0.3, maxIterations: 40, tolerance: 0,
                                                   initialization: .random, seed: 5).fit(x)
        #expect(random.components == again.components)
        // Reconstruction from its own lasso codes beats the zero code by far.
        let z = try random.transform(x)
        #expect(Double((x - (try random.inverseTransform(z))).frobeniusNorm()) < 0.5 * Double(x.frobeniusNorm()))
    }

    @Test("Online learning reaches scikit-learn's held-out objective (within 5%)")
    func onlineMatchesScikitLearn() throws {
        let train: Matrix<Double> = try Fixtures.matrix("sparse/online_train")
        let test: Matrix<Double> = try Fixtures.matrix("sparse/online_test")
        let reference = try Fixtures.vector("sparse/online_sklearn", as: Double.self)   // alpha, batch, epochs, steps, objective
        let learner = MiniBatchDictionaryLearning<Double>(atoms: 12, alpha: reference[0], batchSize: Int(reference[1]),
                                                          epochs: Int(reference[2]), tolerance: 0, maxNoImprovement: nil, seed: 0)
        let model = try learner.fit(train)
        #expect(model.report.iterations == Int(reference[3]))
        let objective = try model.meanObjective(test)
        #expect(objective <= 1.05 * reference[4], "held-out objective \(objective), scikit-learn \(reference[4])")
        #expect(model.components.norms(over: .columns).allSatisfy { $0 <= 1 + 1e-12 })
        // Float learns the same quality of dictionary.
        let trainF = Matrix<Float>(rows: train.rows, columns: train.columns, storage: train.storage.map(Float.init))
        let testF = Matrix<Float>(rows: test.rows, columns: test.columns, storage: test.storage.map(Float.init))
        let learnerF = MiniBatchDictionaryLearning<Float>(atoms: 12, alpha: reference[0], batchSize: Int(reference[1]),
                                                          epochs: Int(reference[2]), tolerance: 0, maxNoImprovement: nil, seed: 0)
        let objectiveF = try learnerF.fit(trainF).meanObjective(testF)
        #expect(objectiveF <= 1.05 * reference[4], "Float held-out objective \(objectiveF)")
    }

    @Test("Online steps from a given dictionary equal scikit-learn's (no shuffling)")
    func onlineStepsMatchScikitLearn() throws {
        let train: Matrix<Double> = try Fixtures.matrix("sparse/online_train")
        let start: Matrix<Double> = try Fixtures.matrix("sparse/online_init")
        let model = try MiniBatchDictionaryLearning<Double>(atoms: 12, alpha: 0.5, batchSize: 30, epochs: 2, shuffle: false,
                                                            tolerance: 0, maxNoImprovement: nil,
                                                            initialization: .given(start)).fit(train)
        #expect(model.report.iterations == 40)
        #expect(maxAbsDifference(model.components, try Fixtures.matrix("sparse/online_fixed_components")) < 1e-6)
    }

    @Test("partialFit over the batches equals fit without shuffling")
    func partialFit() throws {
        let x = Self.sparseData(samples: 90)
        let start = try DictionaryLearning<Double>(atoms: 10, alpha: 0.3, maxIterations: 1).fit(x).components
        let settings = MiniBatchDictionaryLearning<Double>(atoms: 10, alpha: 0.3, batchSize: 20, epochs: 1, shuffle: false,
                                                           tolerance: 0, maxNoImprovement: nil, initialization: .given(start))
        let fitted = try settings.fit(x)
        var learner = settings
        #expect(throws: EstimatorError.self) { try learner.currentModel() }
        for lo in stride(from: 0, to: 90, by: 20) { try learner.partialFit(x.rows(lo..<min(90, lo + 20))) }
        let streamed = try learner.currentModel()
        #expect(maxAbsDifference(streamed.components, fitted.components) < 1e-12)
        #expect(streamed.report.objective == fitted.report.objective)
        #expect(learner.state?.steps == 5)
        #expect(throws: EstimatorError.featureMismatch(method: "MiniBatchDictionaryLearning.partialFit", expected: 8, got: 7)) {
            try learner.partialFit(.zeros(4, 7))
        }
    }

    @Test("Online early stopping and seeded determinism")
    func earlyStopping() throws {
        let x = Self.sparseData(samples: 200)
        let learner = MiniBatchDictionaryLearning<Double>(atoms: 10, alpha: 0.3, batchSize: 10, epochs: 50, seed: 7)
        let a = try learner.fit(x), b = try learner.fit(x)
        #expect(a.components == b.components)
        #expect(a.report.converged && a.report.iterations < 50 * 20)
    }

    @Test("A fitted model survives a JSON round trip and codes the same")
    func codable() throws {
        let x = Self.sparseData()
        let model = try DictionaryLearning<Double>(atoms: 6, alpha: 0.3, transformAlgorithm: .omp(nonzeros: 2),
                                                   maxIterations: 5).fit(x)
        let copy = try JSONDecoder().decode(DictionaryModel<Double>.self, from: try JSONEncoder().encode(model))
        #expect(copy == model)
        #expect(try copy.transform(x) == (try model.transform(x)))
        #expect(try model.transform(x).rows == x.rows)
        var learner = MiniBatchDictionaryLearning<Double>(atoms: 6, alpha: 0.3, batchSize: 20)
        try learner.partialFit(x)
        let online = try learner.currentModel()
        #expect(try JSONDecoder().decode(DictionaryModel<Double>.self, from: try JSONEncoder().encode(online)) == online)
        let state = try JSONDecoder().decode(OnlineDictionaryState<Double>.self, from: try JSONEncoder().encode(learner.state))
        #expect(state == learner.state)
    }

    @Test("Bad input and parameters throw EstimatorError")
    func errors() throws {
        let x = Self.sparseData()
        #expect(throws: EstimatorError.self) { try DictionaryLearning<Double>(atoms: 0).fit(x) }
        #expect(throws: EstimatorError.self) { try DictionaryLearning<Double>(atoms: 4, alpha: -1).fit(x) }
        #expect(throws: EstimatorError.self) { try DictionaryLearning<Double>(atoms: 4, maxIterations: 0).fit(x) }
        #expect(throws: EstimatorError.self) {
            try DictionaryLearning<Double>(atoms: 4, initialization: .given(.zeros(3, 8))).fit(x)
        }
        #expect(throws: EstimatorError.self) { try MiniBatchDictionaryLearning<Double>(atoms: 4, batchSize: 0).fit(x) }
        #expect(throws: EstimatorError.self) { try MiniBatchDictionaryLearning<Double>(atoms: 4, alpha: .infinity).fit(x) }
        var bad = x
        bad[5, 1] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "DictionaryLearning", row: 5, column: 1)) {
            try DictionaryLearning<Double>(atoms: 4).fit(bad)
        }
        #expect(throws: EstimatorError.nonFinite(method: "MiniBatchDictionaryLearning", row: 5, column: 1)) {
            try MiniBatchDictionaryLearning<Double>(atoms: 4).fit(bad)
        }
        let model = try DictionaryLearning<Double>(atoms: 4, maxIterations: 3).fit(x)
        #expect(throws: EstimatorError.featureMismatch(method: "SparseCoder", expected: 8, got: 5)) {
            try model.transform(.zeros(2, 5))
        }
    }
}
