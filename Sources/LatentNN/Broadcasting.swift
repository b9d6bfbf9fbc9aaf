import LatentCore

/// NumPy broadcasting: shapes are aligned at their last dimension; a dimension of size 1 (or a
/// missing leading one) stretches to match the other shape, any other mismatch is an error.
public enum Broadcasting {
    /// The broadcast shape of `a` and `b`, e.g. `(4, 1, 3)` and `(5, 1)` → `(4, 5, 3)`.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int] {
        let n = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for k in 0..<n {
            let da = k < n - a.count ? 1 : a[k - (n - a.count)]
            let db = k < n - b.count ? 1 : b[k - (n - b.count)]
            precondition(da == db || da == 1 || db == 1, "broadcast: shapes \(a) and \(b) are incompatible (dimension \(k): \(da) vs \(db))")
            out[k] = da == 1 ? db : da
        }
        return out
    }

    /// Whether `shape` broadcasts to `target` (used by `broadcast(to:)` and the reductions).
    public static func canBroadcast(_ shape: [Int], to target: [Int]) -> Bool {
        guard shape.count <= target.count else { return false }
        let pad = target.count - shape.count
        for k in 0..<shape.count where shape[k] != 1 && shape[k] != target[k + pad] { return false }
        return true
    }
}

/// How two operands broadcast to an output: the output's dimensions with runs that are contiguous
/// in every operand merged, and each operand's stride per merged dimension (0 where broadcast).
///
/// Kernels walk the output in rows of `inner` elements: `forEachRow` hands out the offsets of the
/// row start in the output and in both operands; inside a row operand `a` moves by `innerStrideA`
/// (0 or 1) and `b` by `innerStrideB`.
@usableFromInline
struct BroadcastPlan {
    @usableFromInline let outer: [Int]      // merged dimensions except the last
    @usableFromInline let outerStrideA: [Int]
    @usableFromInline let outerStrideB: [Int]
    @usableFromInline let inner: Int
    @usableFromInline let innerStrideA: Int
    @usableFromInline let innerStrideB: Int
    /// Number of rows (`outer.reduce(1, *)`).
    @usableFromInline let rows: Int

    /// A plan for operands of shapes `a` and `b` broadcast to `out` (both must broadcast to it).
    @usableFromInline
    init(out: [Int], a: [Int], b: [Int]) {
        let n = out.count
        func paddedStrides(_ s: [Int]) -> [Int] {
            let pad = n - s.count
            let st = Shape.strides(s)
            return (0..<n).map { k in k < pad || s[k - pad] == 1 ? 0 : st[k - pad] }
        }
        self.init(out: out, strideA: paddedStrides(a), strideB: paddedStrides(b))
    }

    /// A plan for walking `out` in row-major order while two operands move by the given
    /// per-dimension strides (any strides: broadcast, permuted, …).
    @usableFromInline
    init(out: [Int], strideA sa: [Int], strideB sb: [Int]) {
        let n = out.count
        var dims: [Int] = [], da: [Int] = [], db: [Int] = []
        for k in 0..<n where out[k] != 1 {
            if let last = dims.last, da.last! == sa[k] * out[k], db.last! == sb[k] * out[k] {
                dims[dims.count - 1] = last * out[k]
                da[da.count - 1] = sa[k]
                db[db.count - 1] = sb[k]
            } else {
                dims.append(out[k]); da.append(sa[k]); db.append(sb[k])
            }
        }
        if dims.isEmpty { dims = [1]; da = [0]; db = [0] }
        inner = dims.removeLast()
        innerStrideA = da.removeLast()
        innerStrideB = db.removeLast()
        outer = dims; outerStrideA = da; outerStrideB = db
        rows = dims.reduce(1, *)
    }

    /// Calls `body(outOffset, aOffset, bOffset)` for the rows `range` in order.
    @inlinable
    func forEachRow(in range: Range<Int>, _ body: (Int, Int, Int) -> Void) {
        guard !range.isEmpty else { return }
        let d = outer.count
        if d == 0 {
            body(0, 0, 0)
            return
        }
        // Decompose the first row index into an odometer.
        var index = [Int](repeating: 0, count: d)
        var rest = range.lowerBound, oa = 0, ob = 0
        for k in stride(from: d - 1, through: 0, by: -1) {
            index[k] = rest % outer[k]
            rest /= outer[k]
            oa += index[k] * outerStrideA[k]
            ob += index[k] * outerStrideB[k]
        }
        for r in range {
            body(r * inner, oa, ob)
            var k = d - 1
            while k >= 0 {
                index[k] += 1
                oa += outerStrideA[k]; ob += outerStrideB[k]
                if index[k] < outer[k] { break }
                oa -= outerStrideA[k] * outer[k]; ob -= outerStrideB[k] * outer[k]
                index[k] = 0
                k -= 1
            }
        }
    }
}

extension Tensor {
    /// `f(a, b)` elementwise with broadcasting, into a new array of the broadcast shape.
    /// Same-shape operands take a flat loop; large outputs are split across threads.
    @inlinable @inline(__always)
    static func broadcastMap<F: BinaryElementwiseFunction>(_ a: Tensor, _ b: Tensor, _ f: F) -> (shape: [Int], values: [Scalar])
    where F.Scalar == Scalar {
        if a.shape == b.shape {
            let n = a.count
            let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
                a.storage.withUnsafeBufferPointer { pa in
                    b.storage.withUnsafeBufferPointer { pb in
                        let o = buf.baseAddress!, x = pa.baseAddress!, y = pb.baseAddress!
                        Parallel.forEachChunk(count: n) { range in
                            for i in range { (o + i).initialize(to: f(x[i], y[i])) }
                        }
                    }
                }
                initialized = n
            }
            return (a.shape, out)
        }
        let shape = Broadcasting.shape(a.shape, b.shape)
        let plan = BroadcastPlan(out: shape, a: a.shape, b: b.shape)
        let n = shape.reduce(1, *)
        let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    let o = buf.baseAddress!, x = pa.baseAddress!, y = pb.baseAddress!
                    let m = plan.inner, ia = plan.innerStrideA, ib = plan.innerStrideB
                    Parallel.forEachChunk(count: plan.rows, minimumPerThread: Swift.max(1, (1 << 16) / Swift.max(1, m))) { rows in
                        plan.forEachRow(in: rows) { oo, oa, ob in
                            for i in 0..<m { (o + oo + i).initialize(to: f(x[oa + i * ia], y[ob + i * ib])) }
                        }
                    }
                }
            }
            initialized = n
        }
        return (shape, out)
    }

    /// Sums `g` (laid out as `from`) over the dimensions where `to` is broadcast, giving an array
    /// laid out as `to` — the backward of broadcasting `to` up to `from`.
    @usableFromInline
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func sumToShape(_ g: UnsafeBufferPointer<Scalar>, from: [Int], to: [Int]) -> [Scalar] {
        if from == to { return Array(g) }
        precondition(Broadcasting.canBroadcast(to, to: from), "sumToShape: \(to) does not broadcast to \(from)")
        var out = [Scalar](repeating: 0, count: to.reduce(1, *))
        let plan = BroadcastPlan(out: from, a: from, b: to)
        out.withUnsafeMutableBufferPointer { po in
            let o = po.baseAddress!, x = g.baseAddress!
            let m = plan.inner
            if plan.innerStrideB == 0 {
                plan.forEachRow(in: 0..<plan.rows) { oo, _, ob in
                    var s: Scalar = 0
                    for i in 0..<m { s += x[oo + i] }
                    o[ob] += s
                }
            } else {
                plan.forEachRow(in: 0..<plan.rows) { oo, _, ob in
                    for i in 0..<m { o[ob + i] += x[oo + i] }
                }
            }
        }
        return out
    }

    /// Adds `g` (laid out as `from`) into this tensor's gradient, summing over broadcast dimensions.
    @usableFromInline
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func accumulateBroadcastGrad(_ g: UnsafeBufferPointer<Scalar>, from: [Int]) {
        guard requiresGrad else { return }
        if from == shape {
            addToGrad(g)
        } else {
            accumulateGrad(Tensor.sumToShape(g, from: from, to: shape))
        }
    }

    /// `values` (laid out as `from`) repeated along the dimensions where `from` broadcasts to `to`.
    @usableFromInline
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func expand(_ values: UnsafeBufferPointer<Scalar>, from: [Int], to: [Int]) -> [Scalar] {
        if from == to { return Array(values) }
        precondition(Broadcasting.canBroadcast(from, to: to), "broadcast: \(from) does not broadcast to \(to)")
        let n = to.reduce(1, *)
        let plan = BroadcastPlan(out: to, a: from, b: from)
        return [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            let o = buf.baseAddress!, x = values.baseAddress!
            let m = plan.inner, ia = plan.innerStrideA
            Parallel.forEachChunk(count: plan.rows, minimumPerThread: Swift.max(1, (1 << 16) / Swift.max(1, m))) { rows in
                plan.forEachRow(in: rows) { oo, oa, _ in
                    for i in 0..<m { (o + oo + i).initialize(to: x[oa + i * ia]) }
                }
            }
            initialized = n
        }
    }

    /// This tensor repeated along broadcast dimensions to `shape` (NumPy `broadcast_to`, copied).
    ///
    /// Backward: the gradient summed back over the broadcast dimensions. `(…) → shape`
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let values = storage.withUnsafeBufferPointer { Tensor.expand($0, from: self.shape, to: shape) }
        return Tensor(shape: shape, storage: values, op: "broadcast", parents: [self]) { [self] g in
            self.accumulateBroadcastGrad(g, from: shape)
        }
    }

    /// Sums this tensor down to `shape` over the dimensions where `shape` broadcasts to it
    /// (the adjoint of `broadcast(to:)`). `(…) → shape`
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sum(toShape shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let values = storage.withUnsafeBufferPointer { Tensor.sumToShape($0, from: self.shape, to: shape) }
        let outShape = self.shape
        return Tensor(shape: shape, storage: values, op: "sumToShape", parents: [self]) { [self] g in
            let expanded = Tensor.expand(g, from: shape, to: outShape)
            expanded.withUnsafeBufferPointer { self.accumulateBroadcastGrad($0, from: outShape) }
        }
    }
}
