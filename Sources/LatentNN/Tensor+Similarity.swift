import LatentCore

extension Tensor {
    /// Each vector along `axis` scaled to unit L2 norm, `x / max(‖x‖₂, ε)` (`F.normalize`; the
    /// ε = 1e-12 floor keeps zero vectors at zero instead of dividing by zero). Same shape out.
    ///
    /// Backward (n = max(‖x‖, ε), y = x/n): `dx = (g − y·⟨g, y⟩)/n` where ‖x‖ > ε, else `g/ε`.
    /// - Complexity: O(count).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func l2Normalized(alongAxis axis: Int = -1, epsilon: Scalar = 1e-12) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "l2Normalized")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        var y = [Scalar](repeating: 0, count: count)
        var norms = [Scalar](repeating: 0, count: outer * inner)
        storage.withUnsafeBufferPointer { x in
            for o in 0..<outer { for i in 0..<inner {
                var s: Scalar = 0
                for j in 0..<n { let v = x[(o * n + j) * inner + i]; s += v * v }
                let norm = Swift.max(s.squareRoot(), epsilon)
                norms[o * inner + i] = s.squareRoot() > epsilon ? norm : -norm    // sign: inside the floor or not
                for j in 0..<n { y[(o * n + j) * inner + i] = x[(o * n + j) * inner + i] / norm }
            } }
        }
        let result = y
        return Tensor(shape: shape, storage: y, op: "l2Normalized", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for o in 0..<outer { for i in 0..<inner {
                    let signed = norms[o * inner + i], norm = Swift.abs(signed)
                    if signed < 0 {
                        for j in 0..<n { d[(o * n + j) * inner + i] += g[(o * n + j) * inner + i] / norm }
                        continue
                    }
                    var dot: Scalar = 0
                    for j in 0..<n { let q = (o * n + j) * inner + i; dot += g[q] * result[q] }
                    for j in 0..<n { let q = (o * n + j) * inner + i; d[q] += (g[q] - result[q] * dot) / norm }
                } }
            }
        }
    }

    /// Cosine similarity of `a` and `b` along `axis`, `⟨a, b⟩ / (max(‖a‖, ε)·max(‖b‖, ε))`
    /// (`F.cosine_similarity` away from zero vectors); `a` and `b` broadcast, `axis` is dropped.
    /// Composed from `l2Normalized`, `*` and `sum`. - Complexity: O(count).
    public static func cosineSimilarity(_ a: Tensor, _ b: Tensor, alongAxis axis: Int = -1, epsilon: Scalar = 1e-8) -> Tensor {
        (a.l2Normalized(alongAxis: axis, epsilon: epsilon) * b.l2Normalized(alongAxis: axis, epsilon: epsilon))
            .sum(alongAxis: axis)
    }
}
