import LatentCore

/// How dictionary learning chooses its first dictionary.
public enum DictionaryInitialization: Codable, Sendable, Equatable {
    /// The top right singular vectors scaled by their singular values, `S_k·V_kᵀ` (scikit-learn's
    /// default); the batch learner also starts its codes at `U_k`. Atoms beyond the rank are zero.
    case svd
    /// Gaussian random atoms normalised to unit norm, drawn from the learner's seed.
    case random
    /// A given atoms × features dictionary, used as is.
    case given(Matrix<Double>)
}

enum DictionaryInitializer {
    /// The initial dictionary (atoms × features) and, for `.svd` with `wantCodes`, the codes `U_k` (n × atoms).
    /// For the SVD, a tall `x` (n ≥ features) uses the top eigenpairs of `XᵀX` (O(n·features²)),
    /// a wide one the thin SVD of `x`. Signs are fixed so each atom's largest entry is positive.
    static func initial<S: BLASScalar>(_ x: Matrix<S>, atoms k: Int, method: DictionaryInitialization, wantCodes: Bool,
                                       generator: inout Xoshiro256StarStar, methodName: String) throws
        -> (dictionary: Matrix<S>, codes: Matrix<S>?) {
        let (n, d) = (x.rows, x.columns)
        switch method {
        case .given(let dictionary):
            guard dictionary.rows == k && dictionary.columns == d else {
                throw EstimatorError.invalidParameter(method: methodName, name: "initialization",
                                                      reason: "dictionary must be \(k)×\(d), got \(dictionary.shapeDescription)")
            }
            try dictionary.requireFiniteInput(for: methodName + " (initial dictionary)")
            return (Matrix(rows: k, columns: d, storage: dictionary.storage.map { S($0) }), nil)
        case .random:
            var dict = Matrix<S>.zeros(k, d)
            for j in 0..<k {
                var row = (0..<d).map { _ in S(generator.normal()) }
                let norm = row.reduce(S(0)) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { row = row.map { $0 / norm } }
                dict.setRow(j, row)
            }
            return (dict, wantCodes ? .zeros(n, k) : nil)
        case .svd:
            let r = Swift.min(n, d, k)
            var dict = Matrix<S>.zeros(k, d)
            var codes: Matrix<S>? = wantCodes ? .zeros(n, k) : nil
            if n >= d && !wantCodes {
                // Top-r eigenpairs of XᵀX: eigenvalue λ = s², eigenvector = right singular vector.
                let eigen = try x.gram(transpose: true).symmetricEigen(top: r)
                for a in 0..<r {
                    let column = r - 1 - a                       // ascending → descending
                    let s = Swift.max(eigen.values[column], 0).squareRoot()
                    var row = eigen.vectors.column(column).map { $0 * s }
                    flipToPositiveMaximum(&row)
                    dict.setRow(a, row)
                }
            } else {
                let svd = try x.svd()
                for a in 0..<r {
                    var row = svd.vt.row(a).map { $0 * svd.s[a] }
                    var u = svd.u.column(a)
                    // scikit-learn's svd_flip: the largest |u| entry positive.
                    if let m = u.indices.max(by: { abs(u[$0]) < abs(u[$1]) }), u[m] < 0 {
                        u = u.map { -$0 }; row = row.map { -$0 }
                    }
                    dict.setRow(a, row)
                    if codes != nil { for i in 0..<n { codes![i, a] = u[i] } }
                }
            }
            return (dict, codes)
        }
    }

    private static func flipToPositiveMaximum<S: BLASScalar>(_ row: inout [S]) {
        if let m = row.indices.max(by: { abs(row[$0]) < abs(row[$1]) }), row[m] < 0 { row = row.map { -$0 } }
    }
}
