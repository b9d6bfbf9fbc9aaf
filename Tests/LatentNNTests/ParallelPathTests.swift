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
}
