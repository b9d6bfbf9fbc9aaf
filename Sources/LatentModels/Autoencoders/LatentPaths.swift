import LatentCore

/// Paths through a code space, as rows of codes to decode into image grids: interpolations
/// between two codes and latent traversals.
public enum LatentPaths {
    /// How to move between two codes.
    public enum Interpolation: String, Codable, Sendable, CaseIterable {
        /// `(1 − t)·a + t·b`.
        case linear
        /// Spherical linear interpolation (Shoemake 1985; White 2016, "Sampling generative
        /// networks"): `sin((1 − t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b` with Ω the angle between a and b,
        /// which keeps intermediate codes at the norms a Gaussian prior expects. Falls back to linear
        /// when a and b are (nearly) parallel or one is zero.
        case spherical
    }

    /// `steps` codes from `a` to `b` (both ends included), one per row: `steps × D`.
    /// - Precondition: `a.count == b.count ≥ 1`, `steps ≥ 2`.
    public static func interpolate<S: BLASScalar>(from a: [S], to b: [S], steps: Int, path: Interpolation = .linear) -> Matrix<S> {
        precondition(a.count == b.count && !a.isEmpty, "interpolate: codes of \(a.count) and \(b.count) dimensions")
        precondition(steps >= 2, "interpolate: steps \(steps) must be at least 2")
        let (x, y) = (a.map(Double.init), b.map(Double.init))
        let normA = x.reduce(0) { $0 + $1 * $1 }.squareRoot(), normB = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var omega = 0.0
        if path == .spherical && normA > 0 && normB > 0 {
            let cosine = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } / (normA * normB)
            omega = Double.acos(Swift.min(1, Swift.max(-1, cosine)))
        }
        let spherical = Double.sin(omega) > 1e-6
        return Matrix(rows: steps, columns: a.count) { r, j in
            let t = Double(r) / Double(steps - 1)
            let (wa, wb) = spherical ? (Double.sin((1 - t) * omega) / Double.sin(omega), Double.sin(t * omega) / Double.sin(omega)) : (1 - t, t)
            return S(wa * x[j] + wb * y[j])
        }
    }

    /// A latent traversal: for each code dimension d (one block of `steps` rows per dimension),
    /// `centre` with dimension d swept over `centre[d] + scales[d]·v` for `v` evenly spaced in
    /// `[−range, +range]`, the others fixed. `D·steps × D`; row `d·steps + s` is dimension d, step s.
    /// With `scales` all 1 and `range` 3 it sweeps ±3σ of a standard normal prior.
    /// - Precondition: `scales.count == centre.count ≥ 1`, `steps ≥ 2`, `range > 0`.
    public static func traversal<S: BLASScalar>(centre: [S], scales: [Double]? = nil, steps: Int, range: Double = 3) -> Matrix<S> {
        let d = centre.count
        let scale = scales ?? [Double](repeating: 1, count: d)
        precondition(d >= 1 && scale.count == d, "traversal: centre of \(d) dimensions, \(scale.count) scales")
        precondition(steps >= 2 && range > 0, "traversal: steps \(steps) must be ≥ 2 and range \(range) positive")
        return Matrix(rows: d * steps, columns: d) { r, j in
            let (dimension, s) = (r / steps, r % steps)
            guard j == dimension else { return centre[j] }
            let v = -range + 2 * range * Double(s) / Double(steps - 1)
            return S(Double(centre[j]) + scale[j] * v)
        }
    }
}
