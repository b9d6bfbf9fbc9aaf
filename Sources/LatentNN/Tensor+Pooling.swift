import LatentCore

/// 2-D max and average pooling over NCHW tensors; image planes in parallel.
extension Tensor {
    /// Output size of a pooling window: `⌊(n + 2p − k)/s⌋ + 1`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func pooledSize(_ n: Int, kernel k: Int, stride s: Int, padding p: Int, _ context: String) -> Int {
        precondition(k > 0 && s > 0 && p >= 0, "\(context): need positive kernel \(k) and stride \(s), non-negative padding \(p)")
        precondition(2 * p <= k, "\(context): padding \(p) must be at most half the kernel \(k)")
        let o = (n + 2 * p - k) / s + 1
        precondition(o > 0, "\(context): kernel \(k) does not fit size \(n) with padding \(p)")
        return o
    }

    /// Max pooling, as `torch.nn.functional.max_pool2d` (padding counts as −∞).
    ///
    /// `(B, C, H, W) → (B, C, H_out, W_out)`, `H_out = ⌊(H + 2p − k)/s⌋ + 1`; `stride` defaults to
    /// the kernel size. Backward: each output's gradient goes to the (first) maximum in its window.
    /// - Complexity: O(B · C · H_out · W_out · kh · kw).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
        precondition(rank == 4, "maxPool2d: input must be (B, C, H, W), got \(shape)")
        let s = stride ?? kernel
        let planes = shape[0] * shape[1], H = shape[2], W = shape[3]
        let Ho = Tensor.pooledSize(H, kernel: kernel.0, stride: s.0, padding: padding.0, "maxPool2d")
        let Wo = Tensor.pooledSize(W, kernel: kernel.1, stride: s.1, padding: padding.1, "maxPool2d")
        // Every output and its argmax are written below: no zero-fill.
        var out = [Scalar].uninitialized(count: planes * Ho * Wo)
        var argmax = [Int32](unsafeUninitializedCapacity: planes * Ho * Wo) { _, initialized in initialized = planes * Ho * Wo }
        // Windows that tile the image exactly (stride = kernel, no padding, no remainder): the
        // backward of a fresh gradient writes every pixel once, with no zero-fill.
        let tiles = padding == (0, 0) && s == kernel && Ho * kernel.0 == H && Wo * kernel.1 == W
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                argmax.withUnsafeMutableBufferPointer { pa in
                    let x = px.baseAddress!, o = po.baseAddress!, a = pa.baseAddress!
                    Parallel.forEachChunk(count: planes, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, H * W))) { range in
                        for plane in range {
                            let img = x + plane * H * W
                            if padding == (0, 0) && kernel == (2, 2) {
                                // The common 2×2 window, unrolled (first maximum wins; NaN propagates).
                                for oh in 0..<Ho {
                                    let q0 = (plane * Ho + oh) * Wo
                                    // stride 2 in Float: four windows at a time in SIMD, the rest below
                                    let vectorised = s == (2, 2) && Scalar.self == Float.self
                                        ? maxPoolRow2x2(UnsafeRawPointer(img + oh * 2 * W).assumingMemoryBound(to: Float.self), width: W,
                                                        rowOffset: oh * 2 * W, UnsafeMutableRawPointer(o + q0).assumingMemoryBound(to: Float.self),
                                                        a + q0, count: Wo)
                                        : 0
                                    for ow in vectorised..<Wo {
                                        let start = oh * s.0 * W + ow * s.1
                                        var best = img[start], at = start
                                        // Double, other strides and the row's remainder (`maxPoolRow2x2`
                                        // is the branch-free form of the same comparisons).
                                        @inline(__always) func visit(_ p: Int) {
                                            let v = img[p]
                                            let take = v > best || (v != v && best == best)
                                            best = take ? v : best
                                            at = take ? p : at
                                        }
                                        visit(start + 1); visit(start + W); visit(start + W + 1)
                                        o[q0 + ow] = best; a[q0 + ow] = Int32(at)
                                    }
                                }
                                continue
                            }
                            if padding == (0, 0) {
                                // Every window lies inside the image: no bounds checks.
                                for oh in 0..<Ho {
                                    for ow in 0..<Wo {
                                        let start = oh * s.0 * W + ow * s.1
                                        var best = img[start], at = start
                                        for i in 0..<kernel.0 {
                                            let line = start + i * W
                                            for j in 0..<kernel.1 {
                                                let v = img[line + j]
                                                if v > best || (v.isNaN && !best.isNaN) { best = v; at = line + j }
                                            }
                                        }
                                        let q = (plane * Ho + oh) * Wo + ow
                                        o[q] = best; a[q] = Int32(at)
                                    }
                                }
                                continue
                            }
                            for oh in 0..<Ho {
                                for ow in 0..<Wo {
                                    var best = -Scalar.infinity, at = -1
                                    for i in 0..<kernel.0 {
                                        let ih = oh * s.0 - padding.0 + i
                                        if ih < 0 || ih >= H { continue }
                                        for j in 0..<kernel.1 {
                                            let iw = ow * s.1 - padding.1 + j
                                            if iw < 0 || iw >= W { continue }
                                            let v = img[ih * W + iw]
                                            if at < 0 || v > best || (v.isNaN && !best.isNaN) { best = v; at = ih * W + iw }
                                        }
                                    }
                                    let q = (plane * Ho + oh) * Wo + ow
                                    o[q] = best; a[q] = Int32(at)
                                }
                            }
                        }
                    }
                }
            }
        }
        let L = Ho * Wo
        return Tensor(shape: [shape[0], shape[1], Ho, Wo], storage: out, op: "maxPool2d", parents: [self]) { [self] g in
            self.withGradDestination { d, fresh in
                let dp = d.baseAddress!, gp = g.baseAddress!
                if fresh && !tiles { d.update(repeating: 0) }
                argmax.withUnsafeBufferPointer { pa in
                    let a = pa.baseAddress!
                    Parallel.forEachChunk(count: planes, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, L))) { range in
                        if fresh && tiles {
                            // Zero each window, then put its gradient on the maximum.
                            for plane in range {
                                let dst = dp + plane * H * W
                                for oh in 0..<Ho {
                                    for i in 0..<kernel.0 {
                                        (dst + (oh * kernel.0 + i) * W).initialize(repeating: 0, count: W)
                                    }
                                    for ow in 0..<Wo {
                                        let q = (plane * Ho + oh) * Wo + ow
                                        dst[Int(a[q])] = gp[q]
                                    }
                                }
                            }
                            return
                        }
                        for plane in range {
                            for t in 0..<L {
                                let q = plane * L + t
                                dp[plane * H * W + Int(a[q])] += gp[q]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Average pooling, as `torch.nn.functional.avg_pool2d` with `count_include_pad=True`
    /// (zero padding counts in the divisor `kh·kw`).
    ///
    /// `(B, C, H, W) → (B, C, H_out, W_out)`, `H_out = ⌊(H + 2p − k)/s⌋ + 1`; `stride` defaults to
    /// the kernel size. Backward: each output's gradient spread evenly over its window.
    /// - Complexity: O(B · C · H_out · W_out · kh · kw).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
        precondition(rank == 4, "avgPool2d: input must be (B, C, H, W), got \(shape)")
        let s = stride ?? kernel
        let planes = shape[0] * shape[1], H = shape[2], W = shape[3]
        let Ho = Tensor.pooledSize(H, kernel: kernel.0, stride: s.0, padding: padding.0, "avgPool2d")
        let Wo = Tensor.pooledSize(W, kernel: kernel.1, stride: s.1, padding: padding.1, "avgPool2d")
        let scale = 1 / Scalar(kernel.0 * kernel.1)
        // Visits the in-image pixels of each window: body(pixel offset in plane, output index in plane).
        func forEachWindowPixel(_ body: (Int, Int) -> Void) {
            for oh in 0..<Ho {
                for ow in 0..<Wo {
                    for i in 0..<kernel.0 {
                        let ih = oh * s.0 - padding.0 + i
                        if ih < 0 || ih >= H { continue }
                        for j in 0..<kernel.1 {
                            let iw = ow * s.1 - padding.1 + j
                            if iw >= 0 && iw < W { body(ih * W + iw, oh * Wo + ow) }
                        }
                    }
                }
            }
        }
        let L = Ho * Wo
        var out = [Scalar](repeating: 0, count: planes * L)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                let x = px.baseAddress!, o = po.baseAddress!
                Parallel.forEachChunk(count: planes, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, H * W))) { range in
                    for plane in range {
                        let img = x + plane * H * W, dst = o + plane * L
                        forEachWindowPixel { p, q in dst[q] += img[p] }
                        for q in 0..<L { dst[q] *= scale }
                    }
                }
            }
        }
        return Tensor(shape: [shape[0], shape[1], Ho, Wo], storage: out, op: "avgPool2d", parents: [self]) { [self] g in
            self.withGradBuffer { d in
                let dp = d.baseAddress!, gp = g.baseAddress!
                Parallel.forEachChunk(count: planes, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, H * W))) { range in
                    for plane in range {
                        let dst = dp + plane * H * W, src = gp + plane * L
                        forEachWindowPixel { p, q in dst[p] += src[q] * scale }
                    }
                }
            }
        }
    }
}

/// Four windows at a time of one output row of a 2×2, stride-2 max pool over a plane of width `W`:
/// `o[ow] = max(r[2ow], r[2ow+1], r[W+2ow], r[W+2ow+1])` and `a[ow]` the plane offset of the first
/// maximum (a NaN wins over numbers, the first NaN over later ones), exactly as the scalar loop in
/// `maxPool2d`, without its branches (the comparisons are unpredictable on real data).
/// `r` points at the window row's first pixel, `rowOffset` is its offset in the plane.
/// Returns how many outputs it wrote (a multiple of 4; the caller does the rest).
@inline(__always)
func maxPoolRow2x2(_ r: UnsafePointer<Float>, width W: Int, rowOffset: Int, _ o: UnsafeMutablePointer<Float>,
                   _ a: UnsafeMutablePointer<Int32>, count: Int) -> Int {
    let lanes = SIMD4<Int32>(0, 2, 4, 6), w = Int32(truncatingIfNeeded: W)
    var ow = 0
    while ow + 4 <= count {
        // pixels 2ow … 2ow+7 of both rows; even lanes are the windows' left columns
        let top = UnsafeRawPointer(r + 2 * ow).loadUnaligned(as: SIMD8<Float>.self)
        let bottom = UnsafeRawPointer(r + W + 2 * ow).loadUnaligned(as: SIMD8<Float>.self)
        var best = top.evenHalf, at = SIMD4<Int32>(repeating: 0)
        @inline(__always) func visit(_ v: SIMD4<Float>, _ offset: Int32) {
            let take = (v .> best) .| ((v .!= v) .& (best .== best))
            best.replace(with: v, where: take)
            at.replace(with: offset, where: take)
        }
        visit(top.oddHalf, 1); visit(bottom.evenHalf, w); visit(bottom.oddHalf, w + 1)
        UnsafeMutableRawPointer(o + ow).storeBytes(of: best, as: SIMD4<Float>.self)
        let first = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: rowOffset + 2 * ow))
        UnsafeMutableRawPointer(a + ow).storeBytes(of: first &+ lanes &+ at, as: SIMD4<Int32>.self)
        ow += 4
    }
    return ow
}
