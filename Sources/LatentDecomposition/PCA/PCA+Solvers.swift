import LatentCore

/// What a PCA solver found, before the number of components is chosen: components as rows in
/// descending order of variance (unflipped), their variances (divisor n − 1) and singular values,
/// and the total variance of the data (trace of the covariance), which the ratios divide by.
struct PCASpectrum<Scalar: BLASScalar> {
    var components: Matrix<Scalar>
    var explainedVariance: [Scalar]
    var singularValues: [Scalar]
    var totalVariance: Scalar

    /// Thin SVD of the centred copy `X − 1·μᵀ = U·S·Vᵀ` (variances `s²/(n − 1)`), by `?gesdd` with
    /// `jobz = "O"` on that copy: U is never formed and Vᵀ is written over the copy or into a
    /// min(n, d)² array, so the extra memory is one copy of X plus LAPACK's workspace.
    /// Falls back to `Matrix.svd()` (which tries `?gesvd`) when `gesdd` does not converge.
    static func full(_ x: Matrix<Scalar>, mean: [Scalar]) throws -> PCASpectrum {
        let (n, d) = (x.rows, x.columns)
        // The row-major n×d buffer is the column-major d×n matrix Aᵀ, whose left singular vectors
        // are our right ones (see Matrix+Decompositions.swift). Held only here, so LAPACK writes in place.
        var a = x.subtracting(row: mean).storage
        var s = [Scalar](repeating: 0, count: Swift.min(n, d))
        var unused = [Scalar](repeating: 0, count: 1)
        var components: Matrix<Scalar>
        let info: Int32
        if d < n {
            // Aᵀ is wide: its U (d × d, column j = our v_j) comes out separately; Vᵀ overwrites a.
            var u = [Scalar](repeating: 0, count: d * d)
            info = Scalar.gesdd(job: UInt8(ascii: "O"), m: d, n: n, a: &a, lda: d, s: &s, u: &u, ldu: d, vt: &unused, ldvt: 1)
            components = Matrix(rows: d, columns: d, storage: u)
        } else {
            // Aᵀ is tall: its U (the first n columns of d) overwrites a; its Vᵀ (our U) is not needed.
            var vt = [Scalar](repeating: 0, count: n * n)
            info = Scalar.gesdd(job: UInt8(ascii: "O"), m: d, n: n, a: &a, lda: d, s: &s, u: &unused, ldu: 1, vt: &vt, ldvt: n)
            components = Matrix(rows: n, columns: d, storage: a)
        }
        if info < 0 {
            throw LinearAlgebraError(routine: Scalar.routinePrefix + "gesdd", info: Int(info), reason: "argument \(-info) had an illegal value")
        }
        if info > 0 {
            let svd = try x.subtracting(row: mean).svd()
            components = svd.vt
            s = svd.s
        }
        let variance = s.map { $0 * $0 / Scalar(n - 1) }
        let total = variance.reduce(0.0) { $0 + Double($1) }
        return PCASpectrum(components: components, explainedVariance: variance, singularValues: s, totalVariance: Scalar(total))
    }

    /// Eigenpairs of the covariance `C = (X − 1μᵀ)ᵀ(X − 1μᵀ)/(n − 1)`: rows are centred in blocks
    /// of 2048 into one scratch buffer and accumulated by `?syrk` (no copy of X and no loss of
    /// precision from subtracting n·μμᵀ afterwards); then the `top` largest eigenpairs (all when
    /// nil) by `?syevr`. Negative round-off eigenvalues are clipped to zero, as scikit-learn's
    /// `covariance_eigh`. Singular values are `√(λ·(n − 1))`.
    static func covarianceEigen(_ x: Matrix<Scalar>, mean: [Scalar], top: Int?) throws -> PCASpectrum {
        let covariance = scatter(x, mean: mean, scale: 1 / Scalar(x.rows - 1))
        let d = x.columns
        var trace = 0.0
        for j in 0..<d { trace += Double(covariance.storage[j * d + j]) }
        let eigen = try covariance.symmetricEigen(top: top)
        let m = eigen.values.count
        let values = eigen.values.reversed().map { Swift.max($0, 0) }
        // eigen.vectors is d × m with ascending columns; components are its columns, largest first.
        let ascending = eigen.vectors.transposed                                   // m × d
        let components = ascending.rows(at: Array((0..<m).reversed()))
        return PCASpectrum(components: components, explainedVariance: values,
                           singularValues: values.map { ($0 * Scalar(x.rows - 1)).squareRoot() },
                           totalVariance: Scalar(trace))
    }

    /// Randomized truncated SVD of the implicitly centred data (`RandomizedSVD.decompose`); the
    /// total variance is summed from the data in one parallel pass, again without a centred copy.
    static func randomized(_ x: Matrix<Scalar>, mean: [Scalar], rank: Int, oversampling: Int, powerIterations: Int?,
                           normalizer: RandomizedSVD.Normalizer, seed: UInt64) throws -> PCASpectrum {
        let svd = try RandomizedSVD.decompose(x, rank: rank, centering: mean, oversampling: oversampling,
                                              powerIterations: powerIterations, normalizer: normalizer, seed: seed)
        let n = x.rows
        return PCASpectrum(components: svd.vt, explainedVariance: svd.s.map { $0 * $0 / Scalar(n - 1) },
                           singularValues: svd.s, totalVariance: Scalar(centredSumOfSquares(x, mean: mean) / Double(n - 1)))
    }

    /// `scale · (X − 1μᵀ)ᵀ(X − 1μᵀ)` (d × d), accumulated over blocks of centred rows by `?syrk`.
    /// Extra memory: one block (2048 × d) and the d × d result. - Complexity: O(n·d²/2).
    static func scatter(_ x: Matrix<Scalar>, mean: [Scalar], scale: Scalar) -> Matrix<Scalar> {
        let (n, d) = (x.rows, x.columns)
        let block = Swift.min(n, 2048)
        var result = Matrix<Scalar>.zeros(d, d)
        var scratch = [Scalar](repeating: 0, count: block * d)
        x.storage.withUnsafeBufferPointer { px in
            mean.withUnsafeBufferPointer { pm in
                scratch.withUnsafeMutableBufferPointer { ps in
                    result.storage.withUnsafeMutableBufferPointer { pc in
                        var start = 0
                        while start < n {
                            let rows = Swift.min(block, n - start)
                            let (src, dst, mu) = (px.baseAddress! + start * d, ps.baseAddress!, pm.baseAddress!)
                            Parallel.forEachChunk(count: rows, minimumPerThread: 256) { range in
                                for i in range { for j in 0..<d { dst[i * d + j] = src[i * d + j] - mu[j] } }
                            }
                            Scalar.syrk(transpose: true, n: d, k: rows, alpha: scale, a: dst, lda: d,
                                        beta: start == 0 ? 0 : 1, c: pc.baseAddress!, ldc: d)
                            start += rows
                        }
                    }
                }
            }
        }
        result.symmetrizeFromUpper()
        return result
    }

    /// `Σᵢⱼ (xᵢⱼ − μⱼ)²`, accumulated in Double, rows split across threads.
    static func centredSumOfSquares(_ x: Matrix<Scalar>, mean: [Scalar]) -> Double {
        let (n, d) = (x.rows, x.columns)
        var perRow = [Double](repeating: 0, count: n)
        x.storage.withUnsafeBufferPointer { px in
            mean.withUnsafeBufferPointer { pm in
                perRow.withUnsafeMutableBufferPointer { pr in
                    let (src, mu, out) = (px.baseAddress!, pm.baseAddress!, pr.baseAddress!)
                    Parallel.forEachChunk(count: n, minimumPerThread: 1024) { range in
                        for i in range {
                            var s = 0.0
                            for j in 0..<d { let v = Double(src[i * d + j] - mu[j]); s += v * v }
                            out[i] = s
                        }
                    }
                }
            }
        }
        return perRow.reduce(0, +)
    }
}

extension Matrix {
    /// The column means (the mean sample), checking in the same pass that every element is finite.
    /// Rows are summed in Double by blocks of 1024 on `Parallel.threadCount` threads; NaN and
    /// infinity propagate into the sums, and only then is the data scanned for the first culprit.
    /// - Throws: `EstimatorError.nonFinite` naming `method` and the first bad element.
    /// - Complexity: O(rows·columns), one pass.
    func meanRequiringFinite(for method: String) throws -> [Scalar] {
        let (n, d) = (rows, columns)
        precondition(n > 0, "meanRequiringFinite: no rows")
        let block = 1024
        let blocks = (n + block - 1) / block
        var partial = [Double](repeating: 0, count: blocks * d)
        storage.withUnsafeBufferPointer { px in
            partial.withUnsafeMutableBufferPointer { pp in
                let (src, sums) = (px.baseAddress!, pp.baseAddress!)
                Parallel.forEachChunk(count: blocks, minimumPerThread: 1) { range in
                    for b in range {
                        let acc = sums + b * d
                        for i in (b * block)..<Swift.min(n, (b + 1) * block) {
                            let row = src + i * d
                            for j in 0..<d { acc[j] += Double(row[j]) }
                        }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: d)
        for b in 0..<blocks { for j in 0..<d { total[j] += partial[b * d + j] } }
        if total.contains(where: { !$0.isFinite }) { try requireFiniteInput(for: method) }
        return total.map { Scalar($0 / Double(n)) }
    }
}
