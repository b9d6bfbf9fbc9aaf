import LatentCore

/// An N-dimensional array of integer indices — token ids, labels, positions, sampled classes — so
/// that nothing casts floats to indices. Row-major like `Tensor`; no gradient (indices are not
/// differentiable). `Embedding`, `oneHot`, `scatterAdd`, cross-entropy and `topK` take or give one.
public struct IndexTensor: Sendable, Equatable, CustomStringConvertible {
    /// The size of each dimension.
    public let shape: [Int]
    /// The indices in row-major order; `storage.count == shape.reduce(1, *)`.
    public let storage: [Int]

    public init(shape: [Int], storage: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "IndexTensor: negative dimension in shape \(shape)")
        precondition(storage.count == shape.reduce(1, *), "IndexTensor: \(storage.count) indices do not fill shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// A 1-D index tensor.
    public init(_ values: [Int]) { self.init(shape: [values.count], storage: values) }

    /// A 2-D index tensor from equal-length rows.
    public init(rows: [[Int]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "IndexTensor(rows:): rows of different lengths")
        self.init(shape: [rows.count, width], storage: rows.flatMap { $0 })
    }

    public var rank: Int { shape.count }
    public var count: Int { storage.count }

    /// Element at a full multi-index (bounds-checked; for tests and inspection).
    public subscript(_ index: Int...) -> Int {
        precondition(index.count == shape.count, "IndexTensor: index \(index) for shape \(shape)")
        var offset = 0
        for (k, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[k], "IndexTensor: index \(index) outside shape \(shape)")
            offset = offset * shape[k] + i
        }
        return storage[offset]
    }

    /// The same indices in another shape of equal count.
    public func reshaped(_ newShape: [Int]) -> IndexTensor { IndexTensor(shape: newShape, storage: storage) }

    public var description: String { "IndexTensor \(shape) \(storage.prefix(8))\(count > 8 ? "…" : "")" }
}

extension Loss {
    /// Cross-entropy of logits `(N, C)` against integer targets `(N)` (see `crossEntropy(_:_:)`);
    /// `(B, T, C)` logits with `(B, T)` targets are flattened to `(B·T, C)`. Targets equal to
    /// `ignoreIndex` (padding) contribute nothing.
    public static func crossEntropy<S: BLASScalar>(_ logits: Tensor<S>, _ targets: IndexTensor, ignoreIndex: Int? = nil) -> Tensor<S> {
        precondition(Array(logits.shape.dropLast()) == targets.shape,
                     "crossEntropy: logits \(logits.shape) need targets of shape \(Array(logits.shape.dropLast())), got \(targets.shape)")
        let c = logits.shape.last ?? 1
        return crossEntropy(logits.rank == 2 ? logits : logits.reshaped([targets.count, c]), targets.storage, ignoreIndex: ignoreIndex)
    }
}
