import LatentCore

/// The kernels `KernelPCA` offers (scikit-learn's `pairwise_kernels` definitions). `gamma: nil`
/// means 1 / features, as scikit-learn.
public enum KernelFunction: Sendable, Codable, Equatable {
    /// `k(x, y) = x·y`.
    case linear
    /// `k(x, y) = (γ·x·y + coef0)^degree`.
    case polynomial(degree: Int = 3, gamma: Double? = nil, coef0: Double = 1)
    /// `k(x, y) = exp(−γ·‖x − y‖²)`.
    case rbf(gamma: Double? = nil)
    /// `k(x, y) = tanh(γ·x·y + coef0)` (not positive semi-definite in general).
    case sigmoid(gamma: Double? = nil, coef0: Double = 1)
    /// `k(x, y) = x·y / (‖x‖·‖y‖)` (rows of zero norm give 0).
    case cosine
    /// The data *are* the kernel: `fit` takes the n × n training kernel, `transform` the m × n
    /// kernel between new points and the training points.
    case precomputed

    /// The same kernel with `gamma` fixed to 1 / `features` where it was nil.
    func resolved(features: Int) -> KernelFunction {
        let fallback = 1 / Double(Swift.max(features, 1))
        switch self {
        case let .polynomial(degree, gamma, coef0): return .polynomial(degree: degree, gamma: gamma ?? fallback, coef0: coef0)
        case let .rbf(gamma): return .rbf(gamma: gamma ?? fallback)
        case let .sigmoid(gamma, coef0): return .sigmoid(gamma: gamma ?? fallback, coef0: coef0)
        case .linear, .cosine, .precomputed: return self
        }
    }

    /// The m × n kernel matrix `K[i, j] = k(xᵢ, yⱼ)` between the rows of `x` (m × d) and `y` (n × d):
    /// one GEMM `x·yᵀ` and an elementwise map (RBF: `‖x‖² + ‖y‖² − 2·x·yᵀ`, clamped at 0).
    /// For `.precomputed`, returns `x` itself.
    /// - Complexity: O(m·n·d).
    public func matrix<Scalar: BLASScalar>(_ x: Matrix<Scalar>, _ y: Matrix<Scalar>) -> Matrix<Scalar> {
        if case .precomputed = self { return x }
        precondition(x.columns == y.columns, "KernelFunction.matrix: \(x.shapeDescription) and \(y.shapeDescription) differ in features")
        switch resolved(features: x.columns) {
        case .linear:
            return Matrix.gemm(x, y, transposeB: true)
        case let .polynomial(degree, gamma, coef0):
            var k = Matrix.gemm(x, y, transposeB: true, alpha: Scalar(gamma!))
            let (c, p) = (Scalar(coef0), degree)
            k.apply { Scalar.pow($0 + c, p) }
            return k
        case let .rbf(gamma):
            var k = Matrix.gemm(x, y, transposeB: true, alpha: -2)
            let (nx, ny) = (Self.squaredNorms(x), Self.squaredNorms(y))
            let g = Scalar(gamma!), columns = y.rows
            k.storage.withUnsafeMutableBufferPointer { p in
                let base = p.baseAddress!
                Parallel.forEachChunk(count: x.rows, minimumPerThread: Swift.max(1, 4096 / Swift.max(columns, 1))) { range in
                    for i in range {
                        for j in 0..<columns {
                            let distance = Swift.max(base[i * columns + j] + nx[i] + ny[j], 0)
                            base[i * columns + j] = Scalar.exp(-g * distance)
                        }
                    }
                }
            }
            return k
        case let .sigmoid(gamma, coef0):
            var k = Matrix.gemm(x, y, transposeB: true, alpha: Scalar(gamma!))
            let c = Scalar(coef0)
            k.apply { Scalar.tanh($0 + c) }
            return k
        case .cosine:
            return Matrix.gemm(Self.normalizedRows(x), Self.normalizedRows(y), transposeB: true)
        case .precomputed:
            return x
        }
    }

    static func squaredNorms<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> [Scalar] {
        x.norms(over: .columns).map { $0 * $0 }
    }

    static func normalizedRows<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        x.dividing(column: x.norms(over: .columns).map { $0 > 0 ? $0 : 1 })
    }
}
