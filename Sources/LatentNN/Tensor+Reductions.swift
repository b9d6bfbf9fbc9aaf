import LatentCore

/// Reductions along axes (sum, mean, max, min, argmax) and softmax / log-softmax.
///
/// Axes may be negative (counted from the end). With `keepDims` the reduced dimensions stay as
/// size 1 (so the result broadcasts against the input), otherwise they are removed.
extension Tensor {
    // MARK: - Sum and mean

    /// The shape with `axes` set to 1, and the shape with them removed.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func reducedShapes(_ axes: [Int], _ context: String) -> (keep: [Int], drop: [Int], axes: Set<Int>) {
        let set = Set(axes.map { Shape.normalize(axis: $0, rank: rank, context) })
        precondition(set.count == axes.count, "\(context): repeated axis in \(axes)")
        var keep = shape, drop: [Int] = []
        for k in 0..<rank {
            if set.contains(k) { keep[k] = 1 } else { drop.append(shape[k]) }
        }
        return (keep, drop, set)
    }

    /// `scale · Σ` over `axes`; backward broadcasts `scale · g` back over the reduced axes.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func scaledSum(_ axes: [Int], keepDims: Bool, scale: Scalar, op: String) -> Tensor {
        let (keep, drop, _) = reducedShapes(axes, op)
        var values = storage.withUnsafeBufferPointer { Tensor.sumToShape($0, from: shape, to: keep) }
        if scale != 1 { for i in values.indices { values[i] *= scale } }
        let inShape = shape
        return Tensor(shape: keepDims ? keep : drop, storage: values, op: op, parents: [self]) { [self] g in
            var expanded = Tensor.expand(g, from: keep, to: inShape)
            if scale != 1 { for i in expanded.indices { expanded[i] *= scale } }
            self.accumulateGrad(expanded)
        }
    }

    /// The sum of all elements, a 0-D tensor. Backward: `g` broadcast to every element. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sum() -> Tensor { scaledSum(Array(0..<rank), keepDims: false, scale: 1, op: "sum") }

    /// Sums over `axes`. `(…, d_axis, …) → (…, [1,] …)`. Backward: `g` broadcast back. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sum(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        scaledSum(axes, keepDims: keepDims, scale: 1, op: "sum")
    }

    /// Sums over one axis. `(…, d_axis, …) → (…, [1,] …)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sum(alongAxis axis: Int, keepDims: Bool = false) -> Tensor { sum(alongAxes: [axis], keepDims: keepDims) }

    /// The mean of all elements, a 0-D tensor. Backward: `g / n` to every element. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func mean() -> Tensor {
        precondition(count > 0, "mean: empty tensor")
        return scaledSum(Array(0..<rank), keepDims: false, scale: 1 / Scalar(count), op: "mean")
    }

    /// Means over `axes`. `(…, d_axis, …) → (…, [1,] …)`. Backward: `g / Π d_axis` broadcast back.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func mean(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = axes.map { shape[Shape.normalize(axis: $0, rank: rank, "mean")] }.reduce(1, *)
        precondition(n > 0, "mean: reducing over an empty axis of \(shape)")
        return scaledSum(axes, keepDims: keepDims, scale: 1 / Scalar(n), op: "mean")
    }

    /// Means over one axis. `(…, d_axis, …) → (…, [1,] …)`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func mean(alongAxis axis: Int, keepDims: Bool = false) -> Tensor { mean(alongAxes: [axis], keepDims: keepDims) }

    /// The biased variance `mean((x − mean(x))²)` over `axes` (divides by the count, like
    /// `torch.var(unbiased=False)`); composed of primitives.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func variance(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let centred = self - mean(alongAxes: axes, keepDims: true)
        return (centred * centred).mean(alongAxes: axes, keepDims: keepDims)
    }

    // MARK: - Max and min

    /// The maximum over one axis, and the index of the first maximum in each lane.
    /// `(…, d_axis, …) → (…, [1,] …)`. Backward: `g` to the maximum's position only. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func max(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "max")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        precondition(n > 0, "max: empty axis \(ax) in \(shape)")
        let (values, index) = argmaxLanes(outer: outer, n: n, inner: inner)
        var outShape = shape
        if keepDims { outShape[ax] = 1 } else { outShape.remove(at: ax) }
        return Tensor(shape: outShape, storage: values, op: "max", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let lane = o * inner + i
                        d[(o * n + index[lane]) * inner + i] += g[lane]
                    }
                }
            }
        }
    }

    /// The maximum over several axes (one axis after another). `keepDims` as for `sum`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func max(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
        let (keep, drop, set) = reducedShapes(axes, "max")
        var t = self
        for ax in set.sorted() { t = t.max(alongAxis: ax, keepDims: true) }
        return t.reshaped(keepDims ? keep : drop)
    }

    /// The largest element, a 0-D tensor. Backward: `g` to the first maximum.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func max() -> Tensor { reshaped([count]).max(alongAxis: 0) }

    /// The minimum over one axis (`−max(−x)`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func min(alongAxis axis: Int, keepDims: Bool = false) -> Tensor {
        -((-self).max(alongAxis: axis, keepDims: keepDims))
    }

    /// The smallest element, a 0-D tensor.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func min() -> Tensor { -((-self).max()) }

    /// The index of the (first) largest element along `axis`, with that axis removed — for
    /// accuracy and decoding; not differentiable. Returned row-major, shape `shape` without `axis`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func argmax(alongAxis axis: Int) -> [Int] {
        let ax = Shape.normalize(axis: axis, rank: rank, "argmax")
        let (outer, n, inner) = Shape.split(shape, at: ax)
        precondition(n > 0, "argmax: empty axis \(ax) in \(shape)")
        return argmaxLanes(outer: outer, n: n, inner: inner).index
    }

    /// Maximum and argmax of each lane `(o, ·, i)` of the `(outer, n, inner)` view.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func argmaxLanes(outer: Int, n: Int, inner: Int) -> (values: [Scalar], index: [Int]) {
        var values = [Scalar](repeating: -.infinity, count: outer * inner)
        var index = [Int](repeating: 0, count: outer * inner)
        storage.withUnsafeBufferPointer { px in
            let x = px.baseAddress!
            for o in 0..<outer {
                for j in 0..<n {
                    let row = x + (o * n + j) * inner
                    for i in 0..<inner {
                        let lane = o * inner + i
                        // `>` keeps the first maximum; NaN propagates as in PyTorch.
                        if j == 0 || row[i] > values[lane] || row[i].isNaN && !values[lane].isNaN {
                            values[lane] = row[i]; index[lane] = j
                        }
                    }
                }
            }
        }
        return (values, index)
    }

    // MARK: - Softmax

    /// Calls `body(lane base pointer offset, stride)` for every lane of `axis` in parallel.
    /// When `axis` is the last one, `stride` is 1 and lanes are contiguous rows.
    @inline(__always)
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func forEachLane(axis ax: Int, _ body: (_ offset: Int, _ stride: Int, _ n: Int) -> Void) {
        let (outer, n, inner) = Shape.split(shape, at: ax)
        Parallel.forEachChunk(count: outer * inner, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, n))) { lanes in
            if inner == 1 {
                for lane in lanes { body(lane * n, 1, n) }
            } else {
                for lane in lanes {
                    let o = lane / inner, i = lane % inner
                    body(o * n * inner + i, inner, n)
                }
            }
        }
    }

    /// `softmax(x)ᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x)` along `axis` (the shift by the lane maximum
    /// avoids overflow). Same shape as the input. Backward: `y ⊙ (g − Σ g⊙y)`. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "softmax")
        var out = [Scalar].uninitialized(count: count)     // every lane written below
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { py in
                let x = px.baseAddress!, y = py.baseAddress!
                forEachLane(axis: ax) { off, st, n in
                    let m = laneMax(x + off, n, st)
                    for j in 0..<n { y[off + j * st] = fastExp(x[off + j * st] - m) }
                    let r = 1 / laneSum(y + off, n, st)
                    for j in 0..<n { y[off + j * st] *= r }
                }
            }
        }
        return Tensor(shape: shape, storage: out, op: "softmax", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                out.withUnsafeBufferPointer { py in
                    let y = py.baseAddress!, gp = g.baseAddress!, dp = d.baseAddress!
                    self.forEachLane(axis: ax) { off, st, n in
                        let s = laneDot(gp + off, y + off, n, st)
                        for j in 0..<n { dp[off + j * st] += y[off + j * st] * (gp[off + j * st] - s) }
                    }
                }
            }
        }
    }

    /// `log softmax(x)ᵢ = xᵢ − max x − log Σⱼ e^(xⱼ − max x)` along `axis`, stable for any inputs.
    /// Same shape as the input. Backward: `g − softmax(x) · Σ g`. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        let ax = Shape.normalize(axis: axis, rank: rank, "logSoftmax")
        var out = [Scalar].uninitialized(count: count)     // every lane written below
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { py in
                let x = px.baseAddress!, y = py.baseAddress!
                forEachLane(axis: ax) { off, st, n in
                    let m = laneMax(x + off, n, st)
                    for j in 0..<n { y[off + j * st] = fastExp(x[off + j * st] - m) }   // scratch
                    let lse = m + Scalar.log(laneSum(y + off, n, st))
                    for j in 0..<n { y[off + j * st] = x[off + j * st] - lse }
                }
            }
        }
        return Tensor(shape: shape, storage: out, op: "logSoftmax", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                out.withUnsafeBufferPointer { py in
                    let y = py.baseAddress!, gp = g.baseAddress!, dp = d.baseAddress!
                    self.forEachLane(axis: ax) { off, st, n in
                        let s = laneSum(gp + off, n, st)
                        for j in 0..<n { dp[off + j * st] += gp[off + j * st] - fastExp(y[off + j * st]) * s }
                    }
                }
            }
        }
    }

    /// `log Σ eˣ` along `axis`, computed stably (composed: `max + log Σ e^(x − max)` with the max
    /// detached, which leaves the gradient exact: `softmax(x) ⊙ g`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func logSumExp(alongAxis axis: Int = -1, keepDims: Bool = false) -> Tensor {
        let m = max(alongAxis: axis, keepDims: true).detach()
        let lse = (self - m).exp().sum(alongAxis: axis, keepDims: true).log() + m
        if keepDims { return lse }
        let ax = Shape.normalize(axis: axis, rank: rank, "logSumExp")
        var s = shape; s.remove(at: ax)
        return lse.reshaped(s)
    }
}
