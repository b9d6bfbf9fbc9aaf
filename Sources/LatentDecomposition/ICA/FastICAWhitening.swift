import LatentCore

/// The PCA whitening matrix of FastICA.
enum FastICAWhitening {
    /// `K` (k×d) with rows `v_i / s_i`, where `v_i` are the top right singular vectors of the
    /// centred data `Xc` (n×d) and `s_i` its singular values, so `K·Xcᵀ·√n` has identity
    /// covariance (Hyvärinen, Karhunen & Oja 2001, eq. 6.33). Each `v_i` is flipped so its first
    /// entry is positive, as scikit-learn does, so both solvers give the same `K`.
    /// - `.svd`: thin SVD of `Xc`. `.eigen`: eigenpairs of `XcᵀXc` (one `syrk`), eigenvalues below
    ///   10·ε clamped to 10·ε as scikit-learn's `"eigh"` solver.
    /// - Complexity: O(n·d·min(n, d)) or O(n·d² + d²·k).
    static func matrix<Scalar: BLASScalar>(_ centred: Matrix<Scalar>, components k: Int,
                                           solver: FastICA<Scalar>.WhiteningSolver) throws -> Matrix<Scalar> {
        let d = centred.columns
        var rows = [[Scalar]]()
        var singular = [Scalar]()
        switch solver {
        case .svd:
            let decomposition = try centred.svd()
            for i in 0..<k { rows.append(decomposition.vt.row(i)); singular.append(decomposition.s[i]) }
        case .eigen:
            let eigen = try centred.gram(transpose: true).symmetricEigen(top: k)
            let floor = Scalar.ulpOfOne * 10
            for i in 0..<k {
                let j = k - 1 - i   // ascending → descending
                rows.append(eigen.vectors.column(j))
                singular.append(Swift.max(eigen.values[j], floor).squareRoot())
            }
        }
        var kMatrix = Matrix<Scalar>.zeros(k, d)
        for i in 0..<k {
            let sign: Scalar = rows[i][0] < 0 ? -1 : 1
            let scale = sign / singular[i]
            for j in 0..<d { kMatrix[i, j] = rows[i][j] * scale }
        }
        return kMatrix
    }
}
