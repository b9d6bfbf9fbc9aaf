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
        var out = [Scalar](repeating: 0, count: batchA.reduce(1, *) * m * n)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<batch {
                        Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: mm, n: n, k: k, alpha: 1,
                                    a: pa.baseAddress! + i * strideA, lda: lda, b: pb.baseAddress! + i * strideB, ldb: ldb,
                                    beta: 0, c: pc.baseAddress! + i * strideC, ldc: n)
                    }
                }
            }
        }
        let shape = batchA + [m, n]
        return Tensor(shape: shape, storage: out, op: "matmul", parents: [a, b]) { g in
            let gp = g.baseAddress!
            if a.requiresGrad {
                // ∂op(A) = g·op(B)ᵀ. With A untransposed: ∂A (m×k) = g (m×n) · op(B)ᵀ.
                // With A transposed (stored k×m): ∂A = op(B) · gᵀ.
                b.storage.withUnsafeBufferPointer { pb in
                    a.withGradBuffer { da in
                        for i in 0..<batch {
                            let bp = pb.baseAddress! + i * strideB, dp = da.baseAddress! + i * strideA, gi = gp + i * strideC
                            if !transposeA {
                                Scalar.gemm(transposeA: false, transposeB: !transposeB, m: mm, n: k, k: n, alpha: 1,
                                            a: gi, lda: n, b: bp, ldb: ldb, beta: 1, c: dp, ldc: lda)
                            } else {
                                Scalar.gemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n, alpha: 1,
                                            a: bp, lda: ldb, b: gi, ldb: n, beta: 1, c: dp, ldc: lda)
                            }
                        }
                    }
                }
            }
            if b.requiresGrad {
                // ∂op(B) = op(A)ᵀ·g. With B untransposed: ∂B (k×n) = op(A)ᵀ · g.
                // With B transposed (stored n×k): ∂B = gᵀ · op(A).
                a.storage.withUnsafeBufferPointer { pa in
                    b.withGradBuffer { db in
                        for i in 0..<batch {
                            let ap = pa.baseAddress! + i * strideA, dp = db.baseAddress! + i * strideB, gi = gp + i * strideC
                            if !transposeB {
                                Scalar.gemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: mm, alpha: 1,
                                            a: ap, lda: lda, b: gi, ldb: n, beta: 1, c: dp, ldc: ldb)
                            } else {
                                Scalar.gemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: mm, alpha: 1,
                                            a: gi, lda: n, b: ap, ldb: lda, beta: 1, c: dp, ldc: ldb)
                            }
                        }
                    }
                }
            }
        }
    }
}
