import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// The composed reference for `Tensor.attention`: per-head permutes, a batched matmul, masked
/// fill with −10⁹, softmax and a second matmul (the path `MultiHeadAttention` took before the
/// fused operation).
private func referenceAttention(_ q: Tensor<Double>, _ k: Tensor<Double>, _ v: Tensor<Double>, heads: Int,
                                hidden: [Double]? = nil, additive: Tensor<Double>? = nil) -> Tensor<Double> {
    let (B, Tq, C, Tk) = (q.shape[0], q.shape[1], q.shape[2], k.shape[1])
    let hs = C / heads
    func split(_ t: Tensor<Double>, _ T: Int) -> Tensor<Double> { t.reshaped([B, T, heads, hs]).permuted([0, 2, 1, 3]) }
    var scores = split(q, Tq).matmul(split(k, Tk), transposeB: true) / Double(hs).squareRoot()   // (B, nh, Tq, Tk)
    if let additive { scores = scores + additive }
    if let hidden { scores = scores.maskedFill(where: Tensor(shape: [B, 1, Tq, Tk], storage: hidden), with: -1e9) }
    let attended = scores.softmax(alongAxis: -1).matmul(split(v, Tk))
    return attended.permuted([0, 2, 1, 3]).reshaped([B, Tq, C])
}

@Suite struct FusedAttentionTests {
    @Test func matchesComposedOpsUnderEveryMask() {
        var rng = Xoshiro256StarStar(seed: 11)
        let (B, Tq, Tk, C, heads) = (2, 4, 5, 6, 3)
        let q = Tensor<Double>.randomNormal([B, Tq, C], using: &rng)
        let k = Tensor<Double>.randomNormal([B, Tk, C], using: &rng)
        let v = Tensor<Double>.randomNormal([B, Tk, C], using: &rng)
        var unused = Xoshiro256StarStar(seed: 0)
        // Cross-attention, no mask.
        let plain = Tensor.attention(query: q, key: k, value: v, heads: heads, generator: &unused)
        #expect(maxAbsDifference(plain.storage, referenceAttention(q, k, v, heads: heads).storage) < 1e-12)
        // Causal with an offset of 1, lengths [5, 3] and a padding flag on key 0 of sequence 0.
        let mask = AttentionMask<Double>(causalOffset: 1, keyLengths: [5, 3],
                                         keyPadding: [[true, false, false, false, false], [false, false, false, false, false]])
        var hidden = [Double](repeating: 0, count: B * Tq * Tk)
        for b in 0..<B { for i in 0..<Tq { for j in 0..<Tk {
            if j > i + 1 || j >= [5, 3][b] || (b == 0 && j == 0) { hidden[(b * Tq + i) * Tk + j] = 1 }
        } } }
        let masked = Tensor.attention(query: q, key: k, value: v, heads: heads, mask: mask, generator: &unused)
        #expect(maxAbsDifference(masked.storage, referenceAttention(q, k, v, heads: heads, hidden: hidden).storage) < 1e-12)
        // An additive mask broadcast over heads.
        let additive = Tensor<Double>.randomNormal([B, 1, Tq, Tk], using: &rng)
        let added = Tensor.attention(query: q, key: k, value: v, heads: heads, mask: AttentionMask(additive: additive), generator: &unused)
        #expect(maxAbsDifference(added.storage, referenceAttention(q, k, v, heads: heads, additive: additive).storage) < 1e-12)
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 12)
        let (B, Tq, Tk, C, heads) = (2, 3, 4, 4, 2)
        let q = Tensor<Double>.randomNormal([B, Tq, C], using: &rng)
        let k = Tensor<Double>.randomNormal([B, Tk, C], using: &rng)
        let v = Tensor<Double>.randomNormal([B, Tk, C], using: &rng)
        let additive = Tensor<Double>.randomNormal([Tq, Tk], using: &rng)
        let mask = AttentionMask<Double>(causalOffset: 1, keyLengths: [4, 2], additive: additive)
        let result = GradientCheck.check([q, k, v]) { t in
            var unused = Xoshiro256StarStar(seed: 0)
            return Tensor.attention(query: t[0], key: t[1], value: t[2], heads: heads, mask: mask, generator: &unused)
        }
        #expect(result.maxRelativeError < 1e-6)
        // With attention dropout (the same mask on every evaluation: the generator is re-seeded).
        let dropped = GradientCheck.check([q, k, v]) { t in
            var generator = Xoshiro256StarStar(seed: 5)
            return Tensor.attention(query: t[0], key: t[1], value: t[2], heads: heads, mask: mask, dropout: 0.3, generator: &generator)
        }
        #expect(dropped.maxRelativeError < 1e-6)
        // Self-attention with one tensor as query, key and value.
        let x = Tensor<Double>.randomNormal([B, Tq, C], using: &rng)
        let shared = GradientCheck.check([x]) { t in
            var unused = Xoshiro256StarStar(seed: 0)
            return Tensor.attention(query: t[0], key: t[0], value: t[0], heads: heads, mask: AttentionMask(causalOffset: 0), generator: &unused)
        }
        #expect(shared.maxRelativeError < 1e-6)
    }

    @Test func attentionDropoutZeroesWeightsReproducibly() {
        var rng = Xoshiro256StarStar(seed: 13)
        let q = Tensor<Double>.randomNormal([1, 6, 4], using: &rng)
        var g1 = Xoshiro256StarStar(seed: 9), g2 = Xoshiro256StarStar(seed: 9), none = Xoshiro256StarStar(seed: 0)
        let a = Tensor.attention(query: q, key: q, value: q, heads: 2, dropout: 0.5, generator: &g1)
        let b = Tensor.attention(query: q, key: q, value: q, heads: 2, dropout: 0.5, generator: &g2)
        let c = Tensor.attention(query: q, key: q, value: q, heads: 2, generator: &none)
        #expect(a.storage == b.storage)
        #expect(maxAbsDifference(a.storage, c.storage) > 1e-3)
    }

    @Test func keyValueCacheDecodingEqualsTheFullPass() {
        var rng = Xoshiro256StarStar(seed: 14)
        let mha = MultiHeadAttention<Double>(modelSize: 8, heads: 2, causal: true, using: &rng)
        let (B, T, C) = (2, 5, 8)
        let x = Tensor<Double>.randomNormal([B, T, C], using: &rng)
        let full = mha(x)
        let cache = KeyValueCache<Double>(batch: B, modelSize: C)
        // Feed 2 positions, then 1, then 2.
        var pieces: [Tensor<Double>] = []
        var start = 0
        for n in [2, 1, 2] {
            let piece = x.slice(alongAxis: 1, start..<(start + n))
            pieces.append(mha(piece, cache: cache))
            start += n
        }
        #expect(cache.length == T)
        for b in 0..<B { for t in 0..<T { for c in 0..<C {
            var offset = 0, index = 0
            while t >= offset + pieces[index].shape[1] { offset += pieces[index].shape[1]; index += 1 }
            #expect(abs(pieces[index][b, t - offset, c] - full[b, t, c]) < 1e-12)
        } } }
    }

    @Test func maskFormsAgreeAndCrossAttentionUsesTheContext() {
        var rng = Xoshiro256StarStar(seed: 15)
        let mha = MultiHeadAttention<Double>(modelSize: 4, heads: 2, using: &rng)
        let x = Tensor<Double>.randomNormal([2, 3, 4], using: &rng)
        let padding = [[false, false, false], [false, true, true]]
        let byFlags = mha(x, keyPadding: padding)
        let byLengths = mha(x, mask: AttentionMask(keyLengths: [3, 1]))
        #expect(maxAbsDifference(byFlags.storage, byLengths.storage) < 1e-15)
        let additive = Tensor<Double>(shape: [2, 1, 1, 3], storage: [0, 0, 0, 0, -1e9, -1e9])
        #expect(maxAbsDifference(byFlags.storage, mha(x, mask: AttentionMask(additive: additive)).storage) < 1e-12)
        // Cross-attention over a context of another length; gradients reach both inputs.
        let context = Tensor<Double>.randomNormal([2, 5, 4], using: &rng)
        #expect(mha(x, context: context).shape == [2, 3, 4])
        let result = GradientCheck.check([x, context] + mha.parameters.filter { $0 !== mha.key.bias! }) { _ in mha(x, context: context) }
        #expect(result.maxRelativeError < 1e-6)
    }

    @Test func postLayerNormBlockIsTheOriginalLayout() {
        var rng = Xoshiro256StarStar(seed: 16)
        let block = TransformerBlock<Double>(modelSize: 4, heads: 2, causal: true, normFirst: false, using: &rng)
        let x = Tensor<Double>.randomNormal([2, 3, 4], using: &rng)
        let y = block(x)
        let h = block.norm1(x + block.attention(x))
        let expected = block.norm2(h + block.contract(block.expand(h).gelu()))
        #expect(maxAbsDifference(y.storage, expected.storage) < 1e-15)
        let keyBias = block.attention.key.bias!
        let result = GradientCheck.check([x] + block.parameters.filter { $0 !== keyBias }) { _ in block(x) }
        #expect(result.maxRelativeError < 1e-6)
    }
}

@Suite struct FusedCrossEntropyTests {
    @Test func gradientsMatchFiniteDifferencesWithIgnoreIndexAndSmoothing() {
        var rng = Xoshiro256StarStar(seed: 17)
        let logits = Tensor<Double>.randomNormal([5, 4], using: &rng)
        let targets = [1, 3, 0, 3, 2]
        for (ignore, smoothing) in [(nil, 0.0), (3, 0.0), (2, 0.1)] as [(Int?, Double)] {
            let result = GradientCheck.check([logits]) { t in
                Loss.crossEntropy(t[0], targets, ignoreIndex: ignore, labelSmoothing: smoothing)
            }
            #expect(result.maxRelativeError < 1e-6)
        }
        // A second backward adds into the existing gradient.
        logits.grad = nil
        Loss.crossEntropy(logits, targets).backward()
        let once = logits.grad!
        Loss.crossEntropy(logits, targets).backward()
        #expect(maxAbsDifference(logits.grad!, once.map { 2 * $0 }) < 1e-15)
    }
}

@Suite struct FastPoolingTests {
    /// The 2×2 max-pool fast path against a direct loop, on even (tiled) and odd (remainder) sizes.
    @Test func twoByTwoMaxPoolMatchesDirectLoopAndFiniteDifferences() {
        var rng = Xoshiro256StarStar(seed: 18)
        for (H, W) in [(6, 8), (5, 7)] {
            let x = Tensor<Double>.randomNormal([2, 3, H, W], using: &rng)
            let y = x.maxPool2d(kernel: (2, 2))
            let (Ho, Wo) = (H / 2, W / 2)
            #expect(y.shape == [2, 3, Ho, Wo])
            for b in 0..<2 { for c in 0..<3 { for i in 0..<Ho { for j in 0..<Wo {
                let m = Swift.max(Swift.max(x[b, c, 2 * i, 2 * j], x[b, c, 2 * i, 2 * j + 1]),
                                  Swift.max(x[b, c, 2 * i + 1, 2 * j], x[b, c, 2 * i + 1, 2 * j + 1]))
                #expect(y[b, c, i, j] == m)
            } } } }
            #expect(GradientCheck.check([x]) { $0[0].maxPool2d(kernel: (2, 2)) }.maxRelativeError < 1e-6)
        }
    }

    /// Float's SIMD rows (`maxPoolRow2x2`) pick the same values and the same first maximum as
    /// Double's scalar loop, with many ties and some NaNs (values from a small set, exact in both).
    @Test func floatSIMDRowsMatchTheScalarLoopOnTiesAndNaN() {
        var rng = Xoshiro256StarStar(seed: 19)
        for (H, W) in [(28, 28), (6, 9), (4, 16)] {
            let values = (0..<2 * 3 * H * W).map { _ -> Double in
                let k = rng.integer(below: 9)
                return k == 0 ? .nan : Double(k % 4)
            }
            let xd = Tensor<Double>(shape: [2, 3, H, W], storage: values, requiresGrad: true)
            let xf = Tensor<Float>(shape: [2, 3, H, W], storage: values.map { Float($0) }, requiresGrad: true)
            let yd = xd.maxPool2d(kernel: (2, 2)), yf = xf.maxPool2d(kernel: (2, 2))
            #expect(zip(yd.storage, yf.storage).allSatisfy { ($0.isNaN && $1.isNaN) || $0 == Double($1) })
            yd.sum().backward()
            yf.sum().backward()
            #expect(xd.grad! == xf.grad!.map { Double($0) }, "gradients land on the same pixels for \(H)×\(W)")
        }
    }
}
