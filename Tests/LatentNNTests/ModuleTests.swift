import Foundation
import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// A module with no single call signature: returns (mean, log-variance) like a VAE encoder.
private class GaussianHead<Scalar: BLASScalar>: Module {
    let mean: Linear<Scalar>, logVariance: Linear<Scalar>
    init(_ inputs: Int, _ outputs: Int, using rng: inout Xoshiro256StarStar) {
        mean = Linear(inputs, outputs, using: &rng)
        logVariance = Linear(inputs, outputs, using: &rng)
    }
    func callAsFunction(_ x: Tensor<Scalar>) -> (mean: Tensor<Scalar>, logVariance: Tensor<Scalar>) { (mean(x), logVariance(x)) }
}

/// A subclass adding a dropout and a buffer: the walk must see the superclass's fields too.
private final class NoisyGaussianHead<Scalar: BLASScalar>: GaussianHead<Scalar> {
    let noise = Dropout<Scalar>(probability: 0.5)
    let scale = Tensor<Scalar>.ones([2])
}

@Suite("Module: reflection, modes, random streams, parameter groups, sparse embeddings")
struct ModuleTests {
    @Test func oneWalkSeesSuperclassesSubmodulesAndBuffers() {
        var rng = Xoshiro256StarStar(seed: 1)
        let head = NoisyGaussianHead<Double>(3, 2, using: &rng)
        #expect(head.namedTensors().map(\.name) == ["scale", "mean.weight", "mean.bias", "logVariance.weight", "logVariance.bias"])
        #expect(head.namedParameters.count == 4 && head.parameterCount == 2 * (6 + 2))
        #expect(head.namedModules().map(\.name) == ["", "noise", "mean", "logVariance"])
        head.eval()
        #expect(!head.noise.isTraining)
        head.train()
        #expect(head.noise.isTraining)
        #expect(head.stochasticModules().map(\.name) == ["noise"])
        let (m, v) = head(Tensor.ones([4, 3]))
        #expect(m.shape == [4, 2] && v.shape == [4, 2])
    }

    @Test func everyStochasticModuleGetsItsOwnStream() {
        var rng = Xoshiro256StarStar(seed: 2)
        let blocks = Sequential<Float> {
            TransformerBlock(modelSize: 8, heads: 2, dropout: 0.5, using: &rng)    // seeds derived from rng
            TransformerBlock(modelSize: 8, heads: 2, dropout: 0.5, using: &rng)
        }
        let paths = blocks.stochasticModules().map(\.name)
        #expect(paths == ["layers.0.dropout", "layers.1.dropout"])
        let before = blocks.stochasticModules().map(\.module.generator)
        #expect(before[0] != before[1])                   // no shared masks even before seedRandomStreams
        blocks.seedRandomStreams(7)
        let after = blocks.stochasticModules().map(\.module.generator)
        #expect(after[0] != after[1])
        let x = Tensor<Float>.ones([1, 2, 8])
        let d0 = (blocks.layers[0] as! TransformerBlock<Float>).dropout, d1 = (blocks.layers[1] as! TransformerBlock<Float>).dropout
        #expect(d0(x).storage != d1(x).storage)           // different masks
        blocks.seedRandomStreams(7)
        #expect(blocks.stochasticModules().map(\.module.generator) == after)
    }

    @Test func derivedDropoutSeedsAreReproducibleAndLeaveTheWeightsAlone() {
        var a = Xoshiro256StarStar(seed: 5), b = Xoshiro256StarStar(seed: 5), c = Xoshiro256StarStar(seed: 5)
        let derived = TransformerBlock<Double>(modelSize: 8, heads: 2, dropout: 0.5, attentionDropout: 0.1, using: &a)
        let again = TransformerBlock<Double>(modelSize: 8, heads: 2, dropout: 0.5, attentionDropout: 0.1, using: &b)
        let explicit = TransformerBlock<Double>(modelSize: 8, heads: 2, dropout: 0.5, attentionDropout: 0.1, seed: 0, using: &c)
        #expect(derived.dropout.generator == again.dropout.generator)
        #expect(derived.attention.attentionDropout!.generator == again.attention.attentionDropout!.generator)
        #expect(derived.dropout.generator != derived.attention.attentionDropout!.generator)
        #expect(derived.dropout.generator != explicit.dropout.generator)
        #expect(derived.expand.weight.storage == explicit.expand.weight.storage)   // same weights either way
        #expect(a == c)                                                             // rng advanced alike
    }

    @Test func freezingMakesBuffersAndKeepsEvaluationModeUnderATrainableHead() {
        var rng = Xoshiro256StarStar(seed: 3)
        let encoder = Sequential<Double> { Linear(4, 4, using: &rng); Dropout(probability: 0.5) }
        let head = Linear<Double>(4, 2, using: &rng)
        let model = Sequential<Double>([encoder, head])
        encoder.freeze()
        #expect(model.parameters.count == 2 && model.namedTensors().count == 4)
        final class Probe: TrainingTask {
            let model: any Module<Double>, encoder: Sequential<Double>
            init(_ model: Sequential<Double>, _ encoder: Sequential<Double>) { self.model = model; self.encoder = encoder }
            func loss(_ batch: Tensor<Double>) -> Tensor<Double> { (model as! Sequential<Double>)(batch).squared().mean() }
            func metrics(_ batch: Tensor<Double>) -> Metrics { Metrics(count: batch.shape[0]) }
            func prepareForTraining() { model.train(); encoder.eval() }
        }
        let task = Probe(model, encoder)
        task.prepareForTraining()
        #expect(!(encoder.layers[1] as! Dropout<Double>).isTraining)
        let frozen = encoder.namedTensors().map(\.tensor.storage)
        let optimizer = SGD(parameters: model.parameters, learningRate: 0.1)
        let x = Tensor<Double>.ones([3, 4])
        task.loss(x).backward()
        optimizer.step()
        #expect(encoder.namedTensors().map(\.tensor.storage) == frozen)
        #expect(head.weight.grad != nil)
    }

    @Test func parameterGroupsDecayWeightsButNotBiasesOrGains() {
        var rng = Xoshiro256StarStar(seed: 4)
        let model = Sequential<Double> { Linear(3, 3, using: &rng); LayerNorm(3) }
        let groups = model.parameterGroups(weightDecay: 0.5)
        #expect(groups[0].parameters.count == 1 && groups[1].parameters.count == 3)
        let before = model.parameters.map(\.storage)
        let optimizer = Adam.adamW(groups: groups, learningRate: 0.1)
        for p in model.parameters { p.grad = [Double](repeating: 0, count: p.count) }    // zero gradient: only decay moves
        optimizer.step()
        #expect(model.parameters[0].storage == before[0].map { $0 * (1 - 0.1 * 0.5) })
        for i in 1..<4 { #expect(model.parameters[i].storage == before[i]) }
        // a learning-rate scale per group
        let w = Tensor<Double>([1, 1], requiresGrad: true), b = Tensor<Double>([1, 1], requiresGrad: true)
        let sgd = SGD(groups: [ParameterGroup([w]), ParameterGroup([b], learningRateScale: 0.5)], learningRate: 0.2)
        w.grad = [1, 2]; b.grad = [1, 2]
        sgd.step()
        #expect(w.storage == [0.8, 0.6] && b.storage == [0.9, 0.8])
    }

    @Test func sparseEmbeddingTouchesOnlyUsedRowsAndMatchesDenseUpdates() {
        for useAdam in [false, true] {
            var rng = Xoshiro256StarStar(seed: 5)
            let dense = Embedding<Double>(count: 50, dimension: 4, using: &rng)
            let sparse = Embedding<Double>(weight: Tensor(shape: [50, 4], storage: dense.weight.storage, requiresGrad: true), sparse: true)
            let ids = IndexTensor(shape: [2, 3], storage: [7, 3, 7, 41, 0, 3])
            let target = randn([2, 3, 4], seed: 6)
            let denseOptimizer: any Optimizer<Double> = useAdam ? Adam(parameters: dense.parameters, learningRate: 0.1)
                : SGD(parameters: dense.parameters, learningRate: 0.1)
            let sparseOptimizer: any Optimizer<Double> = useAdam ? Adam(parameters: sparse.parameters, learningRate: 0.1)
                : SGD(parameters: sparse.parameters, learningRate: 0.1)
            for (layer, optimizer) in [(dense, denseOptimizer), (sparse, sparseOptimizer)] {
                layer.zeroGrad()
                (layer(ids) - target).squared().sum().backward()
                optimizer.step()
            }
            #expect(sparse.weight.grad == nil)
            let rows = sparse.weight.sparseGradient!
            #expect(rows.rows == [7, 3, 41, 0])                       // first-use order, repeats merged
            #expect(maxAbsDifference(rows.dense(rowCount: 50), dense.weight.grad!) < 1e-15)
            // one step: SparseAdam and Adam agree (untouched rows have zero moments) up to where ε
            // enters (√v + ε vs √v̂ + ε: about lr·ε/(√(1−β₂)·|g|) apart); SGD agrees exactly
            #expect(maxAbsDifference(sparse.weight.storage, dense.weight.storage) < (useAdam ? 1e-6 : 1e-15))
            sparse.zeroGrad()
            #expect(sparse.weight.sparseGradient!.isEmpty)
        }
    }

    @Test func sparseGradientsAreClippedWithTheDenseOnes() {
        let table = Tensor<Double>(shape: [10, 2], storage: Array(repeating: 0, count: 20), requiresGrad: true)
        let bias = Tensor<Double>([0, 0], requiresGrad: true)
        (table.sparseGatherRows([4]) * Tensor([3, 0]) + bias * Tensor([0, 4])).sum().backward()
        let norm = clipGradientNorm([table, bias], maxNorm: 1)
        #expect(Swift.abs(norm - 5) < 1e-12)
        #expect(Swift.abs(table.sparseGradient!.values[0] - 0.6) < 1e-6 && Swift.abs(bias.grad![1] - 0.8) < 1e-6)
    }
}

@Suite("DataPipeline, TokenBatch, IndexTensor")
struct DataPipelineTests {
    /// Sample i: a random "crop" of the sequence 0..<i+3 from the sample's own generator.
    private func pipeline(threads: Int, prefetch: Int) -> DataPipeline<[[Int]], (TokenBatch, TokenBatch)> {
        DataPipeline(count: 23, batchSize: 5, seed: 9, threads: threads, prefetch: prefetch,
                     sample: DataPipeline<[[Int]], (TokenBatch, TokenBatch)>.views(2) { i, rng in
                         let full = Array(0..<(i + 3)), start = rng.integer(below: 2)
                         return Array(full[start...])
                     },
                     collate: { views in (TokenBatch(views.map { $0[0] }, padding: -1), TokenBatch(views.map { $0[1] }, padding: -1)) })
    }

    private func collect(_ p: DataPipeline<[[Int]], (TokenBatch, TokenBatch)>, epoch: Int) throws -> [(TokenBatch, TokenBatch)] {
        var out: [(TokenBatch, TokenBatch)] = []
        try p.forEachBatch(epoch: epoch) { out.append($0) }
        return out
    }

    @Test func sameSeedSameBatchesOnAnyNumberOfThreadsWithOrWithoutPrefetching() throws {
        let reference = try collect(pipeline(threads: 1, prefetch: 0), epoch: 3)
        #expect(reference.count == 5 && pipeline(threads: 1, prefetch: 0).batchCount == 5)
        for (threads, prefetch) in [(2, 0), (1, 2), (2, 3)] {
            let other = try collect(pipeline(threads: threads, prefetch: prefetch), epoch: 3)
            #expect(other.map(\.0) == reference.map(\.0) && other.map(\.1) == reference.map(\.1), "threads \(threads) prefetch \(prefetch)")
        }
        #expect(try collect(pipeline(threads: 1, prefetch: 0), epoch: 4).map(\.0) != reference.map(\.0))
        // the two views of a sample come from different streams
        #expect(reference.contains { $0.0 != $0.1 })
        // the order is DataLoader's for the same seed
        let order = pipeline(threads: 1, prefetch: 0).order(epoch: 3)
        #expect(order == DataLoader(features: Matrix<Float>(rows: 23, columns: 1, storage: Array(repeating: 0, count: 23)), batchSize: 5, seed: 9).order(epoch: 3))
    }

    @Test func anErrorInTheStepStopsThePrefetchingThread() {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try pipeline(threads: 2, prefetch: 2).forEachBatch(epoch: 0) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }

    @Test func tokenBatchPadsTruncatesAndMasks() {
        let batch = TokenBatch([[5, 6, 7], [8], [1, 2, 3, 4, 9]], padding: 0, maximumLength: 4)
        #expect(batch.tokens == IndexTensor(rows: [[5, 6, 7, 0], [8, 0, 0, 0], [1, 2, 3, 4]]))
        #expect(batch.lengths == [3, 1, 4])
        #expect(batch.keyPadding == [[false, false, false, true], [false, true, true, true], [false, false, false, false]])
        #expect(batch.paddingMask(as: Float.self).storage == [0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0])
        #expect(batch.targets(ignoreIndex: -100).storage == [5, 6, 7, -100, 8, -100, -100, -100, 1, 2, 3, 4])
        // padded targets are ignored by cross-entropy
        let logits = randn([3, 4, 10], seed: 12)
        let masked = Loss.crossEntropy(logits, batch.targets(), ignoreIndex: -100)
        let real = [(0, 0), (0, 1), (0, 2), (1, 0), (2, 0), (2, 1), (2, 2), (2, 3)]
        let rows = Tensor.stack(real.map { b, t in logits.slice(alongAxis: 0, b..<(b + 1)).slice(alongAxis: 1, t..<(t + 1)).reshaped([10]) })
        let reference = Loss.crossEntropy(rows, real.map { batch.tokens[$0.0, $0.1] })
        #expect(Swift.abs(masked.item - reference.item) < 1e-12)
    }
}

@Suite("Sparse embedding updates against PyTorch")
struct SparseEmbeddingFixtureTests {
    @Test func sparseAdamAndSGDMatchTorchOverSeveralSteps() throws {
        let ids = [[1, 4, 1], [4, 7], [2, 1, 9, 9]]
        let targets = try Fixtures.vector("nn_shapes/sparse_targets")
        for (name, adam) in [("sparse_adam", true), ("sparse_sgd", false)] {
            let table = Embedding<Double>(weight: Tensor(shape: [10, 3], storage: try Fixtures.vector("nn_shapes/sparse_table"),
                                                         requiresGrad: true), sparse: true)
            let optimizer: any Optimizer<Double> = adam ? Adam(parameters: table.parameters, learningRate: 0.1)
                : SGD(parameters: table.parameters, learningRate: 0.1)
            var offset = 0
            for step in ids {
                let target = Tensor<Double>(shape: [step.count, 3], storage: Array(targets[(offset * 3)..<((offset + step.count) * 3)]))
                offset += step.count
                table.zeroGrad()
                (table(IndexTensor(step)) - target).squared().sum().backward()
                optimizer.step()
            }
            #expect(maxAbsDifference(table.weight.storage, try Fixtures.vector("nn_shapes/\(name)")) < 1e-14, "\(name)")
        }
    }
}
