import LatentCore

/// The non-quadratic contrast `G` whose expectation FastICA maximises (Hyvärinen 1999, eq. 8),
/// given through its derivative `g = G′` and `g′`.
///
/// | case | g(u) | g′(u) |
/// |---|---|---|
/// | `logcosh(alpha:)` | tanh(αu) | α(1 − tanh²(αu)) |
/// | `exp` | u·e^(−u²/2) | (1 − u²)·e^(−u²/2) |
/// | `cube` | u³ | 3u² |
public enum FastICAContrast: Sendable, Codable, Equatable {
    /// `G(u) = log cosh(αu) / α`, a good general-purpose choice; α ∈ [1, 2] (scikit-learn's default, α = 1).
    case logcosh(alpha: Double = 1)
    /// `G(u) = −e^(−u²/2)`, robust when the sources are very super-Gaussian.
    case exp
    /// `G(u) = u⁴/4` (kurtosis), fast but sensitive to outliers.
    case cube
}

extension FastICAContrast {
    /// Replaces each of the `count` elements at `p` by `g(u)` and returns `Σ g′(u)` (in Double).
    /// One pass, no allocation. Float's tanh goes through the vectorised `FastICATanh`; everything
    /// else through swift-numerics (`Scalar.tanh`, `Scalar.exp`). - Complexity: O(count) transcendental evaluations.
    func applyInPlace<Scalar: BLASScalar>(_ p: UnsafeMutablePointer<Scalar>, count: Int) -> Double {
        var sum = 0.0
        switch self {
        case let .logcosh(alpha):
            let a = Scalar(alpha)
            var local: Scalar = 0
            if let fast = Scalar.self as? FastICAVectorTanh.Type {
                let squares = fast.tanhInPlace(UnsafeMutableRawPointer(p), count: count, scale: alpha)
                return alpha * (Double(count) - squares)
            } else if a == 1 {
                for i in 0..<count {
                    let t = Scalar.tanh(p[i])
                    p[i] = t
                    local += t * t
                }
            } else {
                for i in 0..<count {
                    let t = Scalar.tanh(a * p[i])
                    p[i] = t
                    local += t * t
                }
            }
            sum = alpha * (Double(count) - Double(local))
        case .exp:
            var local: Scalar = 0
            for i in 0..<count {
                let u = p[i]
                let u2 = u * u
                let e = Scalar.exp(-u2 / 2)
                p[i] = u * e
                local += (1 - u2) * e
            }
            sum = Double(local)
        case .cube:
            var local: Scalar = 0
            for i in 0..<count {
                let u = p[i]
                let u2 = u * u
                p[i] = u2 * u
                local += u2
            }
            sum = 3 * Double(local)
        }
        return sum
    }

    /// Applies `g` in place to every row of the row-major `rows × length` block at `p` and returns
    /// the mean of `g′` over each row. Rows are spread over `Parallel.threadCount` threads; a single
    /// long row is split into chunks whose partial sums are added in a fixed order (deterministic).
    /// - Complexity: O(rows·length).
    func applyRows<Scalar: BLASScalar>(_ p: UnsafeMutablePointer<Scalar>, rows: Int, length: Int) -> [Scalar] {
        var means = [Scalar](repeating: 0, count: rows)
        let block = 8192
        // Split every row into pieces of ≤ `block` elements; each piece is one task.
        let pieces = Swift.max(1, (length + block - 1) / block)
        var partial = [Double](repeating: 0, count: rows * pieces)
        partial.withUnsafeMutableBufferPointer { part in
            let out = part.baseAddress!
            Parallel.forEachChunk(count: rows * pieces, minimumPerThread: 4) { range in
                for task in range {
                    let (r, piece) = task.quotientAndRemainder(dividingBy: pieces)
                    let lo = piece * block, hi = Swift.min(length, lo + block)
                    out[task] = applyInPlace(p + r * length + lo, count: hi - lo)
                }
            }
        }
        for r in 0..<rows {
            var s = 0.0
            for piece in 0..<pieces { s += partial[r * pieces + piece] }
            means[r] = Scalar(s / Double(Swift.max(1, length)))
        }
        return means
    }
}
