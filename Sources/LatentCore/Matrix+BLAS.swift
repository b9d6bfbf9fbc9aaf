/// Products through BLAS: never a loop, never a materialised transpose.
extension Matrix {
    /// `alpha · op(a) · op(b)`, where `op` transposes on request. One `?gemm` call.
    /// - Complexity: O(m·n·k) for an m×k times k×n product.
    @inlinable
    public static func gemm(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
                            alpha: Scalar = 1) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        var c = Matrix.zeros(m, n)
        gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0)
        return c
    }

    /// `c ← alpha · op(a) · op(b) + beta · c`, writing into an existing output buffer (no allocation).
    @inlinable
    public static func gemm(_ a: Matrix, _ b: Matrix, into c: inout Matrix, transposeA: Bool = false,
                            transposeB: Bool = false, alpha: Scalar = 1, beta: Scalar = 0) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb, "gemm: inner dimensions differ: op(a) is \(m)×\(k), op(b) is \(kb)×\(n)")
        precondition(c.rows == m && c.columns == n, "gemm: output is \(c.shapeDescription), product is \(m)×\(n)")
        guard m > 0 && n > 0 else { return }
        if k == 0 {
            if beta == 0 { c.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } } else { c *= beta }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                a: pa.baseAddress!, lda: Swift.max(1, a.columns), b: pb.baseAddress!, ldb: Swift.max(1, b.columns),
                                beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// The matrix product `a · b`.
    @inlinable
    public static func * (a: Matrix, b: Matrix) -> Matrix { gemm(a, b) }

    /// `self · other` with optional transposes, e.g. `x.matmul(w, transposeB: true)` for `x·wᵀ`.
    @inlinable
    public func matmul(_ other: Matrix, transposeSelf: Bool = false, transposeB: Bool = false) -> Matrix {
        Matrix.gemm(self, other, transposeA: transposeSelf, transposeB: transposeB)
    }

    /// `alpha · op(self) · x` for a vector `x` (`?gemv`). - Complexity: O(rows·columns).
    @inlinable
    public func gemv(_ x: [Scalar], transpose: Bool = false, alpha: Scalar = 1) -> [Scalar] {
        var y = [Scalar](repeating: 0, count: transpose ? columns : rows)
        gemv(x, into: &y, transpose: transpose, alpha: alpha, beta: 0)
        return y
    }

    /// `y ← alpha · op(self) · x + beta · y` (`?gemv`).
    @inlinable
    public func gemv(_ x: [Scalar], into y: inout [Scalar], transpose: Bool = false, alpha: Scalar = 1, beta: Scalar = 0) {
        let (m, n) = transpose ? (columns, rows) : (rows, columns)
        precondition(x.count == n, "gemv: \(transpose ? "transposed " : "")\(shapeDescription) times a vector of \(x.count)")
        precondition(y.count == m, "gemv: output has \(y.count) elements, product has \(m)")
        guard rows > 0 && columns > 0 else {
            for i in y.indices { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    Scalar.gemv(transpose: transpose, m: rows, n: columns, alpha: alpha, a: pa.baseAddress!, lda: columns,
                                x: px.baseAddress!, incx: 1, beta: beta, y: py.baseAddress!, incy: 1)
                }
            }
        }
    }

    /// `self ← alpha · x + self` (`?axpy`) for same-shape matrices.
    @inlinable
    public mutating func axpy(_ alpha: Scalar, _ x: Matrix) {
        precondition(rows == x.rows && columns == x.columns, "axpy: shapes \(x.shapeDescription) and \(shapeDescription) differ")
        guard count > 0 else { return }
        x.storage.withUnsafeBufferPointer { px in
            storage.withUnsafeMutableBufferPointer { py in
                Scalar.axpy(n: px.count, alpha: alpha, x: px.baseAddress!, incx: 1, y: py.baseAddress!, incy: 1)
            }
        }
    }

    /// The symmetric Gram matrix `alpha · selfᵀ·self` (`transpose: true`, columns × columns — the
    /// scatter matrix of the features) or `alpha · self·selfᵀ` (rows × rows), by `?syrk`, which does
    /// half the work of a `gemm`; the lower triangle is mirrored from the upper.
    /// - Complexity: O(n²·k / 2).
    public func gram(transpose: Bool = true, alpha: Scalar = 1) -> Matrix {
        let (n, k) = transpose ? (columns, rows) : (rows, columns)
        var c = Matrix.zeros(n, n)
        guard n > 0 && k > 0 else { return c }
        storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar.syrk(transpose: transpose, n: n, k: k, alpha: alpha, a: pa.baseAddress!, lda: columns,
                            beta: 0, c: pc.baseAddress!, ldc: n)
            }
        }
        c.symmetrizeFromUpper()
        return c
    }

    /// Copies the upper triangle onto the lower one.
    public mutating func symmetrizeFromUpper() {
        precondition(rows == columns, "symmetrize: \(shapeDescription) is not square")
        let n = rows
        storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { for j in 0..<i { p[i * n + j] = p[j * n + i] } }
        }
    }
}
