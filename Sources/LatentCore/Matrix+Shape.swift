/// Slicing, gathering, concatenation, transpose and reshape. Each returns a new matrix.
extension Matrix {
    /// Row `i` as an array. - Complexity: O(columns).
    @inlinable
    public func row(_ i: Int) -> [Scalar] {
        precondition(i >= 0 && i < rows, "row: index \(i) outside \(rows) rows")
        return Array(storage[i * columns..<(i + 1) * columns])
    }

    /// Column `j` as an array. - Complexity: O(rows).
    @inlinable
    public func column(_ j: Int) -> [Scalar] {
        precondition(j >= 0 && j < columns, "column: index \(j) outside \(columns) columns")
        return (0..<rows).map { storage[$0 * columns + j] }
    }

    /// Replaces row `i`.
    @inlinable
    public mutating func setRow(_ i: Int, _ values: [Scalar]) {
        precondition(i >= 0 && i < rows, "setRow: index \(i) outside \(rows) rows")
        precondition(values.count == columns, "setRow: \(values.count) values for \(columns) columns")
        storage.replaceSubrange(i * columns..<(i + 1) * columns, with: values)
    }

    /// Replaces column `j`.
    @inlinable
    public mutating func setColumn(_ j: Int, _ values: [Scalar]) {
        precondition(j >= 0 && j < columns, "setColumn: index \(j) outside \(columns) columns")
        precondition(values.count == rows, "setColumn: \(values.count) values for \(rows) rows")
        for i in 0..<rows { storage[i * columns + j] = values[i] }
    }

    /// The contiguous rows `range`. - Complexity: O(range.count × columns).
    @inlinable
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows: \(range) outside \(rows) rows")
        return Matrix(rows: range.count, columns: columns,
                      storage: Array(storage[range.lowerBound * columns..<range.upperBound * columns]))
    }

    /// The contiguous columns `range`.
    @inlinable
    public func columns(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "columns: \(range) outside \(columns) columns")
        var out = [Scalar]()
        out.reserveCapacity(rows * range.count)
        for i in 0..<rows { out.append(contentsOf: storage[i * columns + range.lowerBound..<i * columns + range.upperBound]) }
        return Matrix(rows: rows, columns: range.count, storage: out)
    }

    /// The rows at `indices`, in that order (repeats allowed).
    @inlinable
    public func rows(at indices: [Int]) -> Matrix {
        var out = [Scalar]()
        out.reserveCapacity(indices.count * columns)
        for i in indices {
            precondition(i >= 0 && i < rows, "rows(at:): index \(i) outside \(rows) rows")
            out.append(contentsOf: storage[i * columns..<(i + 1) * columns])
        }
        return Matrix(rows: indices.count, columns: columns, storage: out)
    }

    /// The columns at `indices`, in that order (repeats allowed).
    @inlinable
    public func columns(at indices: [Int]) -> Matrix {
        for j in indices { precondition(j >= 0 && j < columns, "columns(at:): index \(j) outside \(columns) columns") }
        var out = [Scalar]()
        out.reserveCapacity(rows * indices.count)
        for i in 0..<rows {
            let o = i * columns
            for j in indices { out.append(storage[o + j]) }
        }
        return Matrix(rows: rows, columns: indices.count, storage: out)
    }

    /// Stacks matrices with equal column counts on top of each other.
    public static func vstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix.zeros(0, 0) }
        for p in parts {
            precondition(p.columns == first.columns, "vstack: \(p.shapeDescription) does not match \(first.columns) columns")
        }
        return Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: first.columns, storage: parts.flatMap { $0.storage })
    }

    /// Places matrices with equal row counts side by side.
    public static func hstack(_ parts: [Matrix]) -> Matrix {
        guard let first = parts.first else { return Matrix.zeros(0, 0) }
        for p in parts { precondition(p.rows == first.rows, "hstack: \(p.shapeDescription) does not match \(first.rows) rows") }
        var out = [Scalar]()
        let total = parts.reduce(0) { $0 + $1.columns }
        out.reserveCapacity(first.rows * total)
        for i in 0..<first.rows {
            for p in parts { out.append(contentsOf: p.storage[i * p.columns..<(i + 1) * p.columns]) }
        }
        return Matrix(rows: first.rows, columns: total, storage: out)
    }

    /// The transpose, copied in cache-friendly 32 × 32 blocks. Prefer the transpose flags of
    /// `gemm`/`gemv` where a product is what you need: they avoid this copy.
    @inlinable
    public var transposed: Matrix {
        let (r, c) = (rows, columns)
        let out = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(buffer)
            storage.withUnsafeBufferPointer { src in
                let block = 32
                for i0 in stride(from: 0, to: r, by: block) {
                    for j0 in stride(from: 0, to: c, by: block) {
                        for i in i0..<Swift.min(i0 + block, r) {
                            for j in j0..<Swift.min(j0 + block, c) { buffer[j * r + i] = src[i * c + j] }
                        }
                    }
                }
            }
            initialized = r * c
        }
        return Matrix(rows: c, columns: r, storage: out)
    }

    /// The same elements in a `rows × columns` shape (row-major order kept). - Complexity: O(1).
    @inlinable
    public func reshaped(_ rows: Int, _ columns: Int) -> Matrix {
        precondition(rows * columns == count, "reshape: \(shapeDescription) cannot become \(rows)×\(columns)")
        return Matrix(rows: rows, columns: columns, storage: storage)
    }

    /// The diagonal `self[i, i]` for `i < min(rows, columns)`.
    public var diagonal: [Scalar] { (0..<Swift.min(rows, columns)).map { storage[$0 * columns + $0] } }
}
