import LatentCore

/// Which attention scores are hidden, for `Tensor.attention`. Hidden scores are *replaced* by
/// −10⁹ before the softmax (as `masked_fill`), so a query whose keys are all hidden attends
/// uniformly instead of producing NaN; an additive mask is added to the scores instead.
public struct AttentionMask<Scalar: BLASScalar> {
    /// Query `i` sees key `j` only when `j ≤ i + causalOffset` (`nil`: no causal mask). The offset
    /// is the number of keys before the first query: 0 for self-attention, the cached length when
    /// decoding with a KV cache.
    public var causalOffset: Int?
    /// `keyLengths[b]`: sequence `b` has that many real keys; later keys (padding) are hidden.
    public var keyLengths: [Int]?
    /// `keyPadding[b][j] == true` hides key `j` of sequence `b` (any pattern, not only a suffix).
    public var keyPadding: [[Bool]]?
    /// Added to the scaled scores; shape broadcasts to `(B, heads, T_q, T_k)` (e.g. `(T_q, T_k)`,
    /// `(B, 1, 1, T_k)`). No gradient flows into it. Use −∞ or a large negative value to hide.
    public var additive: Tensor<Scalar>?

    public init(causalOffset: Int? = nil, keyLengths: [Int]? = nil, keyPadding: [[Bool]]? = nil,
                additive: Tensor<Scalar>? = nil) {
        self.causalOffset = causalOffset
        self.keyLengths = keyLengths
        self.keyPadding = keyPadding
        self.additive = additive
    }

    /// No mask.
    public static var none: AttentionMask { AttentionMask() }
}

extension Tensor {
    /// Multi-head scaled dot-product attention (Vaswani et al. 2017, §3.2) as one fused operation:
    /// for every sequence `b` and head `h`, `softmax(Q_bh·K_bhᵀ/√d_head + mask)·V_bh`, where head
    /// `h` is the column block `h·d_head ..< (h+1)·d_head` of the inputs.
    ///
    /// Shapes (`C = heads·d_head`): `query (B, T_q, C)`, `key` and `value (B, T_k, C)` → `(B, T_q, C)`.
    /// Keys and values may come from another sequence than the queries (cross-attention).
    ///
    /// How: heads are read in place through the leading dimension `C` of each GEMM (no per-head
    /// copies or permutes); one `(T_q × T_k)` score block per (sequence, head) is scaled, masked and
    /// soft-maxed in one pass; the (sequence, head) pairs run in parallel, each GEMM single-threaded.
    /// With `dropout > 0` each attention probability is zeroed with that probability and the rest
    /// scaled by `1/(1 − p)` (`DropoutMask`, drawn from `generator`, so reproducible).
    ///
    /// Backward, with `P` the probabilities, `D` the dropout mask, `G` the output gradient:
    /// `∂V = (P⊙D)ᵀ·G`, `∂P = (G·Vᵀ)⊙D`, `∂S = P⊙(∂P − rowsum(∂P⊙P))/√d_head` (0 where a score
    /// was replaced by the mask), `∂Q = ∂S·K`, `∂K = ∂Sᵀ·Q`.
    /// - Complexity: O(B·T_q·T_k·C) in GEMMs; keeps `B·heads·T_q·T_k` probabilities for backward.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int,
                                 mask: AttentionMask<Scalar> = .none, dropout: Double = 0,
                                 generator: inout Xoshiro256StarStar) -> Tensor {
        precondition(query.rank == 3 && key.rank == 3 && value.rank == 3,
                     "attention: query, key, value must be (B, T, C), got \(query.shape), \(key.shape), \(value.shape)")
        let (B, Tq, C) = (query.shape[0], query.shape[1], query.shape[2])
        let Tk = key.shape[1]
        precondition(key.shape == [B, Tk, C] && value.shape == key.shape,
                     "attention: key \(key.shape) and value \(value.shape) must be (\(B), T_k, \(C)) for query \(query.shape)")
        precondition(heads > 0 && C % heads == 0, "attention: width \(C) not divisible by \(heads) heads")
        precondition(dropout >= 0 && dropout < 1, "attention: dropout \(dropout) outside [0, 1)")
        if let lengths = mask.keyLengths {
            precondition(lengths.count == B && lengths.allSatisfy { $0 >= 0 && $0 <= Tk },
                         "attention: key lengths \(lengths) must be \(B) values in 0...\(Tk)")
        }
        if let padding = mask.keyPadding {
            precondition(padding.count == B && padding.allSatisfy { $0.count == Tk },
                         "attention: key padding mask must be \(B) × \(Tk)")
        }
        let hs = C / heads, pairs = B * heads, block = Tq * Tk
        let scale = 1 / Scalar(Double(hs).squareRoot())
        // (sequence, head) pairs per thread: at least 2¹⁶ multiply-adds of one score GEMM in all.
        let minimum = Swift.max(1, (1 << 16) / Swift.max(1, block * hs))
        // Additive mask: per-dimension strides over (B, heads, T_q, T_k), 0 where broadcast.
        var addStrides = [0, 0, 0, 0]
        if let add = mask.additive {
            let target = [B, heads, Tq, Tk]
            precondition(Broadcasting.canBroadcast(add.shape, to: target), "attention: additive mask \(add.shape) does not broadcast to \(target)")
            let pad = 4 - add.rank, st = add.strides
            for k in 0..<add.rank where add.shape[k] != 1 { addStrides[k + pad] = st[k] }
        }
        let dropMask: [Scalar]? = dropout > 0 ? DropoutMask.draw(count: pairs * block, probability: dropout, generator: &generator) : nil
        let hidden = AttentionHiding(mask, batch: B, heads: heads, keys: Tk)

        // P (B, heads, T_q, T_k): scores, then probabilities in place.
        let probabilities = [Scalar](unsafeUninitializedCapacity: pairs * block) { pBuf, initialized in
            query.storage.withUnsafeBufferPointer { pq in
                key.storage.withUnsafeBufferPointer { pk in
                    withOptionalPointers(mask.additive?.storage, nil) { addp, _ in
                        let P = pBuf.baseAddress!, q = pq.baseAddress!, k = pk.baseAddress!
                        Parallel.forEachChunk(count: pairs, minimumPerThread: minimum) { range in
                            for pair in range {
                                let b = pair / heads, h = pair % heads, S = P + pair * block
                                Scalar.gemm(transposeA: false, transposeB: true, m: Tq, n: Tk, k: hs, alpha: scale,
                                            a: q + b * Tq * C + h * hs, lda: C, b: k + b * Tk * C + h * hs, ldb: C,
                                            beta: 0, c: S, ldc: Tk)
                                for i in 0..<Tq {
                                    let row = S + i * Tk
                                    if let addp {
                                        let base = b * addStrides[0] + h * addStrides[1] + i * addStrides[2]
                                        for j in 0..<Tk { row[j] += addp[base + j * addStrides[3]] }
                                    }
                                    hidden.forEachHiddenKey(pair: pair, query: i) { row[$0] = -1e9 }
                                    let m = laneMax(row, Tk, 1)
                                    for j in 0..<Tk { row[j] = fastExp(row[j] - m) }
                                    let r = 1 / laneSum(row, Tk, 1)
                                    for j in 0..<Tk { row[j] *= r }
                                }
                            }
                        }
                    }
                }
            }
            initialized = pairs * block
        }
        // P⊙D, what multiplies V (P itself without dropout).
        let kept: [Scalar] = dropMask.map { d in
            Tensor.broadcastMap(Tensor(shape: [pairs * block], storage: probabilities), Tensor(shape: [pairs * block], storage: d), MultiplyFunction()).values
        } ?? probabilities
        let out = [Scalar](unsafeUninitializedCapacity: B * Tq * C) { oBuf, initialized in
            kept.withUnsafeBufferPointer { pp in
                value.storage.withUnsafeBufferPointer { pv in
                    let P = pp.baseAddress!, v = pv.baseAddress!, o = oBuf.baseAddress!
                    Parallel.forEachChunk(count: pairs, minimumPerThread: minimum) { range in
                        for pair in range {
                            let b = pair / heads, h = pair % heads
                            Scalar.gemm(transposeA: false, transposeB: false, m: Tq, n: hs, k: Tk, alpha: 1,
                                        a: P + pair * block, lda: Tk, b: v + b * Tk * C + h * hs, ldb: C,
                                        beta: 0, c: o + b * Tq * C + h * hs, ldc: C)
                        }
                    }
                }
            }
            initialized = B * Tq * C
        }
        return Tensor(shape: [B, Tq, C], storage: out, op: "attention", parents: [query, key, value]) { g in
            let gp = g.baseAddress!
            // ∂V_bh += (P⊙D)ᵀ · G_bh
            value.withGradBuffer { dv in
                kept.withUnsafeBufferPointer { pp in
                    let P = pp.baseAddress!, d = dv.baseAddress!
                    Parallel.forEachChunk(count: pairs, minimumPerThread: minimum) { range in
                        for pair in range {
                            let b = pair / heads, h = pair % heads
                            Scalar.gemm(transposeA: true, transposeB: false, m: Tk, n: hs, k: Tq, alpha: 1,
                                        a: P + pair * block, lda: Tk, b: gp + b * Tq * C + h * hs, ldb: C,
                                        beta: 1, c: d + b * Tk * C + h * hs, ldc: C)
                        }
                    }
                }
            }
            guard query.requiresGrad || key.requiresGrad else { return }
            // ∂S (B, heads, T_q, T_k), already scaled by 1/√d_head.
            let dS = [Scalar](unsafeUninitializedCapacity: pairs * block) { sBuf, initialized in
                probabilities.withUnsafeBufferPointer { pp in
                    value.storage.withUnsafeBufferPointer { pv in
                        withOptionalPointers(dropMask, nil) { dm, _ in
                            let P = pp.baseAddress!, v = pv.baseAddress!, s = sBuf.baseAddress!
                            Parallel.forEachChunk(count: pairs, minimumPerThread: minimum) { range in
                                for pair in range {
                                    let b = pair / heads, h = pair % heads, dP = s + pair * block, Pb = P + pair * block
                                    Scalar.gemm(transposeA: false, transposeB: true, m: Tq, n: Tk, k: hs, alpha: 1,
                                                a: gp + b * Tq * C + h * hs, lda: C, b: v + b * Tk * C + h * hs, ldb: C,
                                                beta: 0, c: dP, ldc: Tk)
                                    if let dm { for j in 0..<block { dP[j] *= dm[pair * block + j] } }
                                    for i in 0..<Tq {
                                        let row = dP + i * Tk, p = Pb + i * Tk
                                        let dot = laneDot(row, p, Tk, 1)
                                        for j in 0..<Tk { row[j] = p[j] * (row[j] - dot) * scale }
                                        hidden.forEachHiddenKey(pair: pair, query: i) { row[$0] = 0 }
                                    }
                                }
                            }
                        }
                    }
                }
                initialized = pairs * block
            }
            // ∂Q_bh += ∂S · K_bh, ∂K_bh += ∂Sᵀ · Q_bh (separate passes: query and key may be one tensor).
            dS.withUnsafeBufferPointer { ps in
                let s = ps.baseAddress!
                query.withGradBuffer { dq in
                    key.storage.withUnsafeBufferPointer { pk in
                        let d = dq.baseAddress!, k = pk.baseAddress!
                        Parallel.forEachChunk(count: pairs, minimumPerThread: minimum) { range in
                            for pair in range {
                                let b = pair / heads, h = pair % heads
                                Scalar.gemm(transposeA: false, transposeB: false, m: Tq, n: hs, k: Tk, alpha: 1,
                                            a: s + pair * block, lda: Tk, b: k + b * Tk * C + h * hs, ldb: C,
                                            beta: 1, c: d + b * Tq * C + h * hs, ldc: C)
                            }
                        }
                    }
                }
                key.withGradBuffer { dk in
                    query.storage.withUnsafeBufferPointer { pq in
                        let d = dk.baseAddress!, q = pq.baseAddress!
                        Parallel.forEachChunk(count: pairs, minimumPerThread: minimum) { range in
                            for pair in range {
                                let b = pair / heads, h = pair % heads
                                Scalar.gemm(transposeA: true, transposeB: false, m: Tk, n: hs, k: Tq, alpha: 1,
                                            a: s + pair * block, lda: Tk, b: q + b * Tq * C + h * hs, ldb: C,
                                            beta: 1, c: d + b * Tk * C + h * hs, ldc: C)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The keys hidden from a query by the causal, length and padding masks of an `AttentionMask`.
struct AttentionHiding {
    let causalOffset: Int?
    /// Per sequence, the number of keys before the hidden suffix (lengths).
    let lengths: [Int]?
    /// `B·T_k` flags, `true` for a hidden key.
    let padding: [Bool]?
    let heads: Int, keys: Int

    init<S>(_ mask: AttentionMask<S>, batch: Int, heads: Int, keys: Int) {
        causalOffset = mask.causalOffset
        lengths = mask.keyLengths
        padding = mask.keyPadding.map { $0.flatMap { $0 } }
        self.heads = heads
        self.keys = keys
    }

    /// Calls `body(j)` for every hidden key `j` of query `i` in (sequence, head) `pair`.
    @inline(__always)
    func forEachHiddenKey(pair: Int, query i: Int, _ body: (Int) -> Void) {
        let b = pair / heads
        var visible = keys
        if let causalOffset { visible = Swift.min(visible, Swift.max(0, i + causalOffset + 1)) }
        if let lengths { visible = Swift.min(visible, lengths[b]) }
        for j in visible..<keys { body(j) }
        if let padding {
            for j in 0..<visible where padding[b * keys + j] { body(j) }
        }
    }
}
