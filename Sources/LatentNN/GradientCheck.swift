import LatentCore

/// Checks hand-written backward passes against central finite differences, in `Double`.
///
/// For a function `f` of tensors, it draws fixed random weights `w` of `f`'s output shape and
/// compares the gradient of the scalar `L = Σ w ⊙ f(x)` from `backward()` with
/// `(L(x + h·eⱼ) − L(x − h·eⱼ)) / 2h` for every element `j` of every input. Random weights make
/// the check see every output element (a plain sum can hide errors that cancel).
///
/// The truncation error of the central difference is O(h²) and the rounding error
/// O(ε·|L|/h); with `h = 1e-6` in `Double` both are around 1e-10 relative for smooth functions,
/// so a correct backward gives relative errors far below 1e-6. Keep inputs away from kinks
/// (ReLU at 0, ties in max) where the derivative is not defined.
public enum GradientCheck {
    /// The outcome of a check.
    public struct Result: Sendable {
        /// `‖analytic − numeric‖₂ / max(‖analytic‖₂, ‖numeric‖₂, 1e-300)` for each input.
        public let relativeErrors: [Double]
        /// The backward pass's gradient for each input (row-major, like `storage`).
        public let analytic: [[Double]]
        /// The finite-difference gradient for each input.
        public let numeric: [[Double]]
        /// The largest relative error over the inputs.
        public var maxRelativeError: Double { relativeErrors.max() ?? 0 }
    }

    /// Compares `backward()` with central differences for every element of every input.
    ///
    /// - Parameters:
    ///   - inputs: the tensors to differentiate with respect to; their `requiresGrad` is set and
    ///     their gradients are cleared. Their `storage` is perturbed and restored.
    ///   - step: the finite-difference step `h`.
    ///   - seed: seeds the random output weights `w`.
    ///   - f: the function; it must be deterministic (re-seed any RNG inside it).
    /// - Complexity: `2·Σ inputs[i].count + 1` evaluations of `f` plus one backward pass.
    public static func check(_ inputs: [Tensor<Double>], step: Double = 1e-6, seed: UInt64 = 0x5EED,
                             _ f: ([Tensor<Double>]) -> Tensor<Double>) -> Result {
        for x in inputs { x.requiresGrad = true; x.grad = nil }
        let y = f(inputs)
        var rng = Xoshiro256StarStar(seed: seed)
        let w = (0..<y.count).map { _ in rng.normal() }
        y.backward(seed: w)
        let analytic = inputs.map { $0.grad ?? [Double](repeating: 0, count: $0.count) }

        func loss() -> Double {
            withoutGradient {
                let v = f(inputs).storage
                precondition(v.count == w.count, "GradientCheck: f changed its output size")
                var s = 0.0
                for i in 0..<v.count { s += w[i] * v[i] }
                return s
            }
        }
        var numeric: [[Double]] = []
        for x in inputs {
            var g = [Double](repeating: 0, count: x.count)
            for j in 0..<x.count {
                let saved = x.storage[j]
                x.storage[j] = saved + step
                let plus = loss()
                x.storage[j] = saved - step
                let minus = loss()
                x.storage[j] = saved
                g[j] = (plus - minus) / (2 * step)
            }
            numeric.append(g)
        }
        let errors = zip(analytic, numeric).map { a, n -> Double in
            var d = 0.0, na = 0.0, nn = 0.0
            for i in 0..<a.count { d += (a[i] - n[i]) * (a[i] - n[i]); na += a[i] * a[i]; nn += n[i] * n[i] }
            return d.squareRoot() / Swift.max(na.squareRoot(), nn.squareRoot(), 1e-300)
        }
        return Result(relativeErrors: errors, analytic: analytic, numeric: numeric)
    }
}
