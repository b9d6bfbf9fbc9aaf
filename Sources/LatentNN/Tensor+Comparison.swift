import LatentCore

extension Tensor {
    /// `1` where `predicate(a, b)` holds and `0` elsewhere, with broadcasting. A mask: no gradient.
    func compared(with other: Tensor, _ predicate: (Scalar, Scalar) -> Bool) -> Tensor {
        let (shape, values) = withoutActuallyEscaping(predicate) { predicate in
            Tensor.broadcastMap(self, other, IndicatorFunction(predicate: predicate))
        }
        return Tensor(shape: shape, storage: values)
    }

    /// `self > other` elementwise (broadcasting) as a 0/1 mask without gradient. O(count).
    public func isGreater(than other: Tensor) -> Tensor { compared(with: other, >) }
    /// `self ≥ other` elementwise as a 0/1 mask. O(count).
    public func isGreaterOrEqual(to other: Tensor) -> Tensor { compared(with: other, >=) }
    /// `self < other` elementwise as a 0/1 mask. O(count).
    public func isLess(than other: Tensor) -> Tensor { compared(with: other, <) }
    /// `self ≤ other` elementwise as a 0/1 mask. O(count).
    public func isLessOrEqual(to other: Tensor) -> Tensor { compared(with: other, <=) }
    /// `self == other` elementwise as a 0/1 mask. O(count).
    public func isEqual(to other: Tensor) -> Tensor { compared(with: other, ==) }

    /// `self > value` elementwise as a 0/1 mask. O(count).
    public func isGreater(than value: Scalar) -> Tensor { isGreater(than: Tensor(value)) }
    /// `self < value` elementwise as a 0/1 mask. O(count).
    public func isLess(than value: Scalar) -> Tensor { isLess(than: Tensor(value)) }
    /// `self == value` elementwise as a 0/1 mask. O(count).
    public func isEqual(to value: Scalar) -> Tensor { isEqual(to: Tensor(value)) }

    /// `torch.where`: `a` where `condition` is non-zero, `b` elsewhere; the three broadcast to a
    /// common shape. Unlike `a·c + b·(1 − c)` it never touches the unpicked side, so an infinity
    /// there cannot turn into NaN.
    ///
    /// Backward: the gradient goes to `a` where the condition holds and to `b` elsewhere (summed
    /// back over broadcast dimensions); the condition gets none. - Complexity: O(count).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Broadcasting.shape(Broadcasting.shape(condition.shape, a.shape), b.shape)
        let c = condition.detach().broadcast(to: shape).storage
        let x = a.detach().broadcast(to: shape).storage, y = b.detach().broadcast(to: shape).storage
        var out = [Scalar](repeating: 0, count: c.count)
        for i in 0..<c.count { out[i] = c[i] != 0 ? x[i] : y[i] }
        return Tensor(shape: shape, storage: out, op: "where", parents: [a, b]) { g in
            var ga = [Scalar](repeating: 0, count: c.count), gb = ga
            for i in 0..<c.count { if c[i] != 0 { ga[i] = g[i] } else { gb[i] = g[i] } }
            ga.withUnsafeBufferPointer { a.accumulateBroadcastGrad($0, from: shape) }
            gb.withUnsafeBufferPointer { b.accumulateBroadcastGrad($0, from: shape) }
        }
    }
}
