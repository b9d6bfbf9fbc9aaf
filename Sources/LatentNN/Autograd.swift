import LatentCore

/// Whether operations record the graph that `backward()` needs.
///
/// Recording is on by default. It is a task-local value, so `withoutGradient { }` affects only the
/// current thread/task and nests correctly.
public enum GradientMode {
    /// `true` while operations record parents and backward closures.
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` with gradient recording off: results get `requiresGrad == false`, keep no parents
/// and no closures, so inference uses less memory and time (`torch.no_grad()`).
@discardableResult
public func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$isEnabled.withValue(false, operation: body)
}

/// Runs `body` with gradient recording on, even inside `withoutGradient`.
@discardableResult
public func withGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$isEnabled.withValue(true, operation: body)
}

extension Tensor {
    /// Back-propagates from this tensor: fills `grad` of every tensor in its graph that requires it.
    ///
    /// The graph is sorted topologically (depth-first over `parents`, without recursion) and the
    /// backward closures run in reverse order, each once, after all gradient contributions to its
    /// tensor have been added. Leaves accumulate into `grad` (call `zeroGrad()` between steps).
    ///
    /// - Parameters:
    ///   - seed: ∂loss/∂self, same count as `storage`; `nil` means ones, which is what a scalar
    ///     loss needs (for a non-scalar tensor it back-propagates `sum(self)`).
    ///   - retainGraph: keep the closures so that `backward` can run again over the same graph;
    ///     by default they are released as they are used, which frees the saved activations.
    ///     Intermediate results (tensors made by operations) never keep their gradient: only
    ///     leaves do.
    /// - Complexity: one backward closure per recorded operation.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(seed: [Scalar]? = nil, retainGraph: Bool = false) {
        precondition(requiresGrad, "Tensor.backward: this tensor does not require a gradient (no input requires one, or it was made inside withoutGradient)")
        if let seed { precondition(seed.count == count, "Tensor.backward: seed has \(seed.count) elements, tensor shape \(shape) has \(count)") }
        let order = topologicalOrder()
        accumulateGrad(seed ?? [Scalar](repeating: 1, count: count))
        for node in order.reversed() {
            guard let step = node.backwardStep else { continue }
            if let g = node.grad {
                g.withUnsafeBufferPointer { step($0) }
            }
            node.grad = nil    // intermediate gradients are not kept (as in PyTorch)
            if !retainGraph {
                node.backwardStep = nil
                node.parents = []
            }
        }
    }

    /// Every tensor reachable through `parents` that requires a gradient, inputs before results.
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // Iterative post-order DFS: (node, index of the next parent to visit).
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while !stack.isEmpty {
            let (node, next) = stack[stack.count - 1]
            if next < node.parents.count {
                stack[stack.count - 1].1 = next + 1
                let p = node.parents[next]
                if p.requiresGrad && visited.insert(ObjectIdentifier(p)).inserted {
                    stack.append((p, 0))
                }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order
    }

    /// Clears the gradient (sets `grad` to `nil`; the next backward starts from zero).
    public func zeroGrad() { grad = nil }

    /// `grad += g` (allocating zeros first). Used by backward closures; no-op unless `requiresGrad`.
    @inlinable
    public func accumulateGrad(_ g: [Scalar]) {
        guard requiresGrad else { return }
        precondition(g.count == count, "accumulateGrad: \(g.count) values for shape \(shape)")
        if grad == nil {
            grad = g
        } else {
            g.withUnsafeBufferPointer { src in
                grad!.withUnsafeMutableBufferPointer { dst in Parallel.add(src.baseAddress!, into: dst.baseAddress!, count: src.count) }
            }
        }
    }

    /// `grad += g` for a gradient laid out as this tensor: copied when there is no gradient yet
    /// (no zero-fill), added in parallel chunks otherwise (`Parallel.add`, which keeps OpenBLAS's
    /// workers asleep). Used by backward closures; no-op unless `requiresGrad`.
    @inlinable
    func addToGrad(_ g: UnsafeBufferPointer<Scalar>) {
        precondition(g.count == count, "addToGrad: \(g.count) values for shape \(shape)")
        withGradDestination { dst, fresh in
            if fresh {
                dst.baseAddress!.initialize(from: g.baseAddress!, count: g.count)
            } else {
                Parallel.add(g.baseAddress!, into: dst.baseAddress!, count: g.count)
            }
        }
    }

    /// Calls `body` with a pointer to `grad` (zero-filled first if absent) to add into it in
    /// place. Used by backward closures; does nothing unless `requiresGrad`.
    @inlinable
    public func withGradBuffer(_ body: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        guard requiresGrad else { return }
        if grad == nil { grad = [Scalar](repeating: 0, count: count) }
        grad!.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Calls `body(buffer, fresh)` to add into `grad` in place. When there was no gradient yet,
    /// `fresh` is true and the buffer is *uninitialised*: `body` must then write every element
    /// (e.g. a GEMM with `beta = 0`), which saves zero-filling and re-reading it. Does nothing
    /// unless `requiresGrad`.
    @inlinable
    func withGradDestination(_ body: (UnsafeMutableBufferPointer<Scalar>, _ fresh: Bool) -> Void) {
        guard requiresGrad else { return }
        if grad == nil {
            grad = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
                body(buffer, true)
                initialized = count
            }
        } else {
            grad!.withUnsafeMutableBufferPointer { body($0, false) }
        }
    }
}
