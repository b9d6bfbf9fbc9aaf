import LatentCore
import LatentDecomposition

/// The `truncated-svd` method: the top-k right singular vectors of the (by default centred) data.
///
/// With `center: true` this is principal component analysis computed directly: for the centred
/// data `Xc = U·S·Vᵀ` the rows of `Vₖᵀ` are the k directions of largest variance, the
/// representation is `Z = Xc·Vₖ` and the rank-k reconstruction `X̂ = Z·Vₖᵀ + x̄` is the best in the
/// Frobenius norm (Eckart–Young), with squared error `Σ_{i>k} sᵢ²`. With `center: false` it is
/// scikit-learn's `TruncatedSVD` (no mean removed, suited to sparse or non-negative data).
///
/// Parameters: `components` (k ≥ 1, at most min(n, d)), `center` (default true), `solver`:
/// `svd` (divide-and-conquer SVD of the n × d data, O(n·d·min(n, d))) or `eigen` (top-k
/// eigenvectors of the d × d scatter matrix `XcᵀXc`, O(n·d² + d²·k); faster when n ≫ d, squares
/// the condition number). Both give the same subspace.
enum TruncatedSVDMethod {
    static let name = "truncated-svd"

    static let descriptor = MethodDescriptor(
        name: name,
        summary: "top-k right singular vectors of the centred data (PCA without whitening)",
        parameters: [
            .int("components", default: 2, min: 1, help: "number of singular vectors kept"),
            .bool("center", default: true, help: "subtract the column means first"),
            .choice("solver", ["svd", "eigen"], default: "svd", help: "SVD of the data or eigenvectors of its scatter matrix"),
        ],
        canReconstruct: true
    ) { x, p, _ in
        let model = try TruncatedSVDModel.fit(x, components: p.int("components"),
                                              center: p.bool("center"), solver: p.string("solver"))
        return FittedModel(model, artifacts: [
            "components": model.components,
            "singular-values": Matrix(rows: 1, columns: model.singularValues.count, storage: model.singularValues),
            "mean": Matrix(rows: 1, columns: model.mean.count, storage: model.mean),
        ])
    }
}

/// A fitted truncated SVD: `transform(x) = (x − mean)·componentsᵀ`, `inverseTransform(z) = z·components + mean`.
struct TruncatedSVDModel: InvertibleTransformer {
    typealias Scalar = Double
    /// k × d, orthonormal rows, largest singular value first; each row's largest-magnitude entry is positive.
    let components: Matrix<Double>
    /// The k largest singular values of the (centred) data, descending.
    let singularValues: [Double]
    /// Column means removed before projecting (zeros when not centring), length d.
    let mean: [Double]

    var inputFeatures: Int { components.columns }
    var outputFeatures: Int { components.rows }

    /// Fits on `x` (n × d). - Throws: `EstimatorError` for too few samples, k > min(n, d) or NaN;
    /// `LinearAlgebraError` when LAPACK fails.
    static func fit(_ x: Matrix<Double>, components k: Int, center: Bool, solver: String) throws -> TruncatedSVDModel {
        let method = TruncatedSVDMethod.name
        let (n, d) = (x.rows, x.columns)
        guard n >= 2 else { throw EstimatorError.tooFewSamples(method: method, samples: n, needed: 2) }
        guard k <= Swift.min(n, d) else {
            throw EstimatorError.invalidParameter(method: method, name: "components",
                                                  reason: "is \(k), but the data (\(x.shapeDescription)) allows at most \(Swift.min(n, d))")
        }
        try x.requireFiniteInput(for: method)
        let (xc, mean) = center ? x.centered() : (x, [Double](repeating: 0, count: d))
        var vk: Matrix<Double>, s: [Double]
        switch solver {
        case "eigen":
            // Scatter matrix XcᵀXc (d × d) by syrk; its eigenvalues are the squared singular values.
            let eigen = try xc.gram(transpose: true).symmetricEigen(top: k)
            let order = Array((0..<k).reversed())                       // ascending → descending
            vk = eigen.vectors.columns(at: order).transposed             // k × d
            s = order.map { Swift.max(0, eigen.values[$0]).squareRoot() }
        default:
            let svd = try xc.svd()
            vk = svd.vt.rows(0..<k)
            s = Array(svd.s[0..<k])
        }
        // Fix the sign of each direction so results do not depend on the LAPACK routine.
        for i in 0..<k {
            let row = vk.row(i)
            let j = row.indices.max { abs(row[$0]) < abs(row[$1]) }!
            if row[j] < 0 { vk.setRow(i, row.map { -$0 }) }
        }
        return TruncatedSVDModel(components: vk, singularValues: s, mean: mean)
    }

    func transform(_ x: Matrix<Double>) throws -> Matrix<Double> {
        try x.requireFeatures(inputFeatures, for: TruncatedSVDMethod.name)
        return Matrix.gemm(x.subtracting(row: mean), components, transposeB: true)   // (n, k)
    }

    func inverseTransform(_ z: Matrix<Double>) throws -> Matrix<Double> {
        try z.requireFeatures(outputFeatures, for: TruncatedSVDMethod.name)
        return Matrix.gemm(z, components).adding(row: mean)                          // (n, d)
    }
}
