import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// Tensors large enough (> 2¹⁷ elements) that the kernels split work across threads, checked
/// against plain index arithmetic — the multi-threaded row/odometer paths never run on small tests.
@Suite("Parallel kernel paths on large tensors")
struct ParallelPathTests {
    @Test func broadcastAndPermuteMatchIndexArithmetic() {
        var rng = Xoshiro256StarStar(seed: 80)
        let a = Tensor<Float>.randomNormal([64, 1, 2048], using: &rng), b = Tensor<Float>.randomNormal([3, 1], using: &rng)
        let c = a + b                                                   // (64, 3, 2048)
        var worst: Float = 0
        for i in 0..<64 { for j in 0..<3 { for k in stride(from: 0, to: 2048, by: 7) {
            worst = Swift.max(worst, Swift.abs(c[i, j, k] - (a[i, 0, k] + b[j, 0])))
        } } }
        #expect(worst == 0)
        let e = b.broadcast(to: [64, 3, 2048])
        #expect(e[63, 2, 2047] == b[2, 0] && e[17, 1, 5] == b[1, 0])
        let x = Tensor<Float>.randomNormal([64, 48, 64], using: &rng)
        let p = x.permuted([2, 0, 1])                                   // (64, 64, 48)
        var same = true
        for i in stride(from: 0, to: 64, by: 3) { for j in 0..<64 { for k in stride(from: 0, to: 48, by: 5) {
            same = same && p[i, j, k] == x[j, k, i]
        } } }
        #expect(same)
    }

    @Test func lanesAndRowsMatchSmallReferences() {
        var rng = Xoshiro256StarStar(seed: 81)
        let x = Tensor<Double>.randomNormal([600, 300], using: &rng)
        // Softmax along axis 0 (strided lanes, in parallel) equals softmax of the transpose along axis 1.
        let s0 = x.softmax(alongAxis: 0), s1 = x.transposed().softmax(alongAxis: 1).transposed()
        #expect(maxAbsDifference(s0.storage, s1.storage) < 1e-14)
        // Layer norm of every row equals that row normalised on its own.
        let y = x.layerNorm(normalizedShape: [300])
        let row = x.slice(alongAxis: 0, 437..<438).layerNorm(normalizedShape: [300])
        #expect(maxAbsDifference(Array(y.storage[437 * 300..<438 * 300]), row.storage) < 1e-13)
        // A sum over axis 0 through the broadcast plan equals a column-by-column loop.
        let s = x.sum(alongAxis: 0)
        var col = [Double](repeating: 0, count: 300)
        for i in 0..<600 { for j in 0..<300 { col[j] += x[i, j] } }
        #expect(maxAbsDifference(s.storage, col) < 1e-10)
    }

    /// The bias gradient of `linear` (added by the blocks of the weight-gradient GEMM) and the
    /// LayerNorm gain and shift gradients (split by columns) equal row-ordered plain sums bit for
    /// bit, with 1 and 2 threads.
    @Test func parameterGradientSumsMatchPlainSumsOnAnyThreadCount() {
        var rng = Xoshiro256StarStar(seed: 82)
        let (rows, d, outputs) = (1536, 96, 160)
        let xv = Tensor<Float>.randomNormal([rows, d], using: &rng).storage
        let gv = Tensor<Float>.randomNormal([rows, outputs], using: &rng).storage
        let wv = Tensor<Float>.randomNormal([outputs, d], using: &rng).storage
        let upstream = Tensor<Float>.randomNormal([rows, d], using: &rng).storage
        func gradients(threads: Int) -> (bias: [Float], gain: [Float], shift: [Float]) {
            Parallel.withThreadCount(threads) {
                let x = Tensor<Float>(shape: [rows, d], storage: xv)
                let w = Tensor<Float>(shape: [outputs, d], storage: wv, requiresGrad: true)
                let b = Tensor<Float>.zeros([outputs], requiresGrad: true)
                let y = x.linear(weight: w, bias: b)
                (y * Tensor(shape: [rows, outputs], storage: gv)).sum().backward()
                let gain = Tensor<Float>.ones([d], requiresGrad: true), shift = Tensor<Float>.zeros([d], requiresGrad: true)
                let n = x.layerNorm(normalizedShape: [d], weight: gain, bias: shift)
                (n * Tensor(shape: [rows, d], storage: upstream)).sum().backward()
                return (b.grad!, gain.grad!, shift.grad!)
            }
        }
        let one = gradients(threads: 1), two = gradients(threads: 2)
        #expect(one.bias == two.bias && one.gain == two.gain && one.shift == two.shift)
        var bias = [Float](repeating: 0, count: outputs), shift = [Float](repeating: 0, count: d)
        for r in 0..<rows {
            for j in 0..<outputs { bias[j] += gv[r * outputs + j] }
            for j in 0..<d { shift[j] += upstream[r * d + j] }
        }
        #expect(one.bias == bias && one.shift == shift)
    }

    /// Batch normalisation's output and gradients (channels split over threads) are the same bits
    /// on 1 and 2 threads.
    @Test func batchNormIsTheSameOnAnyThreadCount() {
        var rng = Xoshiro256StarStar(seed: 83)
        let xv = Tensor<Float>.randomNormal([16, 64, 9, 9], using: &rng).storage
        let gv = Tensor<Float>.randomNormal([16, 64, 9, 9], using: &rng).storage
        func run(threads: Int) -> [[Float]] {
            Parallel.withThreadCount(threads) {
                let x = Tensor<Float>(shape: [16, 64, 9, 9], storage: xv, requiresGrad: true)
                let layer = BatchNorm<Float>(channels: 64)
                let y = layer(x)
                (y * Tensor(shape: x.shape, storage: gv)).sum().backward()
                return [y.storage, x.grad!, layer.weight.grad!, layer.bias.grad!, layer.runningMean.storage, layer.runningVariance.storage]
            }
        }
        #expect(run(threads: 1) == run(threads: 2))
    }

    /// Dropout masks drawn in blocks: the same on 1 and 2 threads, 0 or 1/(1 − p) only, a kept share
    /// within 5σ of 1 − p, blocks that differ from each other, and one draw of the generator per mask.
    @Test func dropoutMaskIsTheSameOnAnyThreadCount() {
        let n = 5 * DropoutMask.blockSize + 123, p = 0.3
        var g1 = Xoshiro256StarStar(seed: 83), g2 = g1
        let one: [Float] = Parallel.withThreadCount(1) { DropoutMask.draw(count: n, probability: p, generator: &g1) }
        let two: [Float] = Parallel.withThreadCount(2) { DropoutMask.draw(count: n, probability: p, generator: &g2) }
        #expect(one == two && g1 == g2)
        var advanced = Xoshiro256StarStar(seed: 83)
        _ = advanced.next()
        #expect(g1 == advanced)
        let keep = Float(1 / (1 - p))
        #expect(one.allSatisfy { $0 == 0 || $0 == keep })
        let kept = Double(one.filter { $0 != 0 }.count) / Double(n)
        #expect(Swift.abs(kept - (1 - p)) < 5 * (p * (1 - p) / Double(n)).squareRoot())
        let b = DropoutMask.blockSize
        #expect(Array(one[0..<b]) != Array(one[b..<2 * b]))
    }
}
