import LatentCore

/// Layer normalisation (a fused primitive) and dropout.
extension Tensor {
    /// Layer normalisation over the trailing `normalizedShape` dimensions (Ba, Kiros & Hinton 2016):
    /// `y = (x − μ) / √(σ² + ε) ⊙ weight + bias`, with `μ`, `σ²` the mean and biased variance of
    /// each row of `D = Π normalizedShape` elements.
    ///
    /// Shapes: `x (…, normalizedShape)`, `weight`, `bias` `(normalizedShape)` or `nil` → same as `x`.
    ///
    /// Backward (one pass per row, with `x̂ = (x − μ)·r`, `r = 1/√(σ² + ε)`, `ĝ = g ⊙ weight`):
    /// `∂x = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))`, `∂weight = Σ_rows g ⊙ x̂`, `∂bias = Σ_rows g`.
    /// - Complexity: O(n), rows in parallel.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func layerNorm(normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                          epsilon: Scalar = 1e-5) -> Tensor {
        precondition(normalizedShape.count <= rank && Array(shape.suffix(normalizedShape.count)) == normalizedShape,
                     "layerNorm: normalized shape \(normalizedShape) is not the end of \(shape)")
        if let weight { precondition(weight.shape == normalizedShape, "layerNorm: weight \(weight.shape), expected \(normalizedShape)") }
        if let bias { precondition(bias.shape == normalizedShape, "layerNorm: bias \(bias.shape), expected \(normalizedShape)") }
        let d = normalizedShape.reduce(1, *)
        precondition(d > 0, "layerNorm: empty normalized shape")
        let rows = count / d
        var xhat = [Scalar].uninitialized(count: count)     // every element written below
        var rstd = [Scalar].uninitialized(count: rows)
        var out = [Scalar].uninitialized(count: count)
        let w = weight?.storage, b = bias?.storage
        withOptionalPointers(w, b) { wp, bp in
        storage.withUnsafeBufferPointer { px in
            xhat.withUnsafeMutableBufferPointer { ph in
                rstd.withUnsafeMutableBufferPointer { pr in
                    out.withUnsafeMutableBufferPointer { py in
                        let x = px.baseAddress!, h = ph.baseAddress!, r = pr.baseAddress!, y = py.baseAddress!
                        Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 14) / d)) { range in
                            for row in range {
                                let xr = x + row * d, hr = h + row * d, yr = y + row * d
                                let mean = laneSum(xr, d, 1) / Scalar(d)
                                for j in 0..<d { hr[j] = xr[j] - mean }                 // centred, then scaled
                                let rs = 1 / (laneDot(hr, hr, d, 1) / Scalar(d) + epsilon).squareRoot()
                                r[row] = rs
                                for j in 0..<d { hr[j] *= rs }
                                switch (wp, bp) {
                                case let (w?, b?): for j in 0..<d { yr[j] = hr[j] * w[j] + b[j] }
                                case let (w?, nil): for j in 0..<d { yr[j] = hr[j] * w[j] }
                                case let (nil, b?): for j in 0..<d { yr[j] = hr[j] + b[j] }
                                case (nil, nil): yr.update(from: hr, count: d)
                                }
                            }
                        }
                    }
                }
            }
        }
        }
        let parents = [self] + [weight, bias].compactMap { $0 }
        return Tensor(shape: shape, storage: out, op: "layerNorm", parents: parents) { [self] g in
            let gp = g.baseAddress!
            xhat.withUnsafeBufferPointer { ph in
                let h = ph.baseAddress!
                if self.requiresGrad {
                    withOptionalPointers(w, nil) { wp, _ in
                    self.withGradBuffer { dx in
                        let dp = dx.baseAddress!
                        Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 14) / d)) { range in
                            let gh = UnsafeMutablePointer<Scalar>.allocate(capacity: d)
                            defer { gh.deallocate() }
                            for row in range {
                                let gr = gp + row * d, hr = h + row * d, dr = dp + row * d
                                if let w = wp { for j in 0..<d { gh[j] = gr[j] * w[j] } } else { gh.update(from: gr, count: d) }
                                let m1 = laneSum(gh, d, 1) / Scalar(d), m2 = laneDot(gh, hr, d, 1) / Scalar(d)
                                let rs = rstd[row]
                                for j in 0..<d { dr[j] += rs * (gh[j] - m1 - hr[j] * m2) }
                            }
                        }
                    }
                    }
                }
                // ∂γ[j] += Σ_rows g·x̂, ∂β[j] += Σ_rows g: split by columns, each summed over the rows
                // in order (the same bits for any thread count).
                let columnChunk = Swift.max(1, (1 << 16) / Swift.max(1, rows))
                weight?.withGradBuffer { dw in
                    let dwp = dw.baseAddress!
                    Parallel.forEachChunk(count: d, minimumPerThread: columnChunk) { js in
                        for row in 0..<rows { for j in js { dwp[j] += gp[row * d + j] * h[row * d + j] } }
                    }
                }
                bias?.withGradBuffer { db in
                    let dbp = db.baseAddress!
                    Parallel.forEachChunk(count: d, minimumPerThread: columnChunk) { js in
                        for row in 0..<rows { for j in js { dbp[j] += gp[row * d + j] } }
                    }
                }
            }
        }
    }

    /// Inverted dropout: each element is zeroed with probability `p` and the survivors are scaled
    /// by `1/(1 − p)`, so the expectation is unchanged (Srivastava et al. 2014). The mask is drawn
    /// in parallel blocks seeded from one draw of `rng` (`DropoutMask`), so the same seed drops the
    /// same elements on any number of threads. Returns `self` when `p == 0`.
    /// Same shape as the input. Backward: `g ⊙ mask / (1 − p)`. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func dropout(probability p: Double, using rng: inout Xoshiro256StarStar) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout: probability \(p) outside [0, 1)")
        if p == 0 { return self }
        let mask: [Scalar] = DropoutMask.draw(count: count, probability: p, generator: &rng)
        let (_, out) = Tensor.broadcastMap(self, Tensor(shape: shape, storage: mask), MultiplyFunction())
        let n = count
        return Tensor(shape: shape, storage: out, op: "dropout", parents: [self]) { [self] g in
            self.withGradDestination { dst, fresh in
                mask.withUnsafeBufferPointer { pm in
                    let d = dst.baseAddress!, m = pm.baseAddress!, gp = g.baseAddress!
                    Parallel.forEachChunk(count: n) { range in
                        if fresh { for i in range { d[i] = gp[i] * m[i] } } else { for i in range { d[i] += gp[i] * m[i] } }
                    }
                }
            }
        }
    }

    /// Replaces the elements where `mask` is non-zero by `value` (`masked_fill`); `mask` broadcasts
    /// to this tensor's shape — e.g. a `(T, T)` causal mask over `(B, H, T, T)` attention scores.
    /// Same shape as the input. Backward: `g` where the mask is zero, 0 elsewhere. O(n).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func maskedFill(where mask: Tensor, with value: Scalar) -> Tensor {
        precondition(Broadcasting.canBroadcast(mask.shape, to: shape), "maskedFill: mask \(mask.shape) does not broadcast to \(shape)")
        let m = mask.storage.withUnsafeBufferPointer { Tensor.expand($0, from: mask.shape, to: shape) }
        var out = storage
        for i in 0..<out.count where m[i] != 0 { out[i] = value }
        return Tensor(shape: shape, storage: out, op: "maskedFill", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                for i in 0..<d.count where m[i] == 0 { d[i] += g[i] }
            }
        }
    }
}

/// Calls `body` with pointers to the elements of two optional arrays (`nil` stays `nil`).
@inline(__always)
func withOptionalPointers<S, R>(_ a: [S]?, _ b: [S]?, _ body: (UnsafePointer<S>?, UnsafePointer<S>?) -> R) -> R {
    func withB(_ pa: UnsafePointer<S>?) -> R {
        if let b { return b.withUnsafeBufferPointer { body(pa, $0.baseAddress) } }
        return body(pa, nil)
    }
    if let a { return a.withUnsafeBufferPointer { withB($0.baseAddress) } }
    return withB(nil)
}
