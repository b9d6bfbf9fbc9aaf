import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

private func fixture(_ name: String) throws -> [Double] { try Fixtures.vector("nn_training/" + name) }
private func tensor(_ name: String, _ shape: [Int]) throws -> Tensor<Double> { Tensor(shape: shape, storage: try fixture(name)) }

@Suite struct LossTests {
    let targets = [1, 3, 0, 3, 2]

    @Test func crossEntropyMatchesPyTorch() throws {
        let logits = try tensor("logits", [5, 4])
        #expect(abs(Loss.crossEntropy(logits, targets).item - (try fixture("ce"))[0]) < 1e-12)
        #expect(abs(Loss.crossEntropy(logits, targets, ignoreIndex: 2).item - (try fixture("ce_ignore"))[0]) < 1e-12)
        let smooth = Loss.crossEntropy(logits, targets, ignoreIndex: 2, labelSmoothing: 0.1).item
        #expect(abs(smooth - (try fixture("ce_smooth"))[0]) < 1e-12)
    }

    @Test func regressionAndKLLossesMatchPyTorch() throws {
        let logits = try tensor("logits", [5, 4]), target = try tensor("bce_target", [5, 4])
        #expect(abs(Loss.binaryCrossEntropyWithLogits(logits, target).item - (try fixture("bce"))[0]) < 1e-12)
        #expect(abs(Loss.meanSquaredError(logits, target).item - (try fixture("mse"))[0]) < 1e-12)
        let kl = Loss.gaussianKLToStandardNormal(mean: try tensor("kl_mu", [3, 2]), logVariance: try tensor("kl_logvar", [3, 2]))
        #expect(abs(kl.item - (try fixture("kl"))[0]) < 1e-12)
    }

    @Test func contrastiveLossesMatchPyTorch() throws {
        let a = try tensor("za", [4, 3]), b = try tensor("zb", [4, 3])
        #expect(abs(Loss.infoNCE(queries: a, keys: b, temperature: 0.5).item - (try fixture("infonce"))[0]) < 1e-10)
        #expect(abs(Loss.ntXent(a, b, temperature: 0.5).item - (try fixture("ntxent"))[0]) < 1e-10)
    }

    @Test func lossGradientsMatchFiniteDifferences() throws {
        let logits = try tensor("logits", [5, 4]), target = try tensor("bce_target", [5, 4])
        let t = targets
        #expect(GradientCheck.check([logits]) { Loss.crossEntropy($0[0], t, ignoreIndex: 2, labelSmoothing: 0.1) }.maxRelativeError < 1e-6)
        #expect(GradientCheck.check([logits]) { Loss.binaryCrossEntropyWithLogits($0[0], target) }.maxRelativeError < 1e-6)
        #expect(GradientCheck.check([logits, target]) { $0[0].binaryCrossEntropyWithLogits(target: $0[1]).squared().sum() }.maxRelativeError < 1e-6)
        let a = try tensor("za", [4, 3]), b = try tensor("zb", [4, 3])
        #expect(GradientCheck.check([a, b]) { Loss.ntXent($0[0], $0[1], temperature: 0.5) }.maxRelativeError < 1e-6)
        let mu = try tensor("kl_mu", [3, 2]), lv = try tensor("kl_logvar", [3, 2])
        #expect(GradientCheck.check([mu, lv]) { Loss.gaussianKLToStandardNormal(mean: $0[0], logVariance: $0[1]) }.maxRelativeError < 1e-6)
    }
}

@Suite struct OptimizerTests {
    /// Three steps on `Σ w·c + ½ Σ k·w_k²`, as the fixture script does in PyTorch.
    func run(_ make: ([Tensor<Double>]) -> any Optimizer<Double>) throws -> [Double] {
        let c = try Tensor(shape: [6], storage: fixture("opt_c"))
        let w = try Tensor(shape: [6], storage: fixture("opt_w0"), requiresGrad: true)
        let k = Tensor(shape: [6], storage: (1...6).map(Double.init))
        let opt = make([w])
        for _ in 0..<3 {
            opt.zeroGrad()
            let loss = (w * c).sum() + (w.squared() * k).sum() * 0.5
            loss.backward()
            opt.step()
        }
        return w.storage
    }

    @Test func optimizersFollowPyTorchTrajectories() throws {
        #expect(maxAbsDifference(try run { SGD(parameters: $0, learningRate: 0.1) }, try fixture("sgd")) < 1e-12)
        #expect(maxAbsDifference(try run { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01) },
                                 try fixture("sgd_momentum")) < 1e-12)
        #expect(maxAbsDifference(try run { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) },
                                 try fixture("sgd_nesterov")) < 1e-12)
        #expect(maxAbsDifference(try run { Adam(parameters: $0, learningRate: 0.1, weightDecay: 0.01) }, try fixture("adam")) < 1e-12)
        #expect(maxAbsDifference(try run { Adam.adamW(parameters: $0, learningRate: 0.1, weightDecay: 0.1) }, try fixture("adamw")) < 1e-12)
    }

    @Test func stateRoundTripResumesExactly() throws {
        let w1 = Tensor<Double>(shape: [3], storage: [1, -2, 3], requiresGrad: true)
        let w2 = Tensor<Double>(shape: [3], storage: [1, -2, 3], requiresGrad: true)
        let a = Adam(parameters: [w1], learningRate: 0.1), b = Adam(parameters: [w2], learningRate: 0.1)
        func step(_ w: Tensor<Double>, _ o: Adam<Double>) { o.zeroGrad(); (w.squared().sum()).backward(); o.step() }
        step(w1, a); step(w2, b)
        let saved = Dictionary(uniqueKeysWithValues: a.stateTensors().map { ($0.name, $0.values) })
        let c = Adam(parameters: [w2], learningRate: 0.1)
        try c.loadState(saved)
        step(w1, a); step(w2, c)
        #expect(w1.storage == w2.storage)
        #expect(throws: OptimizerStateError.self) { try c.loadState(["step": [1]]) }
    }

    @Test func clippingAndSchedules() {
        let w = Tensor<Double>(shape: [2], storage: [0, 0], requiresGrad: true)
        w.grad = [3, 4]
        #expect(clipGradientNorm([w], maxNorm: 1) == 5)
        #expect(abs(w.grad![0] - 0.6) < 1e-6 && abs(w.grad![1] - 0.8) < 1e-6)
        #expect(LearningRateSchedule.stepDecay(base: 1, every: 10, gamma: 0.5).rate(at: 25) == 0.25)
        let cosine = LearningRateSchedule.cosine(base: 1, minimum: 0, totalSteps: 110, warmupSteps: 10)
        #expect(cosine.rate(at: 0) == 0.1 && cosine.rate(at: 9) == 1)
        #expect(abs(cosine.rate(at: 60) - 0.5) < 1e-12 && abs(cosine.rate(at: 110)) < 1e-12)
    }
}

@Suite struct LayerTests {
    final class Block<S: BLASScalar>: Layer {
        let body: Sequential<S>
        let head: Linear<S>
        let drop = Dropout<S>(probability: 0.5)
        init(using rng: inout Xoshiro256StarStar) {
            body = Sequential { Linear<S>(4, 3, using: &rng); ReLU<S>(); Linear<S>(3, 3, bias: false, using: &rng) }
            head = Linear(3, 2, using: &rng)
        }
        func callAsFunction(_ x: Tensor<S>) -> Tensor<S> { head(drop(body(x))) }
    }

    @Test func parametersAreFoundByReflectionWithKeyPaths() {
        var rng = Xoshiro256StarStar(seed: 1)
        let block = Block<Double>(using: &rng)
        #expect(block.namedParameters.map(\.name) == ["body.layers.0.weight", "body.layers.0.bias", "body.layers.2.weight", "head.weight", "head.bias"])
        #expect(block.parameterCount == 12 + 3 + 9 + 6 + 2)
        block.eval()
        #expect(block.drop.isTraining == false)
        let x = Tensor<Double>.randomNormal([5, 4], using: &rng)
        #expect(block(x).storage == block(x).storage)   // no dropout in evaluation
        block.train()
        #expect(block.drop.isTraining)
    }

    @Test func linearMatchesMatrixProductAndGradients() {
        var rng = Xoshiro256StarStar(seed: 2)
        let layer = Linear<Double>(4, 3, using: &rng)
        let x = Tensor<Double>.randomNormal([2, 5, 4], using: &rng)
        let y = layer(x)
        #expect(y.shape == [2, 5, 3])
        let expected = x.reshaped([10, 4]).toMatrix().matmul(layer.weight.toMatrix(), transposeB: true).adding(row: layer.bias!.storage)
        #expect(maxAbsDifference(y.reshaped([10, 3]).toMatrix(), expected) < 1e-12)
        #expect(GradientCheck.check([x, layer.weight, layer.bias!]) { _ in layer(x).tanh() }.maxRelativeError < 1e-6)
    }
}

@Suite struct AttentionNormalizationTests {
    func attention(causal: Bool) throws -> MultiHeadAttention<Double> {
        var rng = Xoshiro256StarStar(seed: 0)
        let mha = MultiHeadAttention<Double>(modelSize: 8, heads: 2, causal: causal, using: &rng)
        for (name, layer) in [("q", mha.query), ("k", mha.key), ("v", mha.value), ("o", mha.output)] {
            layer.weight.storage = try fixture("mha_w" + name)
            layer.bias!.storage = try fixture("mha_b" + name)
        }
        return mha
    }

    @Test func multiHeadAttentionMatchesPyTorch() throws {
        let x = try tensor("mha_x", [2, 5, 8])
        #expect(maxAbsDifference(try attention(causal: false)(x).storage, try fixture("mha_plain")) < 1e-12)
        let padding = [[false, false, false, false, false], [false, false, false, true, true]]
        let masked = try attention(causal: true)(x, keyPadding: padding)
        #expect(maxAbsDifference(masked.storage, try fixture("mha_causal_pad")) < 1e-12)
    }

    @Test func transformerBlockGradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 3)
        let block = TransformerBlock<Double>(modelSize: 4, heads: 2, causal: true, using: &rng)
        let x = Tensor<Double>.randomNormal([2, 3, 4], using: &rng)
        // The key bias adds q·b to every score of a query alike, which the softmax ignores: its true
        // gradient is 0, so a relative error is meaningless there; check it is 0 absolutely instead.
        let keyBias = block.attention.key.bias!
        let inputs = [x] + block.parameters.filter { $0 !== keyBias }
        let result = GradientCheck.check(inputs) { _ in block(x) }
        #expect(result.maxRelativeError < 1e-6)
        let all = GradientCheck.check([keyBias]) { _ in block(x) }
        #expect(all.analytic[0].allSatisfy { abs($0) < 1e-12 } && all.numeric[0].allSatisfy { abs($0) < 1e-8 })
    }

    @Test func batchNormMatchesPyTorchInBothModes() throws {
        let bn = BatchNorm<Double>(channels: 3)
        let x = try tensor("bn_x", [4, 3, 2, 2])
        #expect(maxAbsDifference(bn(x).storage, try fixture("bn_train_out")) < 1e-12)
        #expect(maxAbsDifference(bn.runningMean.storage, try fixture("bn_running_mean")) < 1e-12)
        #expect(maxAbsDifference(bn.runningVariance.storage, try fixture("bn_running_var")) < 1e-12)
        #expect(bn.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(bn.namedTensors().map(\.name) == ["weight", "bias", "runningMean", "runningVariance"])
        bn.eval()
        #expect(maxAbsDifference(bn(x).storage, try fixture("bn_eval_out")) < 1e-12)
        let fresh = BatchNorm<Double>(channels: 3)
        #expect(GradientCheck.check([x, fresh.weight, fresh.bias]) { _ in fresh(x) }.maxRelativeError < 1e-6)
    }

    /// The fused `batchNorm` equals batch normalisation composed from elementwise ops, and its
    /// gradients pass the finite-difference check, for `(N, C)` and `(N, C, H, W)` in both modes.
    @Test func fusedBatchNormMatchesTheComposedFormulaAndFiniteDifferences() {
        for shape in [[6, 4], [3, 4, 2, 3]] {
            let x = randn(shape, seed: 31), weight = randn([4], seed: 32), bias = randn([4], seed: 33)
            let fixedMean = randn([4], seed: 34).storage, fixedVariance = randn([4], seed: 35).storage.map { $0 * $0 + 0.5 }
            var channelShape = [Int](repeating: 1, count: shape.count)
            channelShape[1] = 4
            let axes = shape.count == 2 ? [0] : [0, 2, 3]
            for statistics in [Tensor<Double>.BatchStatistics.batch, .fixed(mean: fixedMean, variance: fixedVariance)] {
                let (y, mean, variance) = x.batchNorm(weight: weight, bias: bias, statistics: statistics, epsilon: 1e-5)
                let mu: Tensor<Double>, v: Tensor<Double>
                if case .batch = statistics {
                    mu = x.mean(alongAxes: axes, keepDims: true)
                    v = (x - mu).squared().mean(alongAxes: axes, keepDims: true)
                } else {
                    mu = Tensor(shape: channelShape, storage: fixedMean)
                    v = Tensor(shape: channelShape, storage: fixedVariance)
                }
                let composed = (x - mu) / (v + 1e-5).sqrt() * weight.reshaped(channelShape) + bias.reshaped(channelShape)
                #expect(maxAbsDifference(y.storage, composed.storage) < 1e-12)
                #expect(maxAbsDifference(mean, mu.storage) < 1e-14 && maxAbsDifference(variance, v.storage) < 1e-14)
                let check = GradientCheck.check([x, weight, bias]) { _ in
                    x.batchNorm(weight: weight, bias: bias, statistics: statistics, epsilon: 1e-5).output
                }
                #expect(check.maxRelativeError < 1e-6, "\(shape) \(statistics): \(check.relativeErrors)")
            }
        }
    }
}
