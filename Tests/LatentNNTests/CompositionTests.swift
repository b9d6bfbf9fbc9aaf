import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

@Suite("Composed models, the gradient checker itself, Float vs Double")
struct CompositionTests {
    @Test func gradientCheckerCatchesAWrongBackward() {
        // y = x², with a backward that claims 3x instead of 2x.
        let x = randn([4], seed: 50)
        let result = GradientCheck.check([x]) { t in
            let a = t[0]
            return Tensor(shape: a.shape, storage: a.storage.map { $0 * $0 }, op: "badSquare", parents: [a]) { g in
                a.accumulateGrad(zip(g, a.storage).map { 3 * $0 * $1 })
            }
        }
        #expect(result.maxRelativeError > 0.1)
        #expect(GradientCheck.check([x]) { $0[0] * $0[0] }.maxRelativeError < 1e-8)
    }

    @Test func attentionLikeChain() {
        // (B, H, T, D) batched matmuls with a causal mask: softmax(q kᵀ / √D + mask) v.
        let q = randn([2, 2, 3, 4], seed: 51), k = randn([2, 2, 3, 4], seed: 52), v = randn([2, 2, 3, 4], seed: 53)
        let causal = Tensor<Double>(shape: [3, 3], storage: [0, 1, 1, 0, 0, 1, 0, 0, 0])
        expectGradients([q, k, v]) { t in
            let scores = t[0].matmul(t[1], transposeB: true) * (1 / Double(4).squareRoot())   // (B, H, T, T)
            let attention = scores.maskedFill(where: causal, with: -1e9).softmax(alongAxis: -1)
            return attention.matmul(t[2])                                                        // (B, H, T, D)
                .permuted([0, 2, 1, 3]).reshaped([2, 3, 8])                                      // (B, T, H·D)
        }
    }

    @Test func mlpWithCrossEntropy() {
        let x = randn([5, 4], seed: 54), w1 = randn([4, 6], seed: 55), b1 = randn([6], seed: 56)
        let w2 = randn([6, 3], seed: 57), b2 = randn([3], seed: 58)
        let labels = [0, 2, 1, 1, 0]
        expectGradients([x, w1, b1, w2, b2]) { t in
            let h = (t[0].matmul(t[1]) + t[2]).gelu().layerNorm(normalizedShape: [6])
            let logits = h.matmul(t[3]) + t[4]
            return -logits.logSoftmax(alongAxis: 1).gather(alongAxis: 1, indices: labels).mean()
        }
    }

    @Test func embeddingThenConvThenPool() {
        let table = randn([6, 2 * 3 * 3], seed: 59), w = randn([2, 2, 2, 2], seed: 60)
        expectGradients([table, w]) { t in
            t[0].gatherRows([1, 5, 1], indexShape: [3]).reshaped([3, 2, 3, 3])
                .conv2d(weight: t[1], padding: (1, 1)).sigmoid().avgPool2d(kernel: (2, 2), stride: (1, 1))
        }
    }

    @Test func floatAgreesWithDouble() {
        let xd = randn([8, 5], seed: 61), wd = randn([5, 3], seed: 62)
        let xf = xd.converted(to: Float.self), wf = wd.converted(to: Float.self)
        for t in [xd, wd] { t.requiresGrad = true }
        for t in [xf, wf] { t.requiresGrad = true }
        xd.matmul(wd).tanh().softmax(alongAxis: 1).log().sum().backward()
        xf.matmul(wf).tanh().softmax(alongAxis: 1).log().sum().backward()
        #expect(maxAbsDifference(wf.grad!.map(Double.init), wd.grad!) < 1e-4)
        #expect(maxAbsDifference(xf.grad!.map(Double.init), xd.grad!) < 1e-4)
    }

    @Test func graphIsReleasedAfterBackward() {
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        let h = w.exp()
        let loss = (h * h).sum()
        loss.backward()
        #expect(loss.parents.isEmpty && h.parents.isEmpty)
        #expect(h.grad == nil)                 // intermediate gradients are not kept
        #expect(w.grad != nil)
    }

    @Test func nonScalarBackwardWithSeed() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        (x * x).backward(seed: [1, 0, 2])
        #expect(x.grad == [2, 0, 12])
    }
}
