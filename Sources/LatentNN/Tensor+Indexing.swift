import LatentCore

extension Tensor {
    /// `F.one_hot`: indices `(I…)` → `(I…, classes)` with a 1 at each index. No gradient. O(count · classes).
    public static func oneHot(_ indices: IndexTensor, classes: Int) -> Tensor {
        var values = [Scalar](repeating: 0, count: indices.count * classes)
        for (r, i) in indices.storage.enumerated() {
            precondition(i >= 0 && i < classes, "oneHot: index \(i) outside 0..<\(classes)")
            values[r * classes + i] = 1
        }
        return Tensor(shape: indices.shape + [classes], storage: values)
    }

    /// `self.index_add(0, indices, source)`: a copy of this `(V, D…)` tensor with row `r` of
    /// `source (N, D…)` added into row `indices[r]` (repeats add up) — the scatter-add that
    /// `gatherRows` needs as its adjoint, made an op of its own.
    ///
    /// Backward: `self` gets the gradient unchanged; `source` row `r` gets gradient row `indices[r]`
    /// (a gather). - Complexity: O(count + N · D).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func scatterAdd(_ source: Tensor, atRows indices: IndexTensor) -> Tensor {
        precondition(rank >= 1 && source.rank == rank && Array(source.shape.dropFirst()) == Array(shape.dropFirst())
                     && indices.shape == [source.shape[0]],
                     "scatterAdd: target \(shape), source \(source.shape) and indices \(indices.shape) do not fit (need (V, D…), (N, D…), (N))")
        let v = shape[0], d = count / Swift.max(v, 1)
        var out = storage
        source.storage.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for (r, i) in indices.storage.enumerated() {
                    precondition(i >= 0 && i < v, "scatterAdd: index \(i) outside 0..<\(v)")
                    Scalar.axpy(n: d, alpha: 1, x: s.baseAddress! + r * d, incx: 1, y: o.baseAddress! + i * d, incy: 1)
                }
            }
        }
        return Tensor(shape: shape, storage: out, op: "scatterAdd", parents: [self, source]) { [self] g in
            self.accumulateBroadcastGrad(g, from: self.shape)
            source.withGradBuffer { ds in
                for (r, i) in indices.storage.enumerated() {
                    Scalar.axpy(n: d, alpha: 1, x: g.baseAddress! + i * d, incx: 1, y: ds.baseAddress! + r * d, incy: 1)
                }
            }
        }
    }

    /// `torch.topk(k, dim, largest=True, sorted=True)`: the `k` largest values along `axis`, in
    /// descending order (ties: lower index first), and their indices; `axis` shrinks to `k`.
    ///
    /// Backward: each value's gradient goes to the element it came from. - Complexity: O(count · log n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func topK(_ k: Int, alongAxis axis: Int = -1) -> (values: Tensor, indices: IndexTensor) {
        let ax = Shape.normalize(axis: axis, rank: rank, "topK")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        precondition(k >= 0 && k <= n, "topK: k = \(k) outside 0...\(n) for axis \(ax) of shape \(shape)")
        var outShape = shape; outShape[ax] = k
        var values = [Scalar](repeating: 0, count: outer * k * inner), picked = [Int](repeating: 0, count: outer * k * inner)
        storage.withUnsafeBufferPointer { x in
            for o in 0..<outer { for i in 0..<inner {
                let order = (0..<n).sorted { p, q in
                    let a = x[(o * n + p) * inner + i], b = x[(o * n + q) * inner + i]
                    return a > b || (a == b && p < q)
                }
                for j in 0..<k {
                    let q = (o * k + j) * inner + i
                    picked[q] = order[j]
                    values[q] = x[(o * n + order[j]) * inner + i]
                }
            } }
        }
        let result = Tensor(shape: outShape, storage: values, op: "topK", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for o in 0..<outer { for j in 0..<k { for i in 0..<inner {
                    let q = (o * k + j) * inner + i
                    d[(o * n + picked[q]) * inner + i] += g[q]
                } } }
            }
        }
        return (result, IndexTensor(shape: outShape, storage: picked))
    }

    /// `torch.cumsum`: running sums along `axis`, `y_j = Σ_{i ≤ j} x_i`. Same shape out.
    ///
    /// Backward: the reversed running sum of the gradient, `dx_i = Σ_{j ≥ i} g_j`. - Complexity: O(count).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func cumulativeSum(alongAxis axis: Int) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "cumulativeSum")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        var y = storage
        for o in 0..<outer { for j in 1..<Swift.max(n, 1) { for i in 0..<inner {
            y[(o * n + j) * inner + i] += y[(o * n + j - 1) * inner + i]
        } } }
        return Tensor(shape: shape, storage: y, op: "cumulativeSum", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for o in 0..<outer { for i in 0..<inner {
                    var running: Scalar = 0
                    for j in stride(from: n - 1, through: 0, by: -1) {
                        let q = (o * n + j) * inner + i
                        running += g[q]
                        d[q] += running
                    }
                } }
            }
        }
    }
}
