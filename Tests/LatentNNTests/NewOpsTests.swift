import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// A fixture of `scripts/fixtures/nn_shapes.py` as a tensor of `shape`.
private func fixture(_ name: String, _ shape: [Int]) throws -> Tensor<Double> {
    Tensor(shape: shape, storage: try Fixtures.vector("nn_shapes/" + name))
}

private func indices(_ name: String, _ shape: [Int]) throws -> IndexTensor {
    IndexTensor(shape: shape, storage: try Fixtures.vector("nn_shapes/" + name).map { Int($0) })
}

@Suite("Second-batch ops: PyTorch forward fixtures and finite-difference gradients")
struct NewOpsTests {
    @Test func l2NormalizedAndCosineSimilarityMatchPyTorch() throws {
        let x = try fixture("norm_x", [3, 4, 2])
        #expect(maxAbsDifference(x.l2Normalized(alongAxis: 1).storage, try Fixtures.vector("nn_shapes/normalize_dim1")) < 1e-15)
        let a = try fixture("cos_a", [5, 6]), b = try fixture("cos_b", [5, 6]), c = try fixture("cos_c", [1, 6])
        #expect(maxAbsDifference(Tensor.cosineSimilarity(a, b, alongAxis: 1).storage, try Fixtures.vector("nn_shapes/cosine_ab")) < 1e-14)
        #expect(maxAbsDifference(Tensor.cosineSimilarity(a, c, alongAxis: 1).storage, try Fixtures.vector("nn_shapes/cosine_ac")) < 1e-14)
        // gradients, including along a middle axis and through a zero vector (below the ε floor)
        expectGradients([randn([3, 4, 2], seed: 1)]) { $0[0].l2Normalized(alongAxis: 1) }
        let withZero = randn([2, 3], seed: 2)
        for j in 0..<3 { withZero.storage[3 + j] = 0 }
        expectGradients([withZero]) { $0[0].l2Normalized(alongAxis: -1, epsilon: 1e-3) }
        expectGradients([randn([5, 6], seed: 3), randn([1, 6], seed: 4)]) { Tensor.cosineSimilarity($0[0], $0[1]) }
    }

    @Test func comparisonsAndWhereMatchPyTorch() throws {
        let p = try fixture("cmp_p", [4, 5]), q = try fixture("cmp_q", [1, 5])
        #expect(p.isGreater(than: q).storage == (try Fixtures.vector("nn_shapes/gt")))
        #expect(p.isGreaterOrEqual(to: q).storage == (try Fixtures.vector("nn_shapes/ge")))
        #expect(p.isLess(than: q).storage == (try Fixtures.vector("nn_shapes/lt")))
        #expect(p.isLessOrEqual(to: q).storage == (try Fixtures.vector("nn_shapes/le")))
        #expect(p.isEqual(to: q).storage == (try Fixtures.vector("nn_shapes/eq")))
        #expect(Tensor.where(p.isGreater(than: q), p, q * 10).storage == (try Fixtures.vector("nn_shapes/where")))
        #expect(!p.isGreater(than: q).requiresGrad)
        // infinity on the side not taken does not leak NaN into the result or the gradient
        let big = Tensor<Double>([1, .infinity, 3], requiresGrad: true), small = Tensor<Double>([0, 0, 0], requiresGrad: true)
        let picked = Tensor.where(Tensor([1, 0, 1]), big, small)
        #expect(picked.storage == [1, 0, 3])
        picked.sum().backward()
        #expect(big.grad == [1, 0, 1] && small.grad == [0, 1, 0])
        let a = randn([4, 5], seed: 5), b = randn([1, 5], seed: 6)
        let condition = a.detach().isGreater(than: b.detach())
        expectGradients([a, b]) { Tensor.where(condition, $0[0], $0[1]) }
    }

    @Test func oneHotScatterAddTopKAndCumulativeSumMatchPyTorch() throws {
        let idx = try indices("one_hot_idx", [2, 3])
        let oneHot: Tensor<Double> = .oneHot(idx, classes: 5)
        let expectedOneHot = try Fixtures.vector("nn_shapes/one_hot")
        #expect(oneHot.shape == [2, 3, 5] && oneHot.storage == expectedOneHot)

        let t = try fixture("scatter_t", [4, 3]), s = try fixture("scatter_s", [6, 3]), rows = try indices("scatter_rows", [6])
        #expect(maxAbsDifference(t.scatterAdd(s, atRows: rows).storage, try Fixtures.vector("nn_shapes/scatter_add")) < 1e-15)
        expectGradients([randn([4, 3], seed: 7), randn([6, 3], seed: 8)]) { $0[0].scatterAdd($0[1], atRows: rows) }

        let k = try fixture("topk_x", [4, 6, 2])
        let (v1, i1) = k.topK(3, alongAxis: 1)
        let expectedValues = try Fixtures.vector("nn_shapes/topk_dim1_values")
        #expect(v1.shape == [4, 3, 2] && v1.storage == expectedValues)
        #expect(i1 == (try indices("topk_dim1_indices", [4, 3, 2])))
        let (v0, i0) = k.topK(2, alongAxis: 0)
        #expect(v0.storage == (try Fixtures.vector("nn_shapes/topk_dim0_values")))
        #expect(i0 == (try indices("topk_dim0_indices", [2, 6, 2])))
        expectGradients([randn([4, 6, 2], seed: 9)]) { $0[0].topK(3, alongAxis: 1).values }

        let u = try fixture("cumsum_x", [3, 4, 5])
        for d in 0..<3 {
            #expect(maxAbsDifference(u.cumulativeSum(alongAxis: d).storage, try Fixtures.vector("nn_shapes/cumsum_dim\(d)")) < 1e-14)
            expectGradients([randn([3, 4, 5], seed: 10 + UInt64(d))]) { $0[0].cumulativeSum(alongAxis: d) }
        }
    }

    @Test func positionalEncodingsMatchTheReferenceAndLearnedOnesTrain() throws {
        for dim in [10, 5] {
            let table = SinusoidalPositionalEncoding<Double>.table(length: 7, dimension: dim)
            #expect(maxAbsDifference(table.storage, try Fixtures.vector("nn_shapes/sinusoidal_7x\(dim)")) < 1e-14)
        }
        let encoding = SinusoidalPositionalEncoding<Double>(maximumLength: 7, dimension: 10)
        let x = randn([2, 4, 10], seed: 20)
        let y = encoding(x)
        #expect(encoding.parameters.isEmpty && encoding.namedTensors().map(\.name) == ["table"])
        #expect(maxAbsDifference(y.storage, (x + encoding.table.slice(alongAxis: 0, 0..<4)).storage) == 0)

        var rng = Xoshiro256StarStar(seed: 21)
        let learned = LearnedPositionalEmbedding<Double>(maximumLength: 6, dimension: 3, using: &rng)
        #expect(learned.namedParameters.map(\.name) == ["weight"])
        expectGradients([randn([2, 4, 3], seed: 22), learned.weight]) { t in
            PositionalEncoding.add(t[1], to: t[0], "test")
        }
    }

    @Test func categoricalSamplingFollowsTheProbabilities() {
        // 20 000 draws from each of two rows; frequencies within 4 standard errors of p
        let p: [Double] = [0.1, 0.0, 0.6, 0.3], q: [Double] = [2, 1, 1, 0]     // the second row unnormalised
        let n = 20_000
        let weights = Tensor<Double>(shape: [2 * n, 4], storage: (0..<n).flatMap { _ in p + q })
        var rng = Xoshiro256StarStar(seed: 30)
        let draws = weights.sampleCategorical(using: &rng)
        #expect(draws.shape == [2 * n])
        for (row, probabilities) in [(0, p), (1, q.map { $0 / 4 })] {
            var counts = [Int](repeating: 0, count: 4)
            for i in stride(from: row, to: 2 * n, by: 2) { counts[draws.storage[i]] += 1 }
            for j in 0..<4 {
                let f = Double(counts[j]) / Double(n), se = (probabilities[j] * (1 - probabilities[j]) / Double(n)).squareRoot()
                #expect(Swift.abs(f - probabilities[j]) <= 4 * se + 1e-12, "row \(row) class \(j): \(f) vs \(probabilities[j])")
            }
        }
        // same seed, same draws; logits with a temperature go through the softmax
        var again = Xoshiro256StarStar(seed: 30)
        #expect(weights.sampleCategorical(using: &again) == draws)
        let logits = Tensor<Float>(shape: [1, 3], storage: [0, 30, 0])
        var r = Xoshiro256StarStar(seed: 31)
        #expect(logits.sampleCategorical(fromLogitsWithTemperature: 1, using: &r).storage == [1])
    }
}
