import LatentCore

/// The geometry of a 2-D convolution window sliding over a batch of images, and the `im2col` /
/// `col2im` pair that turns convolution into one matrix product.
///
/// Dimension letters: `B` batch, `C` channels, `H×W` image, `kh×kw` kernel, `Ho×Wo` output
/// positions, `L = Ho·Wo`. The column matrix is `(C·kh·kw, B·L)`: row `(c, i, j)` holds, for each
/// output position `(b, oh, ow)`, the pixel `x[b, c, oh·s − p + i·d, ow·s − p + j·d]` (0 outside).
struct ConvGeometry {
    let batch, channels, height, width: Int
    let kernelHeight, kernelWidth: Int
    let stride, padding, dilation: (Int, Int)
    let outHeight, outWidth: Int

    init(batch: Int, channels: Int, height: Int, width: Int, kernel: (Int, Int),
         stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)) {
        precondition(stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0 && padding.0 >= 0 && padding.1 >= 0,
                     "conv: need positive stride \(stride) and dilation \(dilation), non-negative padding \(padding)")
        self.batch = batch; self.channels = channels; self.height = height; self.width = width
        self.kernelHeight = kernel.0; self.kernelWidth = kernel.1
        self.stride = stride; self.padding = padding; self.dilation = dilation
        outHeight = (height + 2 * padding.0 - dilation.0 * (kernel.0 - 1) - 1) / stride.0 + 1
        outWidth = (width + 2 * padding.1 - dilation.1 * (kernel.1 - 1) - 1) / stride.1 + 1
        precondition(outHeight > 0 && outWidth > 0,
                     "conv: kernel \(kernel) with dilation \(dilation) does not fit the padded \(height)×\(width) image")
    }

    var positions: Int { outHeight * outWidth }
    var rows: Int { channels * kernelHeight * kernelWidth }
    var columns: Int { batch * positions }

    /// The output columns `lo ..< hi` whose input column `ow·s − p + j·d` for kernel column `j`
    /// lies inside the image (the others read padding), so the inner loops need no bounds test.
    @inline(__always)
    func validColumns(_ j: Int) -> (Int, Int) {
        let (sw, pw, dw) = (stride.1, padding.1, dilation.1)
        let first = pw - j * dw                        // ow·sw ≥ first
        let lo = first <= 0 ? 0 : (first + sw - 1) / sw
        let last = width - 1 + pw - j * dw             // ow·sw ≤ last
        let hi = last < 0 ? 0 : Swift.min(outWidth, last / sw + 1)
        return (Swift.min(lo, hi), hi)
    }

    /// Fills `col (C·kh·kw, B·L)` from `images (B, C, H, W)`. Rows in parallel.
    func im2col<S: BLASScalar>(_ images: UnsafePointer<S>, into col: UnsafeMutablePointer<S>) {
        let (sh, sw) = stride, (ph, pw) = padding, (dh, dw) = dilation
        let kh = kernelHeight, kw = kernelWidth, H = height, W = width, Ho = outHeight, Wo = outWidth
        let L = positions, B = batch, C = channels, ncol = columns
        Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, ncol))) { range in
            for r in range {
                let c = r / (kh * kw), i = (r / kw) % kh, j = r % kw
                let dst = col + r * ncol
                for b in 0..<B {
                    let img = images + (b * C + c) * H * W
                    for oh in 0..<Ho {
                        let ih = oh * sh - ph + i * dh
                        let out = dst + b * L + oh * Wo
                        if ih < 0 || ih >= H {
                            out.update(repeating: 0, count: Wo)
                            continue
                        }
                        let line = img + ih * W
                        let (lo, hi) = validColumns(j)
                        out.update(repeating: 0, count: lo)
                        if sw == 1 {
                            (out + lo).update(from: line + (lo - pw + j * dw), count: hi - lo)
                        } else {
                            for ow in lo..<hi { out[ow] = line[ow * sw - pw + j * dw] }
                        }
                        (out + hi).update(repeating: 0, count: Wo - hi)
                    }
                }
            }
        }
    }

    /// Adds `col (C·kh·kw, B·L)` back into `images (B, C, H, W)` (the adjoint of `im2col`).
    /// Image planes `(b, c)` in parallel, so no two threads write the same pixel.
    func col2im<S: BLASScalar>(_ col: UnsafePointer<S>, into images: UnsafeMutablePointer<S>) {
        let (sh, sw) = stride, (ph, pw) = padding, (dh, dw) = dilation
        let kh = kernelHeight, kw = kernelWidth, H = height, W = width, Ho = outHeight, Wo = outWidth
        let L = positions, C = channels, ncol = columns
        Parallel.forEachChunk(count: batch * C, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, kh * kw * L))) { range in
            for plane in range {
                let b = plane / C, c = plane % C
                let img = images + plane * H * W
                for i in 0..<kh {
                    for j in 0..<kw {
                        let src = col + ((c * kh + i) * kw + j) * ncol + b * L
                        for oh in 0..<Ho {
                            let ih = oh * sh - ph + i * dh
                            if ih < 0 || ih >= H { continue }
                            let line = img + ih * W, s = src + oh * Wo
                            let (lo, hi) = validColumns(j)
                            for ow in lo..<hi { line[ow * sw - pw + j * dw] += s[ow] }
                        }
                    }
                }
            }
        }
    }
}

/// `(B, C, L) ↔ (C, B·L)`: swaps the two leading blocks of a batch-major array.
func swapLeadingBlocks<S: BLASScalar>(_ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<S>, b: Int, c: Int, l: Int, accumulate: Bool) {
    Parallel.forEachChunk(count: b * c, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(1, l))) { range in
        for q in range {
            let bi = q / c, ci = q % c
            let s = src + q * l, d = dst + (ci * b + bi) * l
            if accumulate {
                for t in 0..<l { d[t] += s[t] }
            } else {
                d.update(from: s, count: l)
            }
        }
    }
}

/// Adds the per-channel sums of `g (B, C, L)` into `db (C)`.
func accumulateChannelSums<S: BLASScalar>(_ g: UnsafePointer<S>, into db: UnsafeMutablePointer<S>, b: Int, c: Int, l: Int) {
    for bi in 0..<b {
        for ci in 0..<c {
            let s = g + (bi * c + ci) * l
            var acc: S = 0
            for t in 0..<l { acc += s[t] }
            db[ci] += acc
        }
    }
}

extension Tensor {
    /// 2-D cross-correlation (what deep learning calls convolution), NCHW, by `im2col` + one GEMM.
    ///
    /// Shapes: `self (B, C_in, H, W)`, `weight (C_out, C_in, kh, kw)`, `bias (C_out)` →
    /// `(B, C_out, H_out, W_out)` with `H_out = ⌊(H + 2p − d(kh − 1) − 1)/s⌋ + 1` (likewise `W_out`),
    /// as `torch.nn.functional.conv2d`.
    ///
    /// Forward: `col = im2col(x)` `(C_in·kh·kw, B·L)`, `Y = W·col` `(C_out, B·L)`, reordered to
    /// `(B, C_out, L)`. Backward: `∂W = gᵀ·colᵀ` (one GEMM), `∂col = Wᵀ·g` then `col2im` into
    /// `∂x`, `∂bias = Σ g` over batch and positions.
    ///
    /// - Complexity: O(B · C_out · C_in · kh · kw · L) in BLAS; the column matrix takes
    ///   `C_in·kh·kw·B·L` elements and is kept for the backward pass.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                       padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)) -> Tensor {
        precondition(rank == 4, "conv2d: input must be (B, C, H, W), got \(shape)")
        precondition(weight.rank == 4 && weight.shape[1] == shape[1],
                     "conv2d: weight \(weight.shape) must be (C_out, \(shape[1]), kh, kw) for input \(shape)")
        let cout = weight.shape[0]
        if let bias { precondition(bias.shape == [cout], "conv2d: bias \(bias.shape), expected [\(cout)]") }
        let geo = ConvGeometry(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                               kernel: (weight.shape[2], weight.shape[3]), stride: stride, padding: padding, dilation: dilation)
        let B = geo.batch, L = geo.positions, K = geo.rows, N = geo.columns
        // im2col, the GEMM (beta = 0) and the block swap each write every element: no zero-fill.
        let col = [Scalar](unsafeUninitializedCapacity: K * N) { pc, initialized in
            storage.withUnsafeBufferPointer { px in geo.im2col(px.baseAddress!, into: pc.baseAddress!) }
            initialized = K * N
        }
        let y = [Scalar](unsafeUninitializedCapacity: cout * N) { py, initialized in
            weight.storage.withUnsafeBufferPointer { pw in
                col.withUnsafeBufferPointer { pc in
                    Scalar.gemm(transposeA: false, transposeB: false, m: cout, n: N, k: K, alpha: 1,
                                a: pw.baseAddress!, lda: K, b: pc.baseAddress!, ldb: N, beta: 0, c: py.baseAddress!, ldc: N)
                }
            }
            initialized = cout * N
        }
        // (C_out, B, L) → (B, C_out, L)
        var out = [Scalar](unsafeUninitializedCapacity: B * cout * L) { po, initialized in
            y.withUnsafeBufferPointer { py in
                swapLeadingBlocks(py.baseAddress!, po.baseAddress!, b: cout, c: B, l: L, accumulate: false)
            }
            initialized = B * cout * L
        }
        if let bias {
            out.withUnsafeMutableBufferPointer { po in
                for b in 0..<B { for c in 0..<cout {
                    let v = bias.storage[c], p = po.baseAddress! + (b * cout + c) * L
                    for t in 0..<L { p[t] += v }
                } }
            }
        }
        let parents = [self, weight] + (bias.map { [$0] } ?? [])
        let savedCol = col
        return Tensor(shape: [B, cout, geo.outHeight, geo.outWidth], storage: out, op: "conv2d", parents: parents) { [self] g in
            // g (B, C_out, L) → gT (C_out, B·L)
            let gT = [Scalar](unsafeUninitializedCapacity: cout * N) { pt, initialized in
                swapLeadingBlocks(g.baseAddress!, pt.baseAddress!, b: B, c: cout, l: L, accumulate: false)
                initialized = cout * N
            }
            gT.withUnsafeBufferPointer { pt in
                if weight.requiresGrad {
                    savedCol.withUnsafeBufferPointer { pc in
                        weight.withGradDestination { dw, fresh in
                            Scalar.gemm(transposeA: false, transposeB: true, m: cout, n: K, k: N, alpha: 1,
                                        a: pt.baseAddress!, lda: N, b: pc.baseAddress!, ldb: N, beta: fresh ? 0 : 1,
                                        c: dw.baseAddress!, ldc: K)
                        }
                    }
                }
                if self.requiresGrad {
                    let dcol = [Scalar](unsafeUninitializedCapacity: K * N) { pd, initialized in
                        weight.storage.withUnsafeBufferPointer { pw in
                            Scalar.gemm(transposeA: true, transposeB: false, m: K, n: N, k: cout, alpha: 1,
                                        a: pw.baseAddress!, lda: K, b: pt.baseAddress!, ldb: N, beta: 0, c: pd.baseAddress!, ldc: N)
                        }
                        initialized = K * N
                    }
                    self.withGradBuffer { dx in
                        dcol.withUnsafeBufferPointer { geo.col2im($0.baseAddress!, into: dx.baseAddress!) }
                    }
                }
            }
            bias?.withGradBuffer { db in accumulateChannelSums(g.baseAddress!, into: db.baseAddress!, b: B, c: cout, l: L) }
        }
    }

    /// 2-D transposed convolution ("deconvolution"), NCHW: the adjoint of `conv2d` with the same
    /// stride, padding and dilation, as `torch.nn.functional.conv_transpose2d` (groups = 1).
    ///
    /// Shapes: `self (B, C_in, H, W)`, `weight (C_in, C_out, kh, kw)`, `bias (C_out)` →
    /// `(B, C_out, H_out, W_out)` with `H_out = (H − 1)s − 2p + d(kh − 1) + outputPadding + 1`.
    ///
    /// Forward: `col = Wᵀ·X` `(C_out·kh·kw, B·H·W)` with `X (C_in, B·H·W)`, then `col2im` into the
    /// output. Backward: `col_g = im2col(g)`, `∂X = W·col_g`, `∂W = X·col_gᵀ`, `∂bias = Σ g`.
    ///
    /// - Complexity: O(B · C_in · C_out · kh · kw · H · W) in BLAS.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func convTranspose2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0),
                                dilation: (Int, Int) = (1, 1)) -> Tensor {
        precondition(rank == 4, "convTranspose2d: input must be (B, C, H, W), got \(shape)")
        precondition(weight.rank == 4 && weight.shape[0] == shape[1],
                     "convTranspose2d: weight \(weight.shape) must be (\(shape[1]), C_out, kh, kw) for input \(shape)")
        precondition(outputPadding.0 >= 0 && outputPadding.1 >= 0
                     && (outputPadding.0 < stride.0 || outputPadding.0 < dilation.0)
                     && (outputPadding.1 < stride.1 || outputPadding.1 < dilation.1),
                     "convTranspose2d: output padding \(outputPadding) must be smaller than stride \(stride) or dilation \(dilation)")
        let B = shape[0], cin = shape[1], H = shape[2], W = shape[3]
        let cout = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3]
        if let bias { precondition(bias.shape == [cout], "convTranspose2d: bias \(bias.shape), expected [\(cout)]") }
        let Ho = (H - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kh - 1) + outputPadding.0 + 1
        let Wo = (W - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kw - 1) + outputPadding.1 + 1
        precondition(Ho > 0 && Wo > 0, "convTranspose2d: empty output \(Ho)×\(Wo)")
        // The output is the "image" of a convolution whose output positions are the input pixels.
        let geo = ConvGeometry(batch: B, channels: cout, height: Ho, width: Wo, kernel: (kh, kw),
                               stride: stride, padding: padding, dilation: dilation)
        precondition(geo.outHeight == H && geo.outWidth == W, "convTranspose2d: inconsistent geometry")
        let L = H * W, K = geo.rows, N = B * L
        var xT = [Scalar](repeating: 0, count: cin * N)
        storage.withUnsafeBufferPointer { px in
            xT.withUnsafeMutableBufferPointer { pt in
                swapLeadingBlocks(px.baseAddress!, pt.baseAddress!, b: B, c: cin, l: L, accumulate: false)
            }
        }
        var col = [Scalar](repeating: 0, count: K * N)
        weight.storage.withUnsafeBufferPointer { pw in
            xT.withUnsafeBufferPointer { pt in
                col.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transposeA: true, transposeB: false, m: K, n: N, k: cin, alpha: 1,
                                a: pw.baseAddress!, lda: K, b: pt.baseAddress!, ldb: N, beta: 0, c: pc.baseAddress!, ldc: N)
                }
            }
        }
        var out = [Scalar](repeating: 0, count: B * cout * Ho * Wo)
        col.withUnsafeBufferPointer { pc in
            out.withUnsafeMutableBufferPointer { po in geo.col2im(pc.baseAddress!, into: po.baseAddress!) }
        }
        if let bias {
            let P = Ho * Wo
            out.withUnsafeMutableBufferPointer { po in
                for b in 0..<B { for c in 0..<cout {
                    let v = bias.storage[c], p = po.baseAddress! + (b * cout + c) * P
                    for t in 0..<P { p[t] += v }
                } }
            }
        }
        let parents = [self, weight] + (bias.map { [$0] } ?? [])
        let savedXT = xT
        return Tensor(shape: [B, cout, Ho, Wo], storage: out, op: "convTranspose2d", parents: parents) { [self] g in
            var gcol = [Scalar](repeating: 0, count: K * N)
            gcol.withUnsafeMutableBufferPointer { pc in geo.im2col(g.baseAddress!, into: pc.baseAddress!) }
            gcol.withUnsafeBufferPointer { pc in
                if self.requiresGrad {
                    var dxT = [Scalar](repeating: 0, count: cin * N)
                    weight.storage.withUnsafeBufferPointer { pw in
                        dxT.withUnsafeMutableBufferPointer { pd in
                            Scalar.gemm(transposeA: false, transposeB: false, m: cin, n: N, k: K, alpha: 1,
                                        a: pw.baseAddress!, lda: K, b: pc.baseAddress!, ldb: N, beta: 0, c: pd.baseAddress!, ldc: N)
                        }
                    }
                    self.withGradBuffer { dx in
                        dxT.withUnsafeBufferPointer { swapLeadingBlocks($0.baseAddress!, dx.baseAddress!, b: cin, c: B, l: L, accumulate: true) }
                    }
                }
                if weight.requiresGrad {
                    savedXT.withUnsafeBufferPointer { pt in
                        weight.withGradBuffer { dw in
                            Scalar.gemm(transposeA: false, transposeB: true, m: cin, n: K, k: N, alpha: 1,
                                        a: pt.baseAddress!, lda: N, b: pc.baseAddress!, ldb: N, beta: 1, c: dw.baseAddress!, ldc: K)
                        }
                    }
                }
            }
            bias?.withGradBuffer { db in accumulateChannelSums(g.baseAddress!, into: db.baseAddress!, b: B, c: cout, l: Ho * Wo) }
        }
    }
}
