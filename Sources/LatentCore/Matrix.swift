/// A dense, row-major matrix of `Float` or `Double` with value semantics.
///
/// Rows are samples and columns are features, as in a CSV file. The elements live in a Swift
/// array, so copies are cheap and storage is copied only when a shared matrix is mutated
/// (copy-on-write). Element `(i, j)` is `storage[i * columns + j]`.
///
/// Shape errors are programmer errors and stop with a `precondition` that names both shapes;
/// numerical failures (LAPACK's `info`) are thrown as `LinearAlgebraError`.
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable, Codable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// The elements in row-major order; `storage.count == rows * columns`.
    public var storage: [Scalar]

    /// A matrix over existing row-major elements. - Complexity: O(1) (the array is shared).
    @inlinable
    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)×\(columns)")
        precondition(storage.count == rows * columns,
                     "Matrix: \(storage.count) elements do not fill a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A `rows × columns` matrix with every element `value`.
    @inlinable
    public init(rows: Int, columns: Int, repeating value: Scalar) {
        self.init(rows: rows, columns: columns, storage: [Scalar](repeating: value, count: rows * columns))
    }

    /// A `rows × columns` matrix with every element `value`.
    @inlinable
    public static func filled(_ rows: Int, _ columns: Int, with value: Scalar) -> Matrix {
        Matrix(rows: rows, columns: columns, repeating: value)
    }

    /// A matrix of zeros.
    @inlinable
    public static func zeros(_ rows: Int, _ columns: Int) -> Matrix { Matrix(rows: rows, columns: columns, repeating: 0) }

    /// A matrix of ones.
    @inlinable
    public static func ones(_ rows: Int, _ columns: Int) -> Matrix { Matrix(rows: rows, columns: columns, repeating: 1) }

    /// The `n × n` identity.
    @inlinable
    public static func identity(_ n: Int) -> Matrix {
        var m = zeros(n, n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// A square matrix with `values` on its diagonal.
    @inlinable
    public static func diagonal(_ values: [Scalar]) -> Matrix {
        let n = values.count
        var m = zeros(n, n)
        for i in 0..<n { m.storage[i * n + i] = values[i] }
        return m
    }

    /// A matrix from an array of equally long rows; `[]` gives a 0×0 matrix.
    /// - Complexity: O(rows·columns).
    public init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        for (i, row) in rowArrays.enumerated() {
            precondition(row.count == columns, "Matrix: row \(i) has \(row.count) elements, row 0 has \(columns)")
        }
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// A matrix whose element `(i, j)` is `body(i, j)`.
    @inlinable
    public init(rows: Int, columns: Int, _ body: (Int, Int) -> Scalar) {
        var storage = [Scalar]()
        storage.reserveCapacity(rows * columns)
        for i in 0..<rows { for j in 0..<columns { storage.append(body(i, j)) } }
        self.init(rows: rows, columns: columns, storage: storage)
    }

    /// `(rows, columns)`.
    @inlinable public var shape: (rows: Int, columns: Int) { (rows, columns) }
    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// `"rows×columns"`, for messages.
    public var shapeDescription: String { "\(rows)×\(columns)" }

    /// Element `(i, j)`, bounds-checked.
    @inlinable
    public subscript(i: Int, j: Int) -> Scalar {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix: index (\(i), \(j)) outside \(rows)×\(columns)")
            return storage[i * columns + j]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix: index (\(i), \(j)) outside \(rows)×\(columns)")
            storage[i * columns + j] = newValue
        }
    }
}

extension Matrix {
    private enum CodingKeys: String, CodingKey { case rows, columns, storage }

    /// Decodes `rows`, `columns` and `storage`, and rejects data whose element count does not fill
    /// the shape (a corrupt file must not produce a matrix that traps later).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.decode(Int.self, forKey: .rows)
        let columns = try container.decode(Int.self, forKey: .columns)
        let storage = try container.decode([Scalar].self, forKey: .storage)
        guard rows >= 0, columns >= 0, !rows.multipliedReportingOverflow(by: columns).overflow,
              storage.count == rows * columns else {
            throw DecodingError.dataCorruptedError(
                forKey: .storage, in: container,
                debugDescription: "\(storage.count) elements do not fill a \(rows)×\(columns) matrix")
        }
        self.init(rows: rows, columns: columns, storage: storage)
    }

    /// Encodes `rows`, `columns` and the row-major `storage`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        try container.encode(storage, forKey: .storage)
    }
}

extension Matrix: CustomStringConvertible {
    /// The shape, then up to 6 rows and 8 columns.
    public var description: String {
        var lines = ["Matrix<\(Scalar.typeName)> \(shapeDescription)"]
        for i in 0..<Swift.min(rows, 6) {
            let cells = (0..<Swift.min(columns, 8)).map { "\(self[i, $0])" }
            lines.append("  [" + cells.joined(separator: ", ") + (columns > 8 ? ", …]" : "]"))
        }
        if rows > 6 { lines.append("  …") }
        return lines.joined(separator: "\n")
    }
}
