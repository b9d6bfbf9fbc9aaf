import Foundation
import LatentCore
import Synchronization

/// The gradient of a row-indexed parameter (an embedding table `(V, D)`) kept as the rows that
/// were used and their gradients only: PyTorch's `sparse=True`, gensim's behaviour.
///
/// A lookup of `B` rows adds `B·D` numbers here instead of filling a `V·D` dense gradient, and
/// `SGD`/`Adam` update only these rows, so a step costs O(B·D) whatever the vocabulary size.
/// Rows appear in the order they were first used; repeats add up in one row.
///
/// Thread safety: like `Tensor.grad`, not to be written from two threads at once.
public final class SparseRowGradient<Scalar: BLASScalar>: @unchecked Sendable {
    /// Elements per row (`D`).
    public let rowSize: Int
    /// The rows that have a gradient, in first-use order.
    public private(set) var rows: [Int] = []
    /// Their gradients, row-major `(rows.count, rowSize)`.
    public private(set) var values: [Scalar] = []
    private var slot: [Int: Int] = [:]

    public init(rowSize: Int) { self.rowSize = rowSize }

    /// Whether no row has a gradient.
    public var isEmpty: Bool { rows.isEmpty }

    /// Adds `rowSize` values at `source` into the gradient of `row`. O(rowSize).
    public func add(row: Int, _ source: UnsafePointer<Scalar>) {
        let k: Int
        if let s = slot[row] {
            k = s
        } else {
            k = rows.count
            slot[row] = k
            rows.append(row)
            values.append(contentsOf: repeatElement(0, count: rowSize))
        }
        values.withUnsafeMutableBufferPointer { v in
            Scalar.axpy(n: rowSize, alpha: 1, x: source, incx: 1, y: v.baseAddress! + k * rowSize, incy: 1)
        }
    }

    /// Scales every stored value (gradient clipping). O(rows · rowSize).
    public func scale(by factor: Scalar) { for i in values.indices { values[i] *= factor } }

    /// Forgets every row (keeping the capacity for the next step).
    public func removeAll() {
        rows.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        slot.removeAll(keepingCapacity: true)
    }

    /// The gradient as a dense `(V, rowSize)` array (for tests and checks). O(V · rowSize).
    public func dense(rowCount: Int) -> [Scalar] {
        var out = [Scalar](repeating: 0, count: rowCount * rowSize)
        for (k, r) in rows.enumerated() {
            for j in 0..<rowSize { out[r * rowSize + j] = values[k * rowSize + j] }
        }
        return out
    }
}

/// Which tensors take sparse row gradients. `Tensor` is final and has no room for one, so the
/// association lives here, keyed by the tensor's identity and holding it weakly.
enum SparseGradientTable {
    private struct Entry: Sendable { weak var tensor: (AnyObject & Sendable)?; let gradient: AnyObject & Sendable }
    private static let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    static func register(_ tensor: AnyObject & Sendable, _ gradient: AnyObject & Sendable) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.tensor != nil }
            entries[ObjectIdentifier(tensor)] = Entry(tensor: tensor, gradient: gradient)
        }
    }

    static func gradient(of tensor: AnyObject & Sendable) -> (AnyObject & Sendable)? {
        entries.withLock { entries in
            guard let e = entries[ObjectIdentifier(tensor)], e.tensor === tensor else { return nil }
            return e.gradient
        }
    }
}

extension Tensor {
    /// The sparse row gradient of a parameter looked up with `sparseGatherRows` (a sparse
    /// `Embedding`), or `nil` for ordinary tensors, whose gradient is `grad`.
    public var sparseGradient: SparseRowGradient<Scalar>? {
        SparseGradientTable.gradient(of: self) as? SparseRowGradient<Scalar>
    }

    /// `gatherRows` whose backward adds into this tensor's `sparseGradient` (created on first use)
    /// instead of `grad`: only the looked-up rows are touched. `(V, D)` → `(I…, D)`.
    /// - Complexity: O(indices · D) forward and backward.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sparseGatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        precondition(rank == 2, "sparseGatherRows: need a (V, D) tensor, got \(shape)")
        let ishape = indexShape ?? [indices.count]
        precondition(ishape.reduce(1, *) == indices.count, "sparseGatherRows: index shape \(ishape) does not hold \(indices.count) indices")
        let v = shape[0], d = shape[1]
        var values = [Scalar](repeating: 0, count: indices.count * d)
        storage.withUnsafeBufferPointer { px in
            values.withUnsafeMutableBufferPointer { py in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < v, "sparseGatherRows: index \(i) outside 0..<\(v)")
                    (py.baseAddress! + r * d).update(from: px.baseAddress! + i * d, count: d)
                }
            }
        }
        let gradient: SparseRowGradient<Scalar>
        if let existing = sparseGradient {
            gradient = existing
        } else {
            gradient = SparseRowGradient(rowSize: d)
            SparseGradientTable.register(self, gradient)
        }
        return Tensor(shape: ishape + [d], storage: values, op: "sparseGatherRows", parents: [self]) { g in
            for (r, i) in indices.enumerated() { gradient.add(row: i, g.baseAddress! + r * d) }
        }
    }
}
