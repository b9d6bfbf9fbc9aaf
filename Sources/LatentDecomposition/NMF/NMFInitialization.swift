import LatentCore

/// Starting factors for NMF (scikit-learn's `_initialize_nmf`).
enum NMFInitialization {
    /// `(W, H)` (n×k, k×d) for `x` by `method`.
    ///
    /// NNDSVD (Boutsidis & Gallopoulos 2008): from the top-k singular triplets `(σ_j, u_j, v_j)`,
    /// the first pair is `√σ₀·(|u₀|, |v₀|)`; each later pair takes the positive or the negative
    /// parts of `(u_j, v_j)`, whichever has the larger product of norms, scaled by `√(σ_j·that product)`.
    /// Values below 1e-6 become 0; `.nndsvda` fills zeros with mean(X), `.nndsvdar` with
    /// |mean(X)·N(0,1)/100|. `.random` draws `√(mean(X)/k)·|N(0,1)|`.
    ///
    /// The singular triplets come from the eigenvectors of the smaller Gram matrix (`XᵀX` or `XXᵀ`,
    /// one `syrk`) where scikit-learn uses a randomized SVD; both are exact for the leading
    /// triplets up to rounding, and NNDSVD does not depend on their signs.
    /// - Complexity: O(n·d·min(n, d)/2 + min(n, d)²·k) for NNDSVD, O((n + d)·k) for random.
    static func factors<Scalar: BLASScalar>(_ x: Matrix<Scalar>, components k: Int, method: NMFInitializationMethod,
                                            seed: UInt64) throws -> (w: Matrix<Scalar>, h: Matrix<Scalar>) {
        let (n, d) = (x.rows, x.columns)
        let mean = Double(x.mean())
        var rng = Xoshiro256StarStar(seed: seed)
        if method == .random {
            let scale = (mean / Double(k)).squareRoot()
            var h = Matrix<Scalar>.randomNormal(k, d, using: &rng)
            var w = Matrix<Scalar>.randomNormal(n, k, using: &rng)
            h.apply { Scalar(scale) * Swift.abs($0) }
            w.apply { Scalar(scale) * Swift.abs($0) }
            return (w, h)
        }
        let (u, s, vt) = try topSingularTriplets(x, k)
        var w = Matrix<Scalar>.zeros(n, k), h = Matrix<Scalar>.zeros(k, d)
        for j in 0..<k {
            let x = u.column(j).map(Double.init), y = vt.row(j).map(Double.init)
            let sigma = Double(s[j])
            if j == 0 {
                let r = sigma.squareRoot()
                for i in 0..<n { w[i, 0] = Scalar(r * Swift.abs(x[i])) }
                for i in 0..<d { h[0, i] = Scalar(r * Swift.abs(y[i])) }
                continue
            }
            let norm = { (v: [Double], positive: Bool) -> Double in
                v.reduce(0) { acc, e in let p = positive ? Swift.max(e, 0) : Swift.max(-e, 0); return acc + p * p }.squareRoot()
            }
            let (xp, yp, xn, yn) = (norm(x, true), norm(y, true), norm(x, false), norm(y, false))
            let (mp, mn) = (xp * yp, xn * yn)
            let positive = mp > mn
            let (xNorm, yNorm, product) = positive ? (xp, yp, mp) : (xn, yn, mn)
            let lambda = (sigma * product).squareRoot()
            for i in 0..<n {
                let part = positive ? Swift.max(x[i], 0) : Swift.max(-x[i], 0)
                w[i, j] = Scalar(lambda * part / xNorm)
            }
            for i in 0..<d {
                let part = positive ? Swift.max(y[i], 0) : Swift.max(-y[i], 0)
                h[j, i] = Scalar(lambda * part / yNorm)
            }
        }
        let cut = Scalar(1e-6)
        w.apply { $0 < cut ? 0 : $0 }
        h.apply { $0 < cut ? 0 : $0 }
        switch method {
        case .nndsvda:
            let fill = Scalar(mean)
            w.apply { $0 == 0 ? fill : $0 }
            h.apply { $0 == 0 ? fill : $0 }
        case .nndsvdar:
            for i in w.storage.indices where w.storage[i] == 0 { w.storage[i] = Scalar(Swift.abs(mean * rng.normal() / 100)) }
            for i in h.storage.indices where h.storage[i] == 0 { h.storage[i] = Scalar(Swift.abs(mean * rng.normal() / 100)) }
        case .nndsvd, .random:
            break
        }
        return (w, h)
    }

    /// The k leading singular triplets of `x`: U (n×k), σ (k, descending), Vᵀ (k×d), from the
    /// eigendecomposition of the smaller Gram matrix. Directions with σ = 0 get zero vectors.
    static func topSingularTriplets<Scalar: BLASScalar>(_ x: Matrix<Scalar>, _ k: Int) throws
        -> (u: Matrix<Scalar>, s: [Scalar], vt: Matrix<Scalar>) {
        let tall = x.rows >= x.columns
        let eigen = try x.gram(transpose: tall).symmetricEigen(top: k)    // ascending
        let order = Array((0..<k).reversed())
        let s = order.map { Swift.max(eigen.values[$0], 0).squareRoot() }
        let vectors = eigen.vectors.columns(at: order)                     // (d or n)×k, descending
        // The other side: X·v/σ (tall) or Xᵀ·u/σ (wide).
        let inverse = s.map { $0 > 0 ? 1 / $0 : 0 }
        let other = Matrix.gemm(x, vectors, transposeA: !tall).multiplying(row: inverse)
        return tall ? (other, s, vectors.transposed) : (vectors, s, other.transposed)
    }
}
