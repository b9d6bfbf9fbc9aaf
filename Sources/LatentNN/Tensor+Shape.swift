import LatentCore

/// Reshaping, permuting, slicing, concatenating and gathering.
///
/// `reshaped` shares the elements (copy-on-write); the others copy into a new contiguous tensor in
/// O(n) with row-sized inner loops, and their backward passes scatter the gradient back.
extension Tensor {
    // MARK: - Reshape

    /// The same elements under a new shape with the same count; one dimension may be `-1` (inferred).
    /// Backward: the gradient reshaped back. O(1) (storage shared).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let k = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != k }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshaped: cannot infer -1 in \(newShape) for \(count) elements (shape \(shape))")
            target[k] = count / known
        }
        precondition(target.allSatisfy { $0 >= 0 } && target.reduce(1, *) == count,
                     "reshaped: shape \(shape) (\(count) elements) cannot become \(newShape)")
        if target == shape { return self }
        return Tensor(shape: target, storage: storage, op: "reshape", parents: [self]) { [self] g in
            self.addToGrad(g)
        }
    }

    /// Flattens the dimensions from `axis` on into one: `(d₀, …, d_axis, …) → (d₀, …, Π d_axis…)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func flattened(fromAxis axis: Int = 0) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: Swift.max(rank, 1), "flattened")
        return reshaped(Array(shape[..<ax]) + [shape[ax...].reduce(1, *)])
    }

    /// Inserts a dimension of size 1 at `axis` (`0...rank`; negative counts from the end).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func unsqueezed(at axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + rank + 1 : axis
        precondition(ax >= 0 && ax <= rank, "unsqueezed: axis \(axis) out of range for shape \(shape)")
        var s = shape; s.insert(1, at: ax)
        return reshaped(s)
    }

    /// Removes the dimension `axis`, which must have size 1.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func squeezed(at axis: Int) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "squeezed")
        precondition(shape[ax] == 1, "squeezed: dimension \(ax) of \(shape) is not 1")
        var s = shape; s.remove(at: ax)
        return reshaped(s)
    }

    // MARK: - Permute

    /// Copies `src` (with `srcStrides[k]` the source stride of output dimension `k`) into a
    /// contiguous array of `outShape`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func stridedCopy(_ src: UnsafeBufferPointer<Scalar>, outShape: [Int], srcStrides: [Int]) -> [Scalar] {
        let n = outShape.reduce(1, *)
        let plan = BroadcastPlan(out: outShape, strideA: srcStrides, strideB: [Int](repeating: 0, count: outShape.count))
        return [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            let o = buf.baseAddress!, x = src.baseAddress!
            let m = plan.inner, st = plan.innerStrideA
            Parallel.forEachChunk(count: plan.rows, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(1, m))) { rows in
                plan.forEachRow(in: rows) { oo, oa, _ in
                    if st == 1 {
                        (o + oo).initialize(from: x + oa, count: m)
                    } else {
                        for i in 0..<m { (o + oo + i).initialize(to: x[oa + i * st]) }
                    }
                }
            }
            initialized = n
        }
    }

    /// The dimensions reordered: result dimension `k` is input dimension `axes[k]`
    /// (`torch.permute`), copied to contiguous storage. Backward: the inverse permutation. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func permuted(_ axes: [Int]) -> Tensor {
        let perm = axes.map { Shape.normalize(axis: $0, rank: rank, "permuted") }
        precondition(perm.count == rank && Set(perm).count == rank, "permuted: \(axes) is not a permutation of the \(rank) axes of \(shape)")
        if perm == Array(0..<rank) { return self }
        let st = strides
        let outShape = perm.map { shape[$0] }
        let values = storage.withUnsafeBufferPointer { Tensor.stridedCopy($0, outShape: outShape, srcStrides: perm.map { st[$0] }) }
        var inverse = [Int](repeating: 0, count: rank)
        for (k, p) in perm.enumerated() { inverse[p] = k }
        let outStrides = Shape.strides(outShape)
        let inShape = shape
        return Tensor(shape: outShape, storage: values, op: "permute", parents: [self]) { [self] g in
            let back = Tensor.stridedCopy(g, outShape: inShape, srcStrides: inverse.map { outStrides[$0] })
            self.accumulateGrad(back)
        }
    }

    /// Swaps two dimensions (a `permuted` copy).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        var perm = Array(0..<rank)
        perm.swapAt(Shape.normalize(axis: axis0, rank: rank, "transposed"), Shape.normalize(axis: axis1, rank: rank, "transposed"))
        return permuted(perm)
    }

    /// Swaps the last two dimensions: `(…, M, N) → (…, N, M)`. For a product prefer
    /// `matmul(_:transposeA:transposeB:)`, which needs no copy.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: need at least 2 dimensions, shape is \(shape)")
        return transposed(rank - 2, rank - 1)
    }

    // MARK: - Slice and concatenate

    /// The elements with index in `range` along `axis` (`x[…, range, …]`), copied.
    /// `(…, d, …) → (…, range.count, …)`. Backward: the gradient added into that range. O(output).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "slice")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        precondition(range.lowerBound >= 0 && range.upperBound <= n, "slice: range \(range) outside 0..<\(n) on axis \(ax) of \(shape)")
        let m = range.count, lo = range.lowerBound
        var outShape = shape; outShape[ax] = m
        var values = [Scalar](repeating: 0, count: outer * m * inner)
        storage.withUnsafeBufferPointer { px in
            values.withUnsafeMutableBufferPointer { py in
                for o in 0..<outer {
                    (py.baseAddress! + o * m * inner).update(from: px.baseAddress! + (o * n + lo) * inner, count: m * inner)
                }
            }
        }
        return Tensor(shape: outShape, storage: values, op: "slice", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for o in 0..<outer {
                    Scalar.axpy(n: m * inner, alpha: 1, x: g.baseAddress! + o * m * inner, incx: 1,
                                y: d.baseAddress! + (o * n + lo) * inner, incy: 1)
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    /// `[(…, d₁, …), (…, d₂, …), …] → (…, Σ dᵢ, …)`. Backward: each input gets its slice. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let ax = Shape.normalize(axis: axis, rank: first.rank, "concatenate")
        for t in tensors {
            var a = t.shape, b = first.shape
            precondition(a.count == b.count, "concatenate: ranks differ: \(t.shape) vs \(first.shape)")
            a[ax] = 0; b[ax] = 0
            precondition(a == b, "concatenate: shapes \(t.shape) and \(first.shape) differ outside axis \(ax)")
        }
        let (outer, _, inner) = Shape.split(first.shape, at: ax)
        let sizes = tensors.map { $0.shape[ax] }
        let total = sizes.reduce(0, +)
        var outShape = first.shape; outShape[ax] = total
        var values = [Scalar](repeating: 0, count: outer * total * inner)
        values.withUnsafeMutableBufferPointer { py in
            var start = 0
            for (t, m) in zip(tensors, sizes) {
                t.storage.withUnsafeBufferPointer { px in
                    for o in 0..<outer {
                        (py.baseAddress! + (o * total + start) * inner).update(from: px.baseAddress! + o * m * inner, count: m * inner)
                    }
                }
                start += m
            }
        }
        return Tensor(shape: outShape, storage: values, op: "concatenate", parents: tensors) { g in
            var start = 0
            for (t, m) in zip(tensors, sizes) {
                let s = start
                t.withGradBuffer { d in
                    for o in 0..<outer {
                        Scalar.axpy(n: m * inner, alpha: 1, x: g.baseAddress! + (o * total + s) * inner, incx: 1,
                                    y: d.baseAddress! + o * m * inner, incy: 1)
                    }
                }
                start += m
            }
        }
    }

    /// Stacks equal-shape tensors along a new dimension `axis`: `k × (…) → (…, k, …)`.
    /// Composed of `unsqueezed` and `concatenate`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors")
        for t in tensors { precondition(t.shape == tensors[0].shape, "stack: shapes \(t.shape) and \(tensors[0].shape) differ") }
        return concatenate(tensors.map { $0.unsqueezed(at: axis) }, alongAxis: axis)
    }

    // MARK: - Gather

    /// Embedding lookup: rows of this `(V, D…)` tensor picked by `indices`, with the index tensor's
    /// shape in front: `indices (I…)` → `(I…, D…)`. `indexShape` defaults to `[indices.count]`.
    ///
    /// Backward: each picked row's gradient is added back into its row (repeats accumulate). O(output).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        precondition(rank >= 1, "gatherRows: need at least a 1-D tensor")
        let ishape = indexShape ?? [indices.count]
        precondition(ishape.reduce(1, *) == indices.count, "gatherRows: index shape \(ishape) does not hold \(indices.count) indices")
        let v = shape[0], d = count / Swift.max(v, 1)
        for i in indices { precondition(i >= 0 && i < v, "gatherRows: index \(i) outside 0..<\(v)") }
        var values = [Scalar](repeating: 0, count: indices.count * d)
        storage.withUnsafeBufferPointer { px in
            values.withUnsafeMutableBufferPointer { py in
                for (r, i) in indices.enumerated() {
                    (py.baseAddress! + r * d).update(from: px.baseAddress! + i * d, count: d)
                }
            }
        }
        return Tensor(shape: ishape + shape.dropFirst(), storage: values, op: "gatherRows", parents: [self]) { [self] g in
            self.withGradBuffer { dst in
                for (r, i) in indices.enumerated() {
                    Scalar.axpy(n: d, alpha: 1, x: g.baseAddress! + r * d, incx: 1, y: dst.baseAddress! + i * d, incy: 1)
                }
            }
        }
    }

    /// `torch.gather`: `out[o, j, i] = x[o, indices[o, j, i], i]` in the `(outer, ·, inner)` view of
    /// `axis`. `indices` is row-major with this tensor's shape except `k` entries along `axis`;
    /// the result has that shape. With `k = 1` along the class axis it picks one logit per row
    /// (cross-entropy). Backward: scatter-add into the picked positions. O(output).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gather(alongAxis axis: Int, indices: [Int]) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "gather")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        precondition(outer * inner > 0 && indices.count % (outer * inner) == 0,
                     "gather: \(indices.count) indices do not fit shape \(shape) with axis \(ax) resized")
        let k = indices.count / (outer * inner)
        for i in indices { precondition(i >= 0 && i < n, "gather: index \(i) outside 0..<\(n) on axis \(ax)") }
        var outShape = shape; outShape[ax] = k
        var values = [Scalar](repeating: 0, count: indices.count)
        storage.withUnsafeBufferPointer { px in
            for o in 0..<outer { for j in 0..<k { for i in 0..<inner {
                let q = (o * k + j) * inner + i
                values[q] = px[(o * n + indices[q]) * inner + i]
            } } }
        }
        return Tensor(shape: outShape, storage: values, op: "gather", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for o in 0..<outer { for j in 0..<k { for i in 0..<inner {
                    let q = (o * k + j) * inner + i
                    d[(o * n + indices[q]) * inner + i] += g[q]
                } } }
            }
        }
    }
}
