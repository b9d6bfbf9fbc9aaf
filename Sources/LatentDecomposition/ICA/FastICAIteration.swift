import LatentCore

/// The fixed-point iterations of FastICA on whitened data `X₁` (k × n, samples as columns).
///
/// One step for a unit vector `w` (Hyvärinen 1999, eq. 20):
/// `w⁺ = E{x·g(wᵀx)} − E{g′(wᵀx)}·w`, followed by decorrelation and normalisation.
enum FastICAIteration {
    /// Symmetric decorrelation `W ← (WWᵀ)^(−1/2)·W` through the eigendecomposition of the k×k
    /// matrix `WWᵀ` (eigenvalues clamped at the smallest normal number, as scikit-learn).
    /// - Complexity: O(k³).
    static func symmetricDecorrelation<Scalar: BLASScalar>(_ w: Matrix<Scalar>) throws -> Matrix<Scalar> {
        let eigen = try w.gram(transpose: false).symmetricEigen()
        let scale = eigen.values.map { 1 / Swift.max($0, Scalar.leastNormalMagnitude).squareRoot() }
        let inverseRoot = Matrix.gemm(eigen.vectors.multiplying(row: scale), eigen.vectors, transposeB: true)
        return Matrix.gemm(inverseRoot, w)
    }

    /// Parallel FastICA: all rows of `W` updated at once, then symmetrically decorrelated.
    /// The contrast is applied in place to the k×n product `W·X₁` in one parallel pass.
    /// - Complexity: per iteration two GEMMs of O(k²·n) and k·n contrast evaluations.
    static func parallel<Scalar: BLASScalar>(_ x1: Matrix<Scalar>, wInit: Matrix<Scalar>, contrast: FastICAContrast,
                                             tolerance: Double, maxIterations: Int) throws -> (Matrix<Scalar>, FitReport) {
        let (k, n) = (x1.rows, x1.columns)
        var w = try symmetricDecorrelation(wInit)
        var y = Matrix<Scalar>.zeros(k, n)          // W·X₁, then g(W·X₁) in place
        var next = Matrix<Scalar>.zeros(k, k)
        var iterations = 0, change = Double.infinity, converged = false
        for _ in 0..<maxIterations {
            iterations += 1
            Matrix.gemm(w, x1, into: &y)
            let gPrimeMean = y.storage.withUnsafeMutableBufferPointer { contrast.applyRows($0.baseAddress!, rows: k, length: n) }
            // W⁺ = g(WX₁)·X₁ᵀ/n − diag(E g′)·W
            Matrix.gemm(y, x1, into: &next, transposeB: true, alpha: 1 / Scalar(n))
            for i in 0..<k { for j in 0..<k { next.storage[i * k + j] -= gPrimeMean[i] * w.storage[i * k + j] } }
            let decorrelated = try symmetricDecorrelation(next)
            change = 0
            for i in 0..<k {
                var dot = 0.0
                for j in 0..<k { dot += Double(decorrelated.storage[i * k + j]) * Double(w.storage[i * k + j]) }
                change = Swift.max(change, Swift.abs(Swift.abs(dot) - 1))
            }
            w = decorrelated
            if change < tolerance { converged = true; break }
        }
        return (w, FitReport(iterations: iterations, finalChange: change, converged: converged))
    }

    /// Deflationary FastICA: component `j` iterates alone and is orthogonalised against components
    /// `0..<j` by Gram–Schmidt. `iterations` in the report is the largest count over the components
    /// (as scikit-learn's `n_iter_`), `finalChange` the largest last change.
    /// - Complexity: per component and iteration two GEMVs of O(k·n) and n contrast evaluations.
    static func deflation<Scalar: BLASScalar>(_ x1: Matrix<Scalar>, wInit: Matrix<Scalar>, contrast: FastICAContrast,
                                              tolerance: Double, maxIterations: Int) -> (Matrix<Scalar>, FitReport) {
        let (k, n) = (x1.rows, x1.columns)
        var w = Matrix<Scalar>.zeros(k, k)
        var y = [Scalar](repeating: 0, count: n)
        var worstIterations = 0, worstChange = 0.0, allConverged = true
        for j in 0..<k {
            var v = wInit.row(j)
            normalise(&v)
            var change = Double.infinity, iterations = 0
            for _ in 0..<maxIterations {
                iterations += 1
                x1.gemv(v, into: &y, transpose: true)                 // y = X₁ᵀ·w  (n)
                let gPrimeMean = y.withUnsafeMutableBufferPointer { contrast.applyRows($0.baseAddress!, rows: 1, length: n) }[0]
                var v1 = x1.gemv(y, alpha: 1 / Scalar(n))              // X₁·g(y)/n  (k)
                for i in 0..<k { v1[i] -= gPrimeMean * v[i] }
                if j > 0 {   // v1 ← v1 − W[:j]ᵀ·(W[:j]·v1)
                    let previous = w.rows(0..<j)
                    let projection = previous.gemv(v1)
                    let back = previous.gemv(projection, transpose: true)
                    for i in 0..<k { v1[i] -= back[i] }
                }
                normalise(&v1)
                var dot = 0.0
                for i in 0..<k { dot += Double(v1[i]) * Double(v[i]) }
                change = Swift.abs(Swift.abs(dot) - 1)
                v = v1
                if change < tolerance { break }
            }
            if !(change < tolerance) { allConverged = false }
            worstIterations = Swift.max(worstIterations, iterations)
            worstChange = Swift.max(worstChange, change)
            w.setRow(j, v)
        }
        return (w, FitReport(iterations: worstIterations, finalChange: worstChange, converged: allConverged))
    }

    /// The population standard deviation of each row of `w·x1` (k values). - Complexity: O(k²·n).
    static func rowStandardDeviations<Scalar: BLASScalar>(of w: Matrix<Scalar>, times x1: Matrix<Scalar>) -> [Scalar] {
        let s = Matrix.gemm(w, x1)
        return s.standardDeviation(over: .columns)
    }

    private static func normalise<Scalar: BLASScalar>(_ v: inout [Scalar]) {
        var sum = 0.0
        for value in v { sum += Double(value) * Double(value) }
        let scale = Scalar(1 / sum.squareRoot())
        for i in v.indices { v[i] *= scale }
    }
}
