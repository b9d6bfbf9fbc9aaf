/// Elementwise arithmetic, broadcasting and `map`.
///
/// `map`, `apply`, `zipMap` and `broadcasting` split loops over more than 2¹⁶ elements across
/// `Parallel.threadCount` threads (for costly functions: `exp`, `tanh`, …); `parallel: false`
/// keeps them on the calling thread. The named arithmetic (`+ − .* ./`, scalar operators,
/// `adding(row:)`, …) always runs on one thread: it is memory-bound — one core already reaches the
/// memory bandwidth (about 14 GB/s here, as NumPy) — and a second thread would mostly contend with
/// OpenBLAS's worker threads, which spin for a while after every BLAS call (measured: 4× slower).
/// Broadcasting is explicit: a row vector has one value per column (`count == columns`) and a
/// column vector one value per row (`count == rows`), so a square matrix is never ambiguous.
extension Matrix {
    // MARK: - Kernels

    /// `out[i] = f(self[i])` over the whole storage, in parallel for large matrices.
    /// `f` may run on several threads at once. - Complexity: O(count).
    @inlinable
    public func map(parallel: Bool = true, _ f: (Scalar) -> Scalar) -> Matrix {
        let n = count
        guard n > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { src in
                let dst = buffer.baseAddress!, s = src.baseAddress!
                Parallel.forEachChunk(count: n, minimumPerThread: parallel ? 1 << 16 : .max) { range in
                    for i in range { (dst + i).initialize(to: f(s[i])) }
                }
            }
            initialized = n
        }
        return Matrix(rows: rows, columns: columns, storage: out)
    }

    /// Applies `f` to every element in place (in parallel for large matrices). - Complexity: O(count).
    @inlinable
    public mutating func apply(parallel: Bool = true, _ f: (Scalar) -> Scalar) {
        let n = count
        guard n > 0 else { return }
        storage.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            Parallel.forEachChunk(count: n, minimumPerThread: parallel ? 1 << 16 : .max) { range in
                for i in range { p[i] = f(p[i]) }
            }
        }
    }

    /// `out[i] = f(self[i], other[i])` for same-shape matrices. - Complexity: O(count).
    @inlinable
    public func zipMap(_ other: Matrix, parallel: Bool = true, _ f: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(rows == other.rows && columns == other.columns,
                     "elementwise: shapes \(shapeDescription) and \(other.shapeDescription) differ")
        let n = count
        guard n > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { a in
                other.storage.withUnsafeBufferPointer { b in
                    let dst = buffer.baseAddress!, pa = a.baseAddress!, pb = b.baseAddress!
                    Parallel.forEachChunk(count: n, minimumPerThread: parallel ? 1 << 16 : .max) { range in
                        for i in range { (dst + i).initialize(to: f(pa[i], pb[i])) }
                    }
                }
            }
            initialized = n
        }
        return Matrix(rows: rows, columns: columns, storage: out)
    }

    /// `out[i, j] = f(self[i, j], row[j])`: combines every row with a row vector.
    /// - Complexity: O(rows·columns).
    @inlinable
    public func broadcasting(row vector: [Scalar], parallel: Bool = true, _ f: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(vector.count == columns,
                     "broadcast: row vector of \(vector.count) elements against \(shapeDescription)")
        let (r, c) = (rows, columns)
        guard r > 0 && c > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: r * c) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { a in
                vector.withUnsafeBufferPointer { v in
                    let dst = buffer.baseAddress!, pa = a.baseAddress!, pv = v.baseAddress!
                    Parallel.forEachChunk(count: r, minimumPerThread: parallel ? Swift.max(1, (1 << 16) / c) : .max) { range in
                        for i in range {
                            let (o, ri) = (dst + i * c, pa + i * c)
                            for j in 0..<c { (o + j).initialize(to: f(ri[j], pv[j])) }
                        }
                    }
                }
            }
            initialized = r * c
        }
        return Matrix(rows: r, columns: c, storage: out)
    }

    /// `out[i, j] = f(self[i, j], column[i])`: combines every column with a column vector.
    /// - Complexity: O(rows·columns).
    @inlinable
    public func broadcasting(column vector: [Scalar], parallel: Bool = true, _ f: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(vector.count == rows,
                     "broadcast: column vector of \(vector.count) elements against \(shapeDescription)")
        let (r, c) = (rows, columns)
        guard r > 0 && c > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: r * c) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { a in
                vector.withUnsafeBufferPointer { v in
                    let dst = buffer.baseAddress!, pa = a.baseAddress!, pv = v.baseAddress!
                    Parallel.forEachChunk(count: r, minimumPerThread: parallel ? Swift.max(1, (1 << 16) / c) : .max) { range in
                        for i in range {
                            let (o, ri, vi) = (dst + i * c, pa + i * c, pv[i])
                            for j in 0..<c { (o + j).initialize(to: f(ri[j], vi)) }
                        }
                    }
                }
            }
            initialized = r * c
        }
        return Matrix(rows: r, columns: c, storage: out)
    }

    // MARK: - Named broadcasts

    /// Adds `vector[j]` to column `j` of every row.
    @inlinable public func adding(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, parallel: false, +) }
    /// Subtracts `vector[j]` from column `j` of every row (e.g. centring by the column means).
    @inlinable public func subtracting(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, parallel: false, -) }
    /// Multiplies column `j` of every row by `vector[j]`.
    @inlinable public func multiplying(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, parallel: false, *) }
    /// Divides column `j` of every row by `vector[j]`.
    @inlinable public func dividing(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, parallel: false, /) }
    /// Adds `vector[i]` to every element of row `i`.
    @inlinable public func adding(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, parallel: false, +) }
    /// Subtracts `vector[i]` from every element of row `i`.
    @inlinable public func subtracting(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, parallel: false, -) }
    /// Multiplies row `i` by `vector[i]`.
    @inlinable public func multiplying(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, parallel: false, *) }
    /// Divides row `i` by `vector[i]`.
    @inlinable public func dividing(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, parallel: false, /) }

    // MARK: - Operators

    /// Elementwise sum of same-shape matrices. - Complexity: O(count), parallel when large.
    @inlinable public static func + (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, parallel: false, +) }
    /// Elementwise difference of same-shape matrices.
    @inlinable public static func - (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, parallel: false, -) }
    /// Elementwise (Hadamard) product; the matrix product is `*` (`Matrix+BLAS.swift`).
    @inlinable public static func .* (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, parallel: false, *) }
    /// Elementwise quotient of same-shape matrices.
    @inlinable public static func ./ (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, parallel: false, /) }
    /// Adds `s` to every element.
    @inlinable public static func + (a: Matrix, s: Scalar) -> Matrix { a.map(parallel: false) { $0 + s } }
    /// Subtracts `s` from every element.
    @inlinable public static func - (a: Matrix, s: Scalar) -> Matrix { a.map(parallel: false) { $0 - s } }
    /// Multiplies every element by `s`.
    @inlinable public static func * (a: Matrix, s: Scalar) -> Matrix { a.map(parallel: false) { $0 * s } }
    /// Divides every element by `s`.
    @inlinable public static func / (a: Matrix, s: Scalar) -> Matrix { a.map(parallel: false) { $0 / s } }
    /// Adds `s` to every element.
    @inlinable public static func + (s: Scalar, a: Matrix) -> Matrix { a.map(parallel: false) { s + $0 } }
    /// `s − a[i, j]` for every element.
    @inlinable public static func - (s: Scalar, a: Matrix) -> Matrix { a.map(parallel: false) { s - $0 } }
    /// Multiplies every element by `s`.
    @inlinable public static func * (s: Scalar, a: Matrix) -> Matrix { a.map(parallel: false) { s * $0 } }
    /// `s / a[i, j]` for every element.
    @inlinable public static func / (s: Scalar, a: Matrix) -> Matrix { a.map(parallel: false) { s / $0 } }
    /// Negates every element.
    @inlinable public static prefix func - (a: Matrix) -> Matrix { a.map(parallel: false) { -$0 } }
    /// `a ← a + b` in place (BLAS `axpy`).
    @inlinable public static func += (a: inout Matrix, b: Matrix) {
        precondition(a.rows == b.rows && a.columns == b.columns, "+=: shapes \(a.shapeDescription) and \(b.shapeDescription) differ")
        guard a.count > 0 else { return }
        b.storage.withUnsafeBufferPointer { pb in
            a.storage.withUnsafeMutableBufferPointer { pa in
                Scalar.axpy(n: pa.count, alpha: 1, x: pb.baseAddress!, incx: 1, y: pa.baseAddress!, incy: 1)
            }
        }
    }
    /// `a ← a − b` in place (BLAS `axpy`).
    @inlinable public static func -= (a: inout Matrix, b: Matrix) {
        precondition(a.rows == b.rows && a.columns == b.columns, "-=: shapes \(a.shapeDescription) and \(b.shapeDescription) differ")
        guard a.count > 0 else { return }
        b.storage.withUnsafeBufferPointer { pb in
            a.storage.withUnsafeMutableBufferPointer { pa in
                Scalar.axpy(n: pa.count, alpha: -1, x: pb.baseAddress!, incx: 1, y: pa.baseAddress!, incy: 1)
            }
        }
    }
    /// Adds `s` to every element in place.
    @inlinable public static func += (a: inout Matrix, s: Scalar) { a.apply(parallel: false) { $0 + s } }
    /// Subtracts `s` from every element in place.
    @inlinable public static func -= (a: inout Matrix, s: Scalar) { a.apply(parallel: false) { $0 - s } }
    /// Multiplies every element by `s` in place.
    @inlinable public static func *= (a: inout Matrix, s: Scalar) { a.apply(parallel: false) { $0 * s } }
    /// Divides every element by `s` in place.
    @inlinable public static func /= (a: inout Matrix, s: Scalar) { a.apply(parallel: false) { $0 / s } }
}

infix operator .* : MultiplicationPrecedence
infix operator ./ : MultiplicationPrecedence
