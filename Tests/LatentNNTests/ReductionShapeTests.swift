import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

@Suite("Reductions, softmax and shape operations")
struct ReductionShapeTests {
    @Test func reductionValues() {
        let x = Tensor<Double>(shape: [2, 3], storage: [1, 5, 3, 4, 2, 6])
        #expect(x.sum().item == 21)
        #expect(x.sum(alongAxis: 0).storage == [5, 7, 9])
        #expect(x.sum(alongAxis: 1, keepDims: true).shape == [2, 1])
        #expect(x.mean(alongAxis: -1).storage == [3, 4])
        #expect(x.max(alongAxis: 1).storage == [5, 6])
        #expect(x.max(alongAxis: 0, keepDims: true).storage == [4, 5, 6])
        #expect(x.min(alongAxis: 1).storage == [1, 2])
        #expect(x.max().item == 6 && x.min().item == 1)
        #expect(x.argmax(alongAxis: 1) == [1, 2])
        #expect(x.variance(alongAxes: [1]).storage.map { ($0 * 3).rounded() } == [8, 8])
    }

    @Test func reductionGradients() {
        let x = randn([2, 3, 4], seed: 20)
        expectGradients([x]) { $0[0].sum() }
        expectGradients([x]) { $0[0].sum(alongAxes: [0, 2]) }
        expectGradients([x]) { $0[0].sum(alongAxis: 1, keepDims: true) }
        expectGradients([x]) { $0[0].mean() }
        expectGradients([x]) { $0[0].mean(alongAxes: [-1]) }
        expectGradients([x]) { $0[0].max(alongAxis: 1) }
        expectGradients([x]) { $0[0].max(alongAxes: [0, 2], keepDims: true) }
        expectGradients([x]) { $0[0].max() }
        expectGradients([x]) { $0[0].min(alongAxis: 2) }
        expectGradients([x]) { $0[0].variance(alongAxes: [0, 1]) }
        expectGradients([x]) { $0[0].logSumExp(alongAxis: 1) }
    }

    @Test func softmaxValuesAndGradients() {
        let big = Tensor<Double>(shape: [1, 3], storage: [1000, 1001, 1002])
        let s = big.softmax().storage
        #expect(s.allSatisfy { $0.isFinite })
        #expect(Swift.abs(s.reduce(0, +) - 1) < 1e-12)
        let ls = big.logSoftmax().storage
        #expect(Swift.abs(ls[2] - (-Double.log(1 + Double.exp(-1) + Double.exp(-2)))) < 1e-12)
        let x = randn([2, 3, 4], seed: 21)
        for axis in [0, 1, -1] {
            expectGradients([x]) { $0[0].softmax(alongAxis: axis) }
            expectGradients([x]) { $0[0].logSoftmax(alongAxis: axis) }
        }
    }

    @Test func reshapePermuteValues() {
        let x = Tensor<Double>(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(x.transposed().storage == [1, 4, 2, 5, 3, 6])
        #expect(x.reshaped([3, -1]).shape == [3, 2])
        let y = Tensor<Double>(shape: [2, 2, 3], storage: (0..<12).map(Double.init))
        let p = y.permuted([2, 0, 1])
        #expect(p.shape == [3, 2, 2])
        #expect(p[2, 1, 0] == y[1, 0, 2])
        #expect(y.unsqueezed(at: 1).shape == [2, 1, 2, 3] && y.unsqueezed(at: 1).squeezed(at: 1).shape == [2, 2, 3])
        #expect(y.flattened(fromAxis: 1).shape == [2, 6])
    }

    @Test func shapeGradients() {
        let x = randn([2, 3, 4], seed: 22)
        expectGradients([x]) { $0[0].reshaped([4, -1]) }
        expectGradients([x]) { $0[0].permuted([2, 0, 1]) }
        expectGradients([x]) { $0[0].transposed(0, 2) }
        expectGradients([x]) { $0[0].slice(alongAxis: 1, 1..<3) }
        expectGradients([x]) { $0[0].slice(alongAxis: -1, 0..<1) }
        let y = randn([2, 2, 4], seed: 23)
        expectGradients([x, y]) { Tensor.concatenate([$0[0], $0[1], $0[0]], alongAxis: 1) }
        let z = randn([2, 3, 4], seed: 24)
        expectGradients([x, z]) { Tensor.stack([$0[0], $0[1]], alongAxis: 2) }
    }

    @Test func nonContiguousChains() {
        // A gradient flowing through a permute/transpose, then a matmul.
        let a = randn([4, 3, 2], seed: 25), w = randn([4, 5], seed: 26)
        expectGradients([a, w]) { $0[0].permuted([1, 2, 0]).matmul($0[1]) }            // (3,2,4)·(4,5)
        expectGradients([a, w]) { $0[0].transposed(0, 2).matmul($0[1].slice(alongAxis: 1, 1..<4)) }
        // Slices of the same tensor meeting again (gradient accumulation over overlapping uses).
        let x = randn([3, 6], seed: 27)
        expectGradients([x]) { t in
            let left = t[0].slice(alongAxis: 1, 0..<4), right = t[0].slice(alongAxis: 1, 2..<6)
            return (left * right).matmul(t[0].slice(alongAxis: 1, 1..<5), transposeB: true).tanh() // (3,4)·(3,4)ᵀ
                .sum(alongAxis: 1)
        }
    }

    @Test func gatherValuesAndGradients() {
        let table = Tensor<Double>(shape: [4, 2], storage: [0, 1, 10, 11, 20, 21, 30, 31])
        let e = table.gatherRows([3, 0, 3], indexShape: [1, 3])
        #expect(e.shape == [1, 3, 2] && e.storage == [30, 31, 0, 1, 30, 31])
        let x = Tensor<Double>(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(x.gather(alongAxis: 1, indices: [2, 0]).storage == [3, 4])
        #expect(x.gather(alongAxis: 0, indices: [1, 0, 1]).storage == [4, 2, 6])
        let w = randn([5, 3], seed: 28)
        expectGradients([w]) { $0[0].gatherRows([1, 4, 1, 0], indexShape: [2, 2]) }  // repeated row accumulates
        let y = randn([3, 4, 2], seed: 29)
        expectGradients([y]) { $0[0].gather(alongAxis: 1, indices: [0, 3, 1, 1, 2, 2, 3, 0, 0, 0, 1, 2]) } // k = 2
    }
}
