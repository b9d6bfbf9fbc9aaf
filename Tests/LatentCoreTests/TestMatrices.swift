import LatentCore
import LatentTestSupport

// Shared inputs and tolerances for the LatentCore suites.

/// The shapes every decomposition identity is checked on.
enum Shape: String, CaseIterable, Sendable {
    case square, tall, wide, rankDeficient

    /// A seeded test matrix of this shape. `rankDeficient` is 8×6 of rank 3, a product of small
    /// integer matrices, so its dependencies are exact in `Float` as well.
    func matrix<S: BLASScalar>(_: S.Type, seed: UInt64 = 7) -> Matrix<S> {
        switch self {
        case .square: return .randomNormal(6, 6, seed: seed)
        case .tall: return .randomNormal(9, 4, seed: seed)
        case .wide: return .randomNormal(4, 9, seed: seed)
        case .rankDeficient:
            var rng = Xoshiro256StarStar(seed: seed)
            let left = Matrix<S>(rows: 8, columns: 3) { _, _ in S(rng.integer(below: 7) - 3) }
            let right = Matrix<S>(rows: 3, columns: 6) { _, _ in S(rng.integer(below: 7) - 3) }
            return left * right
        }
    }

    /// The exact rank of `matrix`.
    var rank: Int { self == .rankDeficient ? 3 : (self == .square ? 6 : 4) }
}

/// `factor · ε` of `S`: tolerances for backward-stable algorithms on the small, well-scaled
/// matrices of these tests (errors are relative to the input's norm).
func tolerance<S: BLASScalar>(_: S.Type, _ factor: Double = 100) -> Double { factor * Double(S.ulpOfOne) }

/// `‖a − b‖_F / max(1, ‖b‖_F)`: relative for large references, absolute for small ones (e.g. a
/// product that should vanish).
func scaledError<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Double {
    Double((a - b).frobeniusNorm()) / Swift.max(1, Double(b.frobeniusNorm()))
}

/// The same elements in another precision.
func converted<S: BLASScalar, T: BLASScalar>(_ m: Matrix<T>, to: S.Type) -> Matrix<S> {
    Matrix<S>(rows: m.rows, columns: m.columns, storage: m.storage.map { S($0) })
}

/// Whether every element below the diagonal is exactly zero.
func isUpperTriangular<S: BLASScalar>(_ m: Matrix<S>) -> Bool {
    (0..<m.rows).allSatisfy { i in (0..<Swift.min(i, m.columns)).allSatisfy { m[i, $0] == 0 } }
}

/// Whether every element above the diagonal is exactly zero.
func isLowerTriangular<S: BLASScalar>(_ m: Matrix<S>) -> Bool { isUpperTriangular(m.transposed) }

/// `aᵀ·a`, by a transposed GEMM.
func crossProduct<S: BLASScalar>(_ a: Matrix<S>) -> Matrix<S> { Matrix.gemm(a, a, transposeA: true) }
