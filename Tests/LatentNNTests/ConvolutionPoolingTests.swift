import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// A fixture from `scripts/fixtures/nn.py` as a tensor of the given shape.
func fixture<S: BLASScalar>(_ name: String, _ shape: [Int], as: S.Type = Double.self) throws -> Tensor<S> {
    Tensor(shape: shape, storage: try Fixtures.vector("nn/" + name, as: S.self))
}

@Suite("Convolution, pooling, layer norm: PyTorch fixtures and gradients")
struct ConvolutionPoolingTests {
    @Test func conv2dMatchesPyTorch() throws {
        let x = try fixture("conv_x", [2, 3, 7, 6]), w = try fixture("conv_w", [4, 3, 3, 2]), b = try fixture("conv_b", [4])
        let y = x.conv2d(weight: w, bias: b, stride: (2, 1), padding: (1, 1), dilation: (1, 2))
        #expect(y.shape == [2, 4, 4, 6])
        #expect(maxAbsDifference(y.storage, try Fixtures.vector("nn/conv2d_out")) < 1e-12)
        // Float follows the same code path.
        let xf = try fixture("conv_x", [2, 3, 7, 6], as: Float.self), wf = try fixture("conv_w", [4, 3, 3, 2], as: Float.self)
        let bf = try fixture("conv_b", [4], as: Float.self)
        let yf = xf.conv2d(weight: wf, bias: bf, stride: (2, 1), padding: (1, 1), dilation: (1, 2))
        #expect(maxAbsDifference(yf.storage, try Fixtures.vector("nn/conv2d_out", as: Float.self)) < 1e-4)
    }

    @Test func convolutionOverSeveralGroupsOfImages() {
        // 11 images: two backward groups (8 + 3) of per-image GEMMs, images in parallel.
        let x = randn([11, 2, 6, 5], seed: 34), w = randn([3, 2, 3, 3], seed: 35), b = randn([3], seed: 36)
        expectGradients([x, w, b]) { $0[0].conv2d(weight: $0[1], bias: $0[2], padding: (1, 1)) }
        // The forward against the definition, on a batch large enough to split over threads.
        let big = randn([40, 3, 12, 12], seed: 37), wb = randn([5, 3, 3, 3], seed: 38)
        let y = big.conv2d(weight: wb, bias: b.slice(alongAxis: 0, 0..<1).broadcast(to: [5]), stride: (2, 1), padding: (1, 0))
        #expect(y.shape == [40, 5, 6, 10])
        var worst = 0.0
        for n in stride(from: 0, to: 40, by: 3) { for o in 0..<5 { for i in 0..<6 { for j in 0..<10 {
            var acc = b[0]
            for c in 0..<3 { for p in 0..<3 { for q in 0..<3 {
                let r = 2 * i - 1 + p, t = j + q
                if r >= 0 && r < 12 { acc += big[n, c, r, t] * wb[o, c, p, q] }
            } } }
            worst = Swift.max(worst, Swift.abs(acc - y[n, o, i, j]))
        } } } }
        #expect(worst < 1e-12)
    }

    @Test func convTranspose2dMatchesPyTorch() throws {
        let x = try fixture("convt_x", [2, 3, 4, 5]), w = try fixture("convt_w", [3, 2, 3, 3]), b = try fixture("convt_b", [2])
        let y = x.convTranspose2d(weight: w, bias: b, stride: (2, 2), padding: (1, 1), outputPadding: (1, 1))
        #expect(y.shape == [2, 2, 8, 10])
        #expect(maxAbsDifference(y.storage, try Fixtures.vector("nn/conv_transpose2d_out")) < 1e-12)
    }

    @Test func poolingMatchesPyTorch() throws {
        let x = try fixture("pool_x", [2, 3, 7, 8])
        let m = x.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        #expect(m.shape == [2, 3, 4, 4])
        #expect(maxAbsDifference(m.storage, try Fixtures.vector("nn/max_pool2d_out")) == 0)
        let a = x.avgPool2d(kernel: (2, 3), stride: (2, 2))
        #expect(a.shape == [2, 3, 3, 3])
        #expect(maxAbsDifference(a.storage, try Fixtures.vector("nn/avg_pool2d_out")) < 1e-12)
        let ap = x.avgPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        #expect(maxAbsDifference(ap.storage, try Fixtures.vector("nn/avg_pool2d_pad_out")) < 1e-12)
    }

    @Test func layerNormAndActivationsMatchPyTorch() throws {
        let x = try fixture("ln_x", [3, 4, 5]), w = try fixture("ln_w", [4, 5]), b = try fixture("ln_b", [4, 5])
        let y = x.layerNorm(normalizedShape: [4, 5], weight: w, bias: b)
        #expect(maxAbsDifference(y.storage, try Fixtures.vector("nn/layer_norm_out")) < 1e-12)
        let a = try fixture("act_x", [4, 6])
        let cases: [(String, Tensor<Double>)] = [
            ("gelu_out", a.gelu()), ("gelu_tanh_out", a.gelu(approximation: .tanh)), ("softplus_out", a.softplus()),
            ("sigmoid_out", a.sigmoid()), ("silu_out", a.silu()), ("log_softmax0_out", a.logSoftmax(alongAxis: 0)),
            ("log_softmax1_out", a.logSoftmax(alongAxis: 1)), ("softmax1_out", a.softmax(alongAxis: 1)),
        ]
        for (name, t) in cases {
            #expect(maxAbsDifference(t.storage, try Fixtures.vector("nn/" + name)) < 1e-12, "\(name)")
        }
    }

    @Test func convolutionGradients() {
        let x = randn([2, 2, 5, 4], seed: 30), w = randn([3, 2, 3, 2], seed: 31), b = randn([3], seed: 32)
        expectGradients([x, w, b]) { $0[0].conv2d(weight: $0[1], bias: $0[2]) }
        expectGradients([x, w, b]) { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: (2, 1), padding: (1, 2), dilation: (2, 1)) }
        let wt = randn([2, 3, 3, 2], seed: 33)
        expectGradients([x, wt, b]) { $0[0].convTranspose2d(weight: $0[1], bias: $0[2]) }
        expectGradients([x, wt, b]) {
            $0[0].convTranspose2d(weight: $0[1], bias: $0[2], stride: (2, 3), padding: (1, 0), outputPadding: (1, 2), dilation: (1, 2))
        }
        // A small CNN chain: conv → tanh → transposed conv → conv, weights reused.
        let w2 = randn([2, 3, 2, 2], seed: 41)
        expectGradients([x, w, w2]) {
            $0[0].conv2d(weight: $0[1], padding: (1, 1)).tanh().convTranspose2d(weight: $0[2].transposed(0, 1), stride: (2, 2))
                .conv2d(weight: $0[1].slice(alongAxis: 1, 0..<2), stride: (2, 2))
        }
    }

    @Test func poolingGradients() {
        // Distinct values so that the max is unique and finite differences do not cross a tie.
        var rng = Xoshiro256StarStar(seed: 34)
        let perm = rng.permutation(2 * 2 * 5 * 6).map { Double($0) * 0.1 }
        let x = Tensor<Double>(shape: [2, 2, 5, 6], storage: perm)
        expectGradients([x]) { $0[0].maxPool2d(kernel: (2, 2)) }
        expectGradients([x]) { $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        expectGradients([x]) { $0[0].avgPool2d(kernel: (2, 3), stride: (1, 2)) }
        expectGradients([x]) { $0[0].avgPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
    }

    @Test func layerNormGradients() {
        let x = randn([3, 4, 5], seed: 35), w = randn([5], seed: 36), b = randn([5], seed: 37)
        expectGradients([x, w, b]) { $0[0].layerNorm(normalizedShape: [5], weight: $0[1], bias: $0[2]) }
        expectGradients([x]) { $0[0].layerNorm(normalizedShape: [4, 5]) }
        let w2 = randn([4, 5], seed: 38)
        expectGradients([x, w2]) { $0[0].layerNorm(normalizedShape: [4, 5], weight: $0[1]) }
    }

    @Test func dropoutIsSeededAndScaled() {
        let x = randn([50, 40], seed: 39)
        var r1 = Xoshiro256StarStar(seed: 7), r2 = Xoshiro256StarStar(seed: 7)
        let a = x.dropout(probability: 0.3, using: &r1), b = x.dropout(probability: 0.3, using: &r2)
        #expect(a.storage == b.storage)
        let kept = zip(a.storage, x.storage).filter { $0.0 != 0 }
        #expect(kept.allSatisfy { Swift.abs($0.0 - $0.1 / 0.7) < 1e-12 })
        let fraction = Double(kept.count) / Double(x.count)
        #expect(Swift.abs(fraction - 0.7) < 0.05)
        expectGradients([x.slice(alongAxis: 0, 0..<3).detach()]) { t in
            var r = Xoshiro256StarStar(seed: 8)
            return t[0].dropout(probability: 0.5, using: &r)
        }
        var r3 = Xoshiro256StarStar(seed: 1)
        #expect(x.dropout(probability: 0, using: &r3) === x)
    }

    @Test func maskedFill() {
        let scores = randn([2, 3, 3], seed: 40)
        let causal = Tensor<Double>(shape: [3, 3], storage: [0, 1, 1, 0, 0, 1, 0, 0, 0])
        let y = scores.maskedFill(where: causal, with: -.infinity).softmax(alongAxis: -1)
        #expect(y[1, 0, 1] == 0 && y[1, 0, 0] == 1 && y[0, 1, 2] == 0)
        expectGradients([scores]) { $0[0].maskedFill(where: causal, with: -1e9).softmax(alongAxis: -1) }
    }
}
