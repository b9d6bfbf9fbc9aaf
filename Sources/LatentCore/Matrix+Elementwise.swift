/// Elementwise arithmetic, broadcasting and `map`.
///
/// Loops over more than 2¹⁶ elements are split across `Parallel.threadCount` threads.
/// Broadcasting is explicit: a row vector has one value per column (`count == columns`) and a
/// column vector one value per row (`count == rows`), so a square matrix is never ambiguous.
extension Matrix {
    // MARK: - Kernels

    /// `out[i] = f(self[i])` over the whole storage, in parallel for large matrices.
    /// `f` may run on several threads at once. - Complexity: O(count).
    @inlinable
    public func map(_ f: (Scalar) -> Scalar) -> Matrix {
        let n = count
        guard n > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { src in
                let dst = buffer.baseAddress!, s = src.baseAddress!
                Parallel.forEachChunk(count: n) { range in
                    for i in range { (dst + i).initialize(to: f(s[i])) }
                }
            }
            initialized = n
        }
        return Matrix(rows: rows, columns: columns, storage: out)
    }

    /// Applies `f` to every element in place (in parallel for large matrices). - Complexity: O(count).
    @inlinable
    public mutating func apply(_ f: (Scalar) -> Scalar) {
        let n = count
        guard n > 0 else { return }
        storage.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            Parallel.forEachChunk(count: n) { range in
                for i in range { p[i] = f(p[i]) }
            }
        }
    }

    /// `out[i] = f(self[i], other[i])` for same-shape matrices. - Complexity: O(count).
    @inlinable
    public func zipMap(_ other: Matrix, _ f: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(rows == other.rows && columns == other.columns,
                     "elementwise: shapes \(shapeDescription) and \(other.shapeDescription) differ")
        let n = count
        guard n > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: n) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { a in
                other.storage.withUnsafeBufferPointer { b in
                    let dst = buffer.baseAddress!, pa = a.baseAddress!, pb = b.baseAddress!
                    Parallel.forEachChunk(count: n) { range in
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
    public func broadcasting(row vector: [Scalar], _ f: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(vector.count == columns,
                     "broadcast: row vector of \(vector.count) elements against \(shapeDescription)")
        let (r, c) = (rows, columns)
        guard r > 0 && c > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: r * c) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { a in
                vector.withUnsafeBufferPointer { v in
                    let dst = buffer.baseAddress!, pa = a.baseAddress!, pv = v.baseAddress!
                    Parallel.forEachChunk(count: r, minimumPerThread: Swift.max(1, (1 << 16) / c)) { range in
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
    public func broadcasting(column vector: [Scalar], _ f: (Scalar, Scalar) -> Scalar) -> Matrix {
        precondition(vector.count == rows,
                     "broadcast: column vector of \(vector.count) elements against \(shapeDescription)")
        let (r, c) = (rows, columns)
        guard r > 0 && c > 0 else { return self }
        let out = [Scalar](unsafeUninitializedCapacity: r * c) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { a in
                vector.withUnsafeBufferPointer { v in
                    let dst = buffer.baseAddress!, pa = a.baseAddress!, pv = v.baseAddress!
                    Parallel.forEachChunk(count: r, minimumPerThread: Swift.max(1, (1 << 16) / c)) { range in
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
    @inlinable public func adding(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, +) }
    /// Subtracts `vector[j]` from column `j` of every row (e.g. centring by the column means).
    @inlinable public func subtracting(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, -) }
    /// Multiplies column `j` of every row by `vector[j]`.
    @inlinable public func multiplying(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, *) }
    /// Divides column `j` of every row by `vector[j]`.
    @inlinable public func dividing(row vector: [Scalar]) -> Matrix { broadcasting(row: vector, /) }
    /// Adds `vector[i]` to every element of row `i`.
    @inlinable public func adding(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, +) }
    /// Subtracts `vector[i]` from every element of row `i`.
    @inlinable public func subtracting(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, -) }
    /// Multiplies row `i` by `vector[i]`.
    @inlinable public func multiplying(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, *) }
    /// Divides row `i` by `vector[i]`.
    @inlinable public func dividing(column vector: [Scalar]) -> Matrix { broadcasting(column: vector, /) }

    // MARK: - Operators

    /// Elementwise sum of same-shape matrices. - Complexity: O(count), parallel when large.
    @inlinable public static func + (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, +) }
    /// Elementwise difference of same-shape matrices.
    @inlinable public static func - (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, -) }
    /// Elementwise (Hadamard) product; the matrix product is `*` (`Matrix+BLAS.swift`).
    @inlinable public static func .* (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, *) }
    /// Elementwise quotient of same-shape matrices.
    @inlinable public static func ./ (a: Matrix, b: Matrix) -> Matrix { a.zipMap(b, /) }
    /// Adds `s` to every element.
    @inlinable public static func + (a: Matrix, s: Scalar) -> Matrix { a.map { $0 + s } }
    /// Subtracts `s` from every element.
    @inlinable public static func - (a: Matrix, s: Scalar) -> Matrix { a.map { $0 - s } }
    /// Multiplies every element by `s`.
    @inlinable public static func * (a: Matrix, s: Scalar) -> Matrix { a.map { $0 * s } }
    /// Divides every element by `s`.
    @inlinable public static func / (a: Matrix, s: Scalar) -> Matrix { a.map { $0 / s } }
    /// Adds `s` to every element.
    @inlinable public static func + (s: Scalar, a: Matrix) -> Matrix { a.map { s + $0 } }
    /// `s − a[i, j]` for every element.
    @inlinable public static func - (s: Scalar, a: Matrix) -> Matrix { a.map { s - $0 } }
    /// Multiplies every element by `s`.
    @inlinable public static func * (s: Scalar, a: Matrix) -> Matrix { a.map { s * $0 } }
    /// `s / a[i, j]` for every element.
    @inlinable public static func / (s: Scalar, a: Matrix) -> Matrix { a.map { s / $0 } }
    /// Negates every element.
    @inlinable public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }
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
    @inlinable public static func += (a: inout Matrix, s: Scalar) { a.apply { $0 + s } }
    /// Subtracts `s` from every element in place.
    @inlinable public static func -= (a: inout Matrix, s: Scalar) { a.apply { $0 - s } }
    /// Multiplies every element by `s` in place.
    @inlinable public static func *= (a: inout Matrix, s: Scalar) { a.apply { $0 * s } }
    /// Divides every element by `s` in place.
    @inlinable public static func /= (a: inout Matrix, s: Scalar) { a.apply { $0 / s } }
}

infix operator .* : MultiplicationPrecedence
infix operator ./ : MultiplicationPrecedence
