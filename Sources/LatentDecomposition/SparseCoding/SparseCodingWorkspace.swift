import LatentCore

/// Scratch buffers for coding one sample against `atoms` atoms, allocated once per thread chunk and
/// reused for every sample in it, so the per-sample solvers never allocate.
@usableFromInline
struct SparseCodingWorkspace<S: BLASScalar> {
    let atoms: Int
    /// Length-`atoms` vectors: correlations, search direction, previous code, solver temporaries.
    let corr, direction, previous, gammaBuffer, rhs, extra: UnsafeMutablePointer<S>
    /// `atoms × atoms` lower-triangular Cholesky factor of the active Gram block, leading dimension `atoms`.
    let chol: UnsafeMutablePointer<S>
    /// Active atom indices in order of entry.
    let active: UnsafeMutablePointer<Int>
    /// `isActive[j]` for each atom.
    let isActive: UnsafeMutablePointer<Bool>

    init(atoms: Int) {
        let n = Swift.max(1, atoms)
        self.atoms = atoms
        corr = .allocate(capacity: n); direction = .allocate(capacity: n)
        previous = .allocate(capacity: n); gammaBuffer = .allocate(capacity: n)
        rhs = .allocate(capacity: n); extra = .allocate(capacity: n)
        chol = .allocate(capacity: n * n)
        active = .allocate(capacity: n)
        isActive = .allocate(capacity: n)
        isActive.initialize(repeating: false, count: n)
    }

    func deallocate() {
        for p in [corr, direction, previous, gammaBuffer, rhs, extra, chol] { p.deallocate() }
        active.deallocate()
        isActive.deallocate()
    }
}

/// Small dense kernels on raw buffers shared by the per-sample solvers (lengths are the number of
/// atoms, ≤ a few hundred, so plain loops that the compiler vectorises beat BLAS calls here).
enum SparseKernels {
    /// Solves `L·y = b` in place (`b ← L⁻¹b`) for the leading `n × n` block of a lower-triangular
    /// `L` with leading dimension `ld`. - Complexity: O(n²).
    @inline(__always)
    static func forwardSolve<S: BLASScalar>(_ l: UnsafePointer<S>, ld: Int, n: Int, _ b: UnsafeMutablePointer<S>) {
        for i in 0..<n {
            var s = b[i]
            let row = l + i * ld
            for j in 0..<i { s -= row[j] * b[j] }
            b[i] = s / row[i]
        }
    }

    /// Solves `Lᵀ·y = b` in place for the same `L`. - Complexity: O(n²).
    @inline(__always)
    static func backwardSolve<S: BLASScalar>(_ l: UnsafePointer<S>, ld: Int, n: Int, _ b: UnsafeMutablePointer<S>) {
        var i = n - 1
        while i >= 0 {
            let v = b[i] / l[i * ld + i]
            b[i] = v
            // Subtract column i of Lᵀ (row i of L) from the earlier entries.
            let row = l + i * ld
            for j in 0..<i { b[j] -= row[j] * v }
            i -= 1
        }
    }

    /// `y[0..<n] += a · x[0..<n]`.
    @inline(__always)
    static func axpy<S: BLASScalar>(_ n: Int, _ a: S, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>) {
        for j in 0..<n { y[j] += a * x[j] }
    }

    /// Refactorises `chol` as the Cholesky factor of `G[active, active]` (after a lasso drop).
    /// Returns `false` when the block is not numerically positive definite.
    static func refactor<S: BLASScalar>(gram: UnsafePointer<S>, atoms k: Int, active: UnsafePointer<Int>, count n: Int,
                                        chol: UnsafeMutablePointer<S>) -> Bool {
        for i in 0..<n {
            let gi = gram + active[i] * k
            for j in 0...i {
                var s = gi[active[j]]
                for p in 0..<j { s -= chol[i * k + p] * chol[j * k + p] }
                if i == j {
                    guard s > 0 else { return false }
                    chol[i * k + i] = s.squareRoot()
                } else {
                    chol[i * k + j] = s / chol[j * k + j]
                }
            }
        }
        return true
    }
}
