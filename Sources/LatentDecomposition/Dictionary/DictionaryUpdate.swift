import LatentCore

/// The dictionary step shared by batch and online dictionary learning (scikit-learn's `_update_dict`;
/// Mairal, Bach, Ponce & Sapiro 2009, "Online dictionary learning for sparse coding", algorithm 2).
///
/// With the statistics `A = ZᵀZ` (atoms × atoms) and `B = ZᵀX` (atoms × features) — or their
/// forgetful running averages in the online case — one pass of block-coordinate descent updates each
/// atom in turn, exactly minimising `½‖X − Z·D‖²` over that atom within the unit ball:
/// `d_j ← Π(d_j + (b_j − Dᵀa_j) / A_jj)`, where `Π` clips at zero (non-negative dictionaries) and
/// rescales to norm ≤ 1. An atom that is (almost) never used (`A_jj ≤ 1e-6`) is replaced by a random
/// sample plus 1% noise and its codes are zeroed. - Complexity: O(atoms²·features).
enum DictionaryUpdate {
    /// Updates `dictionary` (atoms × features) in place; returns the number of atoms re-sampled.
    /// - Parameters:
    ///   - data: the samples that re-initialise unused atoms (n × features).
    ///   - codes: when given (n × atoms), the codes of re-sampled atoms are set to zero.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    @discardableResult
    static func update<S: BLASScalar>(_ dictionary: inout Matrix<S>, a: Matrix<S>, b: Matrix<S>, data: Matrix<S>,
                                      codes: inout Matrix<S>, positive: Bool,
                                      generator: inout Xoshiro256StarStar) -> Int {
        let k = dictionary.rows, d = dictionary.columns
        precondition(a.rows == k && a.columns == k, "dictionary update: A is \(a.shapeDescription), need \(k)×\(k)")
        precondition(b.rows == k && b.columns == d, "dictionary update: B is \(b.shapeDescription), need \(k)×\(d)")
        precondition(data.columns == d, "dictionary update: data is \(data.shapeDescription), dictionary \(dictionary.shapeDescription)")
        var resampled = 0
        var projection = [S](repeating: 0, count: d)
        for j in 0..<k {
            let ajj = a.storage[j * k + j]
            if ajj > S(1e-6) {
                // Dᵀ·a_j (one GEMV over the current dictionary, earlier atoms already updated).
                a.storage.withUnsafeBufferPointer { pa in
                    dictionary.storage.withUnsafeBufferPointer { pd in
                        projection.withUnsafeMutableBufferPointer { py in
                            S.gemv(transpose: true, m: k, n: d, alpha: 1, a: pd.baseAddress!, lda: d,
                                   x: pa.baseAddress! + j * k, incx: 1, beta: 0, y: py.baseAddress!, incy: 1)
                        }
                    }
                }
                let inverse = 1 / ajj
                b.storage.withUnsafeBufferPointer { pb in
                    dictionary.storage.withUnsafeMutableBufferPointer { pd in
                        let row = pd.baseAddress! + j * d, bj = pb.baseAddress! + j * d
                        for f in 0..<d { row[f] += (bj[f] - projection[f]) * inverse }
                    }
                }
            } else {
                // Almost never used: restart from a random sample plus noise (1% of its spread).
                let source = data.row(generator.integer(below: Swift.max(1, data.rows)))
                let mean = source.reduce(0.0) { $0 + Double($1) } / Double(d)
                let spread = (source.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(d)).squareRoot()
                let noise = 0.01 * (spread == 0 ? 1 : spread)
                for f in 0..<d { dictionary.storage[j * d + f] = source[f] + S(generator.normal(mean: 0, standardDeviation: noise)) }
                if codes.rows > 0 {
                    for i in 0..<codes.rows { codes.storage[i * k + j] = 0 }
                }
                resampled += 1
            }
            // Project onto {‖d_j‖ ≤ 1} (and the non-negative orthant): exact for this block.
            dictionary.storage.withUnsafeMutableBufferPointer { pd in
                let row = pd.baseAddress! + j * d
                if positive { for f in 0..<d where row[f] < 0 { row[f] = 0 } }
                var squares: S = 0
                for f in 0..<d { squares += row[f] * row[f] }
                let norm = squares.squareRoot()
                if norm > 1 {
                    let scale = 1 / norm
                    for f in 0..<d { row[f] *= scale }
                }
            }
        }
        return resampled
    }
}
