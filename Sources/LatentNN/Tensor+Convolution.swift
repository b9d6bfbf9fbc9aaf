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

    /// Writes row `r = (c, i, j)` of the column matrix for one image `(C, H, W)` into `dst`
    /// (`L` elements: `dst[oh·Wo + ow] = image[c, oh·s − p + i·d, ow·s − p + j·d]`, 0 outside).
    @inline(__always)
    func fillColumnRow<S: BLASScalar>(_ r: Int, image: UnsafePointer<S>, into dst: UnsafeMutablePointer<S>) {
        let (sh, sw) = stride, (ph, pw) = padding, (dh, dw) = dilation
        let kh = kernelHeight, kw = kernelWidth, H = height, W = width, Ho = outHeight, Wo = outWidth
        let c = r / (kh * kw), i = (r / kw) % kh, j = r % kw
        let plane = image + c * H * W
        let (lo, hi) = validColumns(j)
        if sh == 1 && sw == 1 && dh == 1 && dw == 1 {
            // The common case: the output rows whose input row oh − ph + i lies in the image form
            // one block; each copies the same column range of consecutive input rows.
            let top = Swift.min(Ho, Swift.max(0, ph &- i)), bottom = Swift.max(top, Swift.min(Ho, H &+ ph &- i))
            zeroShortRun(dst, count: top &* Wo)
            var src = plane + ((top &- ph &+ i) &* W &+ (lo &- pw &+ j)), out = dst + top &* Wo
            for _ in top..<bottom {
                zeroShortRun(out, count: lo)
                copyShortRun(out + lo, from: src, count: hi &- lo)
                zeroShortRun(out + hi, count: Wo &- hi)
                src += W
                out += Wo
            }
            zeroShortRun(out, count: (Ho &- bottom) &* Wo)
            return
        }
        for oh in 0..<Ho {
            let ih = oh * sh - ph + i * dh
            let out = dst + oh * Wo
            if ih < 0 || ih >= H {
                zeroShortRun(out, count: Wo)
                continue
            }
            let line = plane + ih * W
            zeroShortRun(out, count: lo)
            if sw == 1 {
                copyShortRun(out + lo, from: line + (lo - pw + j * dw), count: hi - lo)
            } else {
                for ow in lo..<hi { out[ow] = line[ow * sw - pw + j * dw] }
            }
            zeroShortRun(out + hi, count: Wo - hi)
        }
    }

    /// Adds the column-matrix rows of channel `c` of one image (`src` points at row `(c, 0, 0)`'s
    /// entries for this image; consecutive rows are `ld` apart) into that channel's plane `(H, W)`.
    @inline(__always)
    func addColumnRows<S: BLASScalar>(channel c: Int, _ src: UnsafePointer<S>, ld: Int, into plane: UnsafeMutablePointer<S>) {
        let (sh, sw) = stride, (ph, pw) = padding, (dh, dw) = dilation
        let kh = kernelHeight, kw = kernelWidth, H = height, W = width, Ho = outHeight, Wo = outWidth
        for i in 0..<kh {
            for j in 0..<kw {
                let row = src + ((c * kh + i) * kw + j) * ld
                let (lo, hi) = validColumns(j)
                for oh in 0..<Ho {
                    let ih = oh * sh - ph + i * dh
                    if ih < 0 || ih >= H { continue }
                    let line = plane + ih * W, s = row + oh * Wo
                    if sw == 1 {
                        let shifted = line + (j * dw - pw)     // unit stride: the loop vectorises
                        for ow in lo..<hi { shifted[ow] += s[ow] }
                    } else {
                        for ow in lo..<hi { line[ow * sw - pw + j * dw] += s[ow] }
                    }
                }
            }
        }
    }

    /// Fills the column matrix `(C·kh·kw, L)` of the single image `(C, H, W)` (on this thread).
    func im2col<S: BLASScalar>(image: UnsafePointer<S>, into col: UnsafeMutablePointer<S>) {
        let L = positions
        for r in 0..<rows { fillColumnRow(r, image: image, into: col + r * L) }
    }

    /// Adds the column matrix `(C·kh·kw, L)` of one image back into `image (C, H, W)` (on this thread).
    func col2im<S: BLASScalar>(_ col: UnsafePointer<S>, intoImage image: UnsafeMutablePointer<S>) {
        for c in 0..<channels { addColumnRows(channel: c, col, ld: positions, into: image + c * height * width) }
    }

    /// Fills `col (C·kh·kw, B·L)` from `images (B, C, H, W)`. Rows in parallel.
    func im2col<S: BLASScalar>(_ images: UnsafePointer<S>, into col: UnsafeMutablePointer<S>) {
        let L = positions, B = batch, ncol = columns, image = channels * height * width
        Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, ncol))) { range in
            for r in range {
                for b in 0..<B { fillColumnRow(r, image: images + b * image, into: col + r * ncol + b * L) }
            }
        }
    }

    /// Adds `col (C·kh·kw, B·L)` back into `images (B, C, H, W)` (the adjoint of `im2col`).
    /// Image planes `(b, c)` in parallel, so no two threads write the same pixel.
    func col2im<S: BLASScalar>(_ col: UnsafePointer<S>, into images: UnsafeMutablePointer<S>) {
        let L = positions, C = channels, ncol = columns
        Parallel.forEachChunk(count: batch * C, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(1, kernelHeight * kernelWidth * L))) { range in
            for plane in range {
                let b = plane / C, c = plane % C
                addColumnRows(channel: c, col + b * L, ld: ncol, into: images + plane * height * width)
            }
        }
    }
}

/// Images per partial weight gradient in `conv2d`'s backward: fixed, so that the sum (and its
/// rounding) is the same on any number of threads.
let convolutionGroup = 8

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

/// Adds the per-channel sums of `g (B, C, L)` into `db (C)`. Channels in parallel, each summed
/// in batch order (the same rounding on any number of threads).
func accumulateChannelSums<S: BLASScalar>(_ g: UnsafePointer<S>, into db: UnsafeMutablePointer<S>, b: Int, c: Int, l: Int) {
    Parallel.forEachChunk(count: c, minimumPerThread: Swift.max(1, (1 << 16) / Swift.max(1, b * l))) { range in
        for ci in range {
            var total: S = 0
            for bi in 0..<b { total += laneSum(g + (bi * c + ci) * l, l, 1) }
            db[ci] += total
        }
    }
}

extension Tensor {
    /// 2-D cross-correlation (what deep learning calls convolution), NCHW, by `im2col` + GEMM per image.
    ///
    /// Shapes: `self (B, C_in, H, W)`, `weight (C_out, C_in, kh, kw)`, `bias (C_out)` →
    /// `(B, C_out, H_out, W_out)` with `H_out = ⌊(H + 2p − d(kh − 1) − 1)/s⌋ + 1` (likewise `W_out`),
    /// as `torch.nn.functional.conv2d`.
    ///
    /// Per image `b` (PyTorch's `slow_conv2d` layout): `col_b = im2col(x_b)` `(C_in·kh·kw, L)` in a
    /// scratch buffer that stays in cache, then `Y_b = W·col_b + bias` `(C_out, L)` written straight
    /// into the NCHW output (no reordering pass). Images run in parallel on Latent's pool, each
    /// GEMM single-threaded (see "Threads" in docs/architecture.md). Backward, per image in fixed
    /// groups of `convolutionGroup` images: `col_b` kept from the forward pass, `∂W += g_b·col_bᵀ`
    /// into the group's partial sum (the partials are added in group order, so the result does not
    /// depend on the thread count), `∂x_b = col2im(Wᵀ·g_b)`, `∂bias = Σ g`.
    ///
    /// - Complexity: O(B · C_out · C_in · kh · kw · L) in BLAS; `C_in·kh·kw·L` scratch elements per
    ///   thread, and `B·C_in·kh·kw·L` kept for the backward pass when the weight needs a gradient
    ///   (rebuilding them there cost as much as the forward's `im2col`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                       padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1)) -> Tensor {
        precondition(rank == 4, "conv2d: input must be (B, C, H, W), got \(shape)")
        precondition(weight.rank == 4 && weight.shape[1] == shape[1],
                     "conv2d: weight \(weight.shape) must be (C_out, \(shape[1]), kh, kw) for input \(shape)")
        let cout = weight.shape[0]
        if let bias { precondition(bias.shape == [cout], "conv2d: bias \(bias.shape), expected [\(cout)]") }
        // One image's geometry: the column matrix of image b is (K, L).
        let geo = ConvGeometry(batch: 1, channels: shape[1], height: shape[2], width: shape[3],
                               kernel: (weight.shape[2], weight.shape[3]), stride: stride, padding: padding, dilation: dilation)
        let B = shape[0], L = geo.positions, K = geo.rows, image = shape[1] * shape[2] * shape[3]
        let perImage = Swift.max(1, (1 << 16) / Swift.max(1, cout * K * L / 8))   // images per chunk worth a thread
        // When the weight gradient will be needed, every image's column matrix is kept for the
        // backward pass (B·K·L elements, 29 MB for a 32→64 3×3 layer on 128 14×14 images) instead
        // of being rebuilt there; otherwise one cache-resident scratch matrix per thread.
        var keptColumns = GradientMode.isEnabled && weight.requiresGrad ? [Scalar].uninitialized(count: B * K * L) : []
        // Each image's output block is written whole by its GEMM (bias rows first, then β = 1): no zero-fill.
        let out = [Scalar](unsafeUninitializedCapacity: B * cout * L) { po, initialized in
            storage.withUnsafeBufferPointer { px in
                weight.storage.withUnsafeBufferPointer { pw in
                    withOptionalPointers(bias?.storage, nil) { pb, _ in
                        keptColumns.withUnsafeMutableBufferPointer { pk in
                            let x = px.baseAddress!, w = pw.baseAddress!, o = po.baseAddress!
                            let kept = pk.isEmpty ? nil : pk.baseAddress
                            Parallel.forEachChunk(count: B, minimumPerThread: perImage) { range in
                                let scratch = kept == nil ? UnsafeMutablePointer<Scalar>.allocate(capacity: K * L) : nil
                                defer { scratch?.deallocate() }
                                for b in range {
                                    let col = kept.map { $0 + b * K * L } ?? scratch!
                                    geo.im2col(image: x + b * image, into: col)
                                    let y = o + b * cout * L
                                    if let pb { for c in 0..<cout { (y + c * L).initialize(repeating: pb[c], count: L) } }
                                    Parallel.gemm(transposeA: false, transposeB: false, m: cout, n: L, k: K, alpha: 1,
                                                a: w, lda: K, b: col, ldb: L, beta: pb == nil ? 0 : 1, c: y, ldc: L)
                                }
                            }
                        }
                    }
                }
            }
            initialized = B * cout * L
        }
        let savedColumns = keptColumns
        let parents = [self, weight] + (bias.map { [$0] } ?? [])
        return Tensor(shape: [B, cout, geo.outHeight, geo.outWidth], storage: out, op: "conv2d", parents: parents) { [self] g in
            let needW = weight.requiresGrad, needX = self.requiresGrad
            let groups = (B + convolutionGroup - 1) / convolutionGroup
            var partials = needW ? [Scalar].uninitialized(count: groups * cout * K) : []
            let x = storage
            // ∂W partials per group and ∂x per image; dx is nil when the input needs no gradient.
            func run(_ dx: UnsafeMutablePointer<Scalar>?) {
                x.withUnsafeBufferPointer { px in
                    weight.storage.withUnsafeBufferPointer { pw in
                        partials.withUnsafeMutableBufferPointer { pp in
                            savedColumns.withUnsafeBufferPointer { pk in
                                let xp = px.baseAddress!, w = pw.baseAddress!, gp = g.baseAddress!, parts = pp.baseAddress
                                let kept = pk.isEmpty ? nil : pk.baseAddress
                                Parallel.forEachChunk(count: groups, minimumPerThread: 1) { range in
                                    let col = UnsafeMutablePointer<Scalar>.allocate(capacity: K * L)
                                    defer { col.deallocate() }
                                    for group in range {
                                        let first = group * convolutionGroup
                                        for b in first..<Swift.min(B, first + convolutionGroup) {
                                            let gb = gp + b * cout * L
                                            if needW, let parts {
                                                let columns: UnsafePointer<Scalar>
                                                if let kept { columns = kept + b * K * L } else {
                                                    geo.im2col(image: xp + b * image, into: col)     // recorded without the weight
                                                    columns = UnsafePointer(col)
                                                }
                                                Parallel.gemm(transposeA: false, transposeB: true, m: cout, n: K, k: L, alpha: 1,
                                                            a: gb, lda: L, b: columns, ldb: L, beta: b == first ? 0 : 1,
                                                            c: parts + group * cout * K, ldc: K)
                                            }
                                            if let dx {
                                                Parallel.gemm(transposeA: true, transposeB: false, m: K, n: L, k: cout, alpha: 1,
                                                            a: w, lda: K, b: gb, ldb: L, beta: 0, c: col, ldc: L)
                                                geo.col2im(col, intoImage: dx + b * image)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if needX { self.withGradBuffer { run($0.baseAddress!) } } else { run(nil) }
            if needW {
                partials.withUnsafeBufferPointer { pp in
                    weight.withGradDestination { dw, fresh in
                        let n = cout * K
                        if fresh { dw.baseAddress!.update(from: pp.baseAddress!, count: n) }
                        for group in (fresh ? 1 : 0)..<groups {
                            Scalar.axpy(n: n, alpha: 1, x: pp.baseAddress! + group * n, incx: 1, y: dw.baseAddress!, incy: 1)
                        }
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
                    Parallel.gemm(transposeA: true, transposeB: false, m: K, n: N, k: cin, alpha: 1,
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
                            Parallel.gemm(transposeA: false, transposeB: false, m: cin, n: N, k: K, alpha: 1,
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
                            Parallel.gemm(transposeA: false, transposeB: true, m: cin, n: K, k: N, alpha: 1,
                                        a: pt.baseAddress!, lda: N, b: pc.baseAddress!, ldb: N, beta: 1, c: dw.baseAddress!, ldc: K)
                        }
                    }
                }
            }
            bias?.withGradBuffer { db in accumulateChannelSums(g.baseAddress!, into: db.baseAddress!, b: B, c: cout, l: Ho * Wo) }
        }
    }
}
