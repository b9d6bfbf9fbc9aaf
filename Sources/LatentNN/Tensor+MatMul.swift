import LatentCore

/// Matrix products through BLAS `gemm`, with transpose flags instead of transposed copies.
extension Tensor {
    /// The matrix product of the last two dimensions, `op(self) · op(other)`, where `op` transposes
    /// the last two dimensions on request (no copy: the flag goes to `gemm`).
    ///
    /// Shapes (with `op` applied): `(M, K) · (K, N) → (M, N)`; batched
    /// `(…, M, K) · (…, K, N) → (…, M, N)` with equal leading batch dimensions; or
    /// `(…, M, K) · (K, N) → (…, M, N)` (a shared right factor, e.g. a weight matrix: one GEMM
    /// over all rows when `transposeA` is false).
    ///
    /// Backward, for `C = A·B`: `∂A = g·Bᵀ`, `∂B = Aᵀ·g`, each one GEMM per batch item
    /// accumulated into the gradient with `beta = 1` (the transposed cases swap roles likewise).
    ///
    /// - Complexity: O(batch · M · N · K) in BLAS.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 2 && b.rank >= 2, "matmul: need at least 2-D operands, got \(a.shape) and \(b.shape)")
        let ar = a.shape[a.rank - 2], ac = a.shape[a.rank - 1]
        let br = b.shape[b.rank - 2], bc = b.shape[b.rank - 1]
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (kb, n) = transposeB ? (bc, br) : (br, bc)
        precondition(k == kb, "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "") (\(k) vs \(kb))")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        precondition(batchB.isEmpty || batchA == batchB,
                     "matmul: batch dimensions differ: \(a.shape) · \(b.shape) (need equal leading dimensions, or a 2-D right operand)")
        var batch = batchA.reduce(1, *)
        var mm = m
        // A shared right factor with an untransposed left: fold the batch into the rows.
        if batchB.isEmpty && !transposeA { mm = m * batch; batch = 1 }
        let strideA = ar * ac, strideB = batchB.isEmpty ? 0 : br * bc, strideC = m * n
        let lda = ac, ldb = bc
        let total = batchA.reduce(1, *) * m * n
        // Every element is written by a GEMM with beta = 0 (zeros when k = 0).
        let out = [Scalar](unsafeUninitializedCapacity: total) { pc, initialized in
            a.storage.withUnsafeBufferPointer { pa in
                b.storage.withUnsafeBufferPointer { pb in
                    for i in 0..<batch {
                        Parallel.gemm(transposeA: transposeA, transposeB: transposeB, m: mm, n: n, k: k, alpha: 1,
                                    a: pa.baseAddress! + i * strideA, lda: lda, b: pb.baseAddress! + i * strideB, ldb: ldb,
                                    beta: 0, c: pc.baseAddress! + i * strideC, ldc: n)
                    }
                }
            }
            initialized = total
        }
        let shape = batchA + [m, n]
        return Tensor(shape: shape, storage: out, op: "matmul", parents: [a, b]) { g in
            let gp = g.baseAddress!
            if a.requiresGrad {
                // ∂op(A) = g·op(B)ᵀ. With A untransposed: ∂A (m×k) = g (m×n) · op(B)ᵀ.
                // With A transposed (stored k×m): ∂A = op(B) · gᵀ.
                b.storage.withUnsafeBufferPointer { pb in
                    a.withGradDestination { da, fresh in
                        let beta: Scalar = fresh ? 0 : 1      // each batch item writes its own block
                        for i in 0..<batch {
                            let bp = pb.baseAddress! + i * strideB, dp = da.baseAddress! + i * strideA, gi = gp + i * strideC
                            if !transposeA {
                                Parallel.gemm(transposeA: false, transposeB: !transposeB, m: mm, n: k, k: n, alpha: 1,
                                            a: gi, lda: n, b: bp, ldb: ldb, beta: beta, c: dp, ldc: lda)
                            } else {
                                Parallel.gemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n, alpha: 1,
                                            a: bp, lda: ldb, b: gi, ldb: n, beta: beta, c: dp, ldc: lda)
                            }
                        }
                    }
                }
            }
            if b.requiresGrad {
                // ∂op(B) = op(A)ᵀ·g. With B untransposed: ∂B (k×n) = op(A)ᵀ · g.
                // With B transposed (stored n×k): ∂B = gᵀ · op(A).
                a.storage.withUnsafeBufferPointer { pa in
                    b.withGradDestination { db, fresh in
                        for i in 0..<batch {
                            // A shared right factor (strideB = 0) sums over the batch items.
                            let beta: Scalar = fresh && (strideB != 0 || i == 0) ? 0 : 1
                            let ap = pa.baseAddress! + i * strideA, dp = db.baseAddress! + i * strideB, gi = gp + i * strideC
                            if !transposeB {
                                Parallel.gemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: mm, alpha: 1,
                                            a: ap, lda: lda, b: gi, ldb: n, beta: beta, c: dp, ldc: ldb)
                            } else {
                                Parallel.gemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: mm, alpha: 1,
                                            a: gi, lda: n, b: ap, ldb: lda, beta: beta, c: dp, ldc: ldb)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A fully connected layer in one operation: `self·weightᵀ + bias`, the bias written into the
    /// output first and the product added by one GEMM (`beta = 1`), so no second pass and no
    /// temporary. Shapes: `self (…, in)`, `weight (out, in)`, `bias (out)` → `(…, out)`.
    ///
    /// Backward, with `X` the input as `(rows, in)` and `G` the gradient `(rows, out)`:
    /// `∂X = G·W`, `∂W = Gᵀ·X`, `∂bias = Σ_rows G`.
    /// - Complexity: O(rows · in · out) in BLAS.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(weight.rank == 2 && rank >= 1 && shape[rank - 1] == weight.shape[1],
                     "linear: input \(shape) for weight \(weight.shape) (need last dimension \(weight.shape.count == 2 ? weight.shape[1] : -1))")
        let (inputs, outputs) = (weight.shape[1], weight.shape[0])
        if let bias { precondition(bias.shape == [outputs], "linear: bias \(bias.shape) for weight \(weight.shape)") }
        let rows = count / Swift.max(1, inputs)
        let x = self
        let out = [Scalar](unsafeUninitializedCapacity: rows * outputs) { pc, initialized in
            let c = pc.baseAddress!
            x.storage.withUnsafeBufferPointer { pa in
                weight.storage.withUnsafeBufferPointer { pw in
                    (bias?.storage ?? []).withUnsafeBufferPointer { pb in
                        // Each block of rows gets the bias just before its GEMM, on its thread.
                        let fillBias: ((Range<Int>) -> Void)? = bias == nil ? nil : { block in
                            for r in block { (c + r * outputs).initialize(from: pb.baseAddress!, count: outputs) }
                        }
                        Parallel.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, alpha: 1,
                                      a: pa.baseAddress!, lda: inputs, b: pw.baseAddress!, ldb: inputs,
                                      beta: bias == nil ? 0 : 1, c: c, ldc: outputs, prepareRows: fillBias)
                    }
                }
            }
            initialized = rows * outputs
        }
        let parents = [x, weight] + (bias.map { [$0] } ?? [])
        return Tensor(shape: Array(shape.dropLast()) + [outputs], storage: out, op: "linear", parents: parents) { g in
            let gp = g.baseAddress!
            x.withGradDestination { dx, fresh in
                weight.storage.withUnsafeBufferPointer { pw in
                    Parallel.gemm(transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, alpha: 1,
                                a: gp, lda: outputs, b: pw.baseAddress!, ldb: inputs, beta: fresh ? 0 : 1,
                                c: dx.baseAddress!, ldc: inputs)
                }
            }
            // ∂b[j] += Σ_r g[r, j] for the outputs `js`, rows in order (so any split gives the same bits).
            func addBiasGradient(_ d: UnsafeMutablePointer<Scalar>, outputs js: Range<Int>) {
                for r in 0..<rows {
                    let row = gp + r * outputs
                    for j in js { d[j] += row[j] }
                }
            }
            func addWeightGradient(biasRows: ((Range<Int>) -> Void)?) {
                weight.withGradDestination { dw, fresh in
                    x.storage.withUnsafeBufferPointer { pa in
                        Parallel.gemm(transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, alpha: 1,
                                      a: gp, lda: outputs, b: pa.baseAddress!, ldb: inputs, beta: fresh ? 0 : 1,
                                      c: dw.baseAddress!, ldc: inputs, prepareRows: biasRows)
                    }
                }
            }
            if let bias, bias.requiresGrad {
                bias.withGradBuffer { db in
                    let d = db.baseAddress!
                    // Each block of ∂W's rows (= outputs) first adds its outputs' bias gradients, on its thread.
                    if weight.requiresGrad { addWeightGradient { js in addBiasGradient(d, outputs: js) } }
                    else { addBiasGradient(d, outputs: 0..<outputs) }
                }
            } else {
                addWeightGradient(biasRows: nil)
            }
        }
    }
}
