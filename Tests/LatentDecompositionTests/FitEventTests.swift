import Testing
import LatentCore
import LatentDecomposition

/// The `onEvent` callbacks of the step-wise learners: one `.step` per update with the planned
/// total, the epochs' ends, and the same fitted numbers as `fit(x)` without a listener.
///
/// "The same" is to 1e-9 relative, not bit for bit: tests run in parallel, and OpenBLAS runs
/// single-threaded while another test's parallel loop runs (LatentCore `Parallel`), which changes
/// the rounding of a GEMM between two otherwise identical fits.
@Suite("Fit events")
struct FitEventTests {
    /// Whether `a` and `b` agree to `1e-9` of the largest magnitude in `b`.
    static func close(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Bool {
        guard a.shape == b.shape else { return false }
        let scale = b.storage.map(abs).max() ?? 0
        return zip(a.storage, b.storage).allSatisfy { abs($0 - $1) <= 1e-9 * Swift.max(scale, 1e-300) }
    }

    /// Whether two traces agree entry by entry to 1e-9 relative.
    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * Swift.max(abs($1), 1e-300) }
    }

    /// Every `.step` event in order, and every `.epochFinished` event in order.
    final class Recorder {
        var steps: [(step: Int, steps: Int, epoch: Int, cost: Double?)] = []
        var epochs: [(epoch: Int, epochs: Int, score: Double?)] = []
        func record(_ event: FitEvent) {
            switch event {
            case let .step(step, steps, epoch, cost): self.steps.append((step, steps, epoch, cost))
            case let .epochFinished(epoch, epochs, score): self.epochs.append((epoch, epochs, score))
            }
        }
    }

    @Test("BernoulliRBM: ⌈n/b⌉ steps per epoch, each epoch's pseudo-likelihood, the same weights")
    func rbm() throws {
        let x = Matrix<Double>.randomUniform(53, 12, seed: 4).map { $0 > 0.5 ? 1 : 0 }
        let rbm = BernoulliRBM<Double>(hiddenUnits: 6, learningRate: 0.1, batchSize: 10, epochs: 3, shuffle: true,
                                       monitorSamples: 20, seed: 9)
        let recorder = Recorder()
        let heard = try rbm.fit(x, onEvent: recorder.record)
        let silent = try rbm.fit(x)
        #expect(Self.close(heard.weights, silent.weights) && Self.close(heard.hiddenBias, silent.hiddenBias)
                && Self.close(heard.visibleBias, silent.visibleBias))
        #expect(recorder.steps.map(\.step) == Array(1...18))
        #expect(recorder.steps.allSatisfy { $0.steps == 18 && $0.cost == nil })
        #expect(recorder.steps.map(\.epoch) == [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3])
        #expect(recorder.epochs.map(\.epoch) == [1, 2, 3] && recorder.epochs.allSatisfy { $0.epochs == 3 })
        #expect(recorder.epochs.map(\.score) == heard.pseudoLikelihood.map(Optional.some))
        #expect(heard.pseudoLikelihood.count == 3 && heard.pseudoLikelihood.allSatisfy(\.isFinite))
    }

    @Test("MiniBatchDictionaryLearning: one step per update with its batch cost, early stopping included")
    func dictionary() throws {
        let x = Matrix<Double>.randomNormal(120, 6, seed: 2)
        let learner = MiniBatchDictionaryLearning<Double>(atoms: 5, alpha: 0.3, batchSize: 10, epochs: 30, seed: 7)
        let recorder = Recorder()
        let heard = try learner.fit(x, onEvent: recorder.record)
        let silent = try learner.fit(x)
        #expect(Self.close(heard.components, silent.components) && heard.report.iterations == silent.report.iterations)
        #expect(recorder.steps.count == heard.report.iterations)
        #expect(recorder.steps.map(\.step) == Array(1...heard.report.iterations))
        #expect(recorder.steps.allSatisfy { $0.steps == 30 * 12 })
        #expect(recorder.steps.map { $0.cost! } == heard.report.objective)
        #expect(recorder.epochs.map(\.epoch) == (0..<heard.report.iterations / 12).map { $0 + 1 })
    }

    @Test("IncrementalPCA: one step per batch of gen_batches, then one epoch; the same components")
    func incrementalPCA() throws {
        let x = Matrix<Double>.randomNormal(107, 5, seed: 1)
        let ipca = IncrementalPCA<Double>(components: 3)
        let recorder = Recorder()
        let heard = try ipca.fit(x, batchSize: 20, onEvent: recorder.record)
        let silent = try ipca.fit(x, batchSize: 20)
        #expect(Self.close(heard.components, silent.components))
        let batches = IncrementalPCA<Double>.batches(count: 107, size: 20, minimum: 3).count
        #expect(batches == 6)
        #expect(recorder.steps.map(\.step) == Array(1...batches) && recorder.steps.allSatisfy { $0.steps == batches })
        #expect(recorder.epochs.count == 1 && recorder.epochs[0].epoch == 1)
    }
}

extension FitEventTests {
    @Test("DictionaryLearning (batch): one step per iteration with the objective, the same dictionary")
    func batchDictionary() throws {
        let x = Matrix<Double>.randomNormal(40, 6, seed: 5)
        let learner = DictionaryLearning<Double>(atoms: 4, alpha: 0.2, maxIterations: 12, seed: 3)
        let recorder = Recorder()
        let heard = try learner.fit(x, onEvent: recorder.record)
        let silent = try learner.fit(x)
        #expect(Self.close(heard.components, silent.components) && heard.report.iterations == silent.report.iterations)
        #expect(recorder.steps.map(\.step) == Array(1...heard.report.iterations))
        #expect(recorder.steps.map(\.epoch) == recorder.steps.map(\.step) && recorder.steps.allSatisfy { $0.steps == 12 })
        #expect(recorder.steps.map { $0.cost! } == heard.report.objective)
    }

    @Test("NMF: one step per iteration for both solvers; the cost is the objective trace where it grows",
          arguments: [NMFSolver.coordinateDescent, .multiplicativeUpdate])
    func nmf(solver: NMFSolver) throws {
        let x = Matrix<Double>.randomUniform(30, 7, seed: 8)
        let nmf = NMF<Double>(components: 3, solver: solver, tolerance: 1e-4, maxIterations: 200, seed: 1)
        let recorder = Recorder()
        let heard = try nmf.fit(x, onEvent: recorder.record)
        let silent = try nmf.fit(x)
        #expect(Self.close(heard.components, silent.components) && heard.report.iterations == silent.report.iterations)
        #expect(recorder.steps.map(\.step) == Array(1...heard.report.iterations))
        #expect(recorder.steps.allSatisfy { $0.steps == 200 })
        #expect(recorder.steps.compactMap(\.cost) == heard.report.objective)
    }
}
