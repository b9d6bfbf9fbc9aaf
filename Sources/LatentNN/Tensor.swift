import LatentCore

/// An N-dimensional array of `Float` or `Double` that records the operations applied to it, so
/// that `backward()` can compute gradients by reverse-mode automatic differentiation.
///
/// Storage is one contiguous row-major (C-order) array: element `[i₀, i₁, …, iₙ₋₁]` sits at
/// `Σ iₖ·strideₖ` with `strideₙ₋₁ = 1` and `strideₖ = strideₖ₊₁·shapeₖ₊₁`. Every operation returns a
/// new contiguous tensor (a permute copies), so kernels never deal with strided views.
///
/// A tensor is a graph node (a class, like micrograd's `Value`): an operation's result keeps its
/// inputs (`parents`) and a closure that, given the result's gradient, adds the inputs' gradients
/// (see `Autograd.swift`). The graph is recorded only when an input has `requiresGrad` and
/// recording is on (`withoutGradient { }` turns it off).
///
/// Shape errors are programmer errors: they stop with a `precondition` that names the shapes.
///
/// Thread safety: a tensor may be read from many threads; mutating `storage` or `grad`, or calling
/// `backward()`, must not race with other use of the same graph.
public final class Tensor<Scalar: BLASScalar>: @unchecked Sendable {
    /// The size of each dimension; `[]` for a scalar (0-D) tensor.
    public let shape: [Int]
    /// The elements in row-major order; `storage.count == shape.reduce(1, *)`.
    ///
    /// Optimisers update parameters in place through this array (e.g.
    /// `p.storage.withUnsafeMutableBufferPointer { … }`); do that outside of a recorded graph.
    /// Assigning an array of another length is a programmer error (the shape is fixed).
    public var storage: [Scalar] {
        didSet {
            precondition(storage.count == shape.reduce(1, *),
                         "Tensor.storage: \(storage.count) elements assigned to a tensor of shape \(shape)")
        }
    }
    /// Whether gradients flow to this tensor. Set it on parameters (leaves); results of
    /// operations get it when any input has it and gradient recording is on.
    public var requiresGrad: Bool
    /// The accumulated gradient ∂loss/∂self, same layout as `storage`, or `nil` before the first
    /// `backward()` reaches this tensor (and after `zeroGrad()`). Gradients *add up* over
    /// `backward()` calls, as in PyTorch; intermediate results (made by operations) drop theirs
    /// once used, so only leaves keep a gradient.
    public var grad: [Scalar]?
    /// A short name of the operation that produced this tensor (`"matmul"`, `"add"`, …; `"leaf"` for
    /// tensors made directly), for debugging and graph dumps.
    public let op: String

    /// The inputs of the operation that produced this tensor (empty for leaves and when no
    /// gradient was recorded).
    public internal(set) var parents: [Tensor]
    /// Adds the inputs' gradients given this tensor's gradient (same layout as `storage`).
    @usableFromInline var backwardStep: ((UnsafeBufferPointer<Scalar>) -> Void)?

    // MARK: - Making tensors

    /// A leaf tensor over existing row-major elements. - Complexity: O(1) (the array is shared).
    public init(shape: [Int], storage: [Scalar], requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        let n = shape.reduce(1, *)
        precondition(storage.count == n, "Tensor: \(storage.count) elements do not fill shape \(shape) (\(n) needed)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
        self.grad = nil
        self.op = "leaf"
        self.parents = []
        self.backwardStep = nil
    }

    /// The result of an operation: records `parents` and `backward` when gradients are wanted
    /// (any parent requires them and recording is on), and drops them otherwise. This is how
    /// every primitive is built, and how other modules add fused operations (e.g. a loss).
    ///
    /// `backward` receives this tensor's gradient (same layout as `storage`) and must *add* into
    /// the parents' gradients with `accumulateGrad(_:)` or `withGradBuffer(_:)` (both skip parents
    /// that do not require a gradient). It must not capture the result tensor itself (that would
    /// make a reference cycle); capture the result's `storage` array instead where it is needed.
    public init(shape: [Int], storage: [Scalar], op: String, parents: [Tensor],
         backward: @escaping (UnsafeBufferPointer<Scalar>) -> Void) {
        self.shape = shape
        self.storage = storage
        self.op = op
        self.grad = nil
        if GradientMode.isEnabled && parents.contains(where: { $0.requiresGrad }) {
            self.requiresGrad = true
            self.parents = parents
            self.backwardStep = backward
        } else {
            self.requiresGrad = false
            self.parents = []
            self.backwardStep = nil
        }
    }

    /// A 0-D tensor holding `value`.
    public convenience init(_ value: Scalar, requiresGrad: Bool = false) {
        self.init(shape: [], storage: [value], requiresGrad: requiresGrad)
    }

    /// A 1-D tensor of `values`.
    public convenience init(_ values: [Scalar], requiresGrad: Bool = false) {
        self.init(shape: [values.count], storage: values, requiresGrad: requiresGrad)
    }

    /// A tensor of the given shape filled with `value`.
    public convenience init(repeating value: Scalar, shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, storage: [Scalar](repeating: value, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// Zeros of the given shape.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(repeating: 0, shape: shape, requiresGrad: requiresGrad)
    }

    /// Ones of the given shape.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(repeating: 1, shape: shape, requiresGrad: requiresGrad)
    }

    /// Independent normal samples `N(mean, standardDeviation²)` (Box–Muller through `rng`).
    public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                    using rng: inout Xoshiro256StarStar, requiresGrad: Bool = false) -> Tensor {
        let n = shape.reduce(1, *)
        let m = Double(mean), s = Double(standardDeviation)
        var values = [Scalar](repeating: 0, count: n)
        for i in 0..<n { values[i] = Scalar(rng.normal(mean: m, standardDeviation: s)) }
        return Tensor(shape: shape, storage: values, requiresGrad: requiresGrad)
    }

    /// Independent uniform samples on `[low, high)`.
    public static func randomUniform(_ shape: [Int], low: Scalar = 0, high: Scalar = 1,
                                     using rng: inout Xoshiro256StarStar, requiresGrad: Bool = false) -> Tensor {
        let n = shape.reduce(1, *)
        let lo = Double(low), hi = Double(high)
        var values = [Scalar](repeating: 0, count: n)
        for i in 0..<n { values[i] = Scalar(rng.uniform(lo, hi)) }
        return Tensor(shape: shape, storage: values, requiresGrad: requiresGrad)
    }

    /// A 2-D tensor `(rows, columns)` with the matrix's elements (shared, not copied).
    public convenience init(_ matrix: Matrix<Scalar>, requiresGrad: Bool = false) {
        self.init(shape: [matrix.rows, matrix.columns], storage: matrix.storage, requiresGrad: requiresGrad)
    }

    // MARK: - Reading

    /// The number of dimensions (`shape.count`).
    @inlinable public var rank: Int { shape.count }
    /// The number of elements (`shape.reduce(1, *)`).
    @inlinable public var count: Int { storage.count }
    /// Row-major strides in elements: `strides[k] = shape[k+1] · … · shape[n-1]`.
    public var strides: [Int] { Shape.strides(shape) }

    /// The single element of a one-element tensor (e.g. a loss).
    public var item: Scalar {
        precondition(storage.count == 1, "Tensor.item: shape \(shape) has \(storage.count) elements, need exactly 1")
        return storage[0]
    }

    /// Element at a full multi-index (bounds-checked; slow, for tests and inspection).
    public subscript(_ index: Int...) -> Scalar {
        precondition(index.count == shape.count, "Tensor: index \(index) has \(index.count) components, shape \(shape) has \(shape.count)")
        var offset = 0
        for (k, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[k], "Tensor: index \(index) outside shape \(shape)")
            offset = offset * shape[k] + i
        }
        return storage[offset]
    }

    /// The gradient as a tensor of this tensor's shape (no graph), or `nil` if none was computed.
    public var gradient: Tensor? {
        grad.map { Tensor(shape: shape, storage: $0) }
    }

    /// The 2-D tensor as a `Matrix` (elements shared, not copied).
    public func toMatrix() -> Matrix<Scalar> {
        precondition(shape.count == 2, "Tensor.toMatrix: need a 2-D tensor, shape is \(shape)")
        return Matrix(rows: shape[0], columns: shape[1], storage: storage)
    }

    /// A new leaf with the same elements and no history: gradients do not flow through it.
    /// - Complexity: O(1) (elements shared, copied on write).
    public func detach() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// The same tensor in the other precision (a leaf; no gradient flows through the conversion).
    public func converted<Other: BLASScalar>(to: Other.Type) -> Tensor<Other> {
        Tensor<Other>(shape: shape, storage: storage.map { Other($0) })
    }
}

extension Tensor: CustomStringConvertible {
    /// The shape and type, then up to 8 leading elements.
    public var description: String {
        let head = storage.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(Scalar.typeName)> \(shape) [\(head)\(storage.count > 8 ? ", …" : "")]"
            + (requiresGrad ? " requiresGrad" : "")
    }
}

/// Helpers on shapes shared by the operations.
public enum Shape {
    /// Row-major strides of `shape` in elements.
    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for k in stride(from: shape.count - 1, through: 0, by: -1) {
            s[k] = acc
            acc *= shape[k]
        }
        return s
    }

    /// `axis` with negative values counted from the end (`-1` is the last axis), checked against `rank`.
    public static func normalize(axis: Int, rank: Int, _ context: @autoclosure () -> String = "") -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "\(context()): axis \(axis) out of range for rank \(rank)")
        return a
    }

    /// `(outer, n, inner)`: the products of the dimensions before, at and after `axis`.
    public static func split(_ shape: [Int], at axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}
