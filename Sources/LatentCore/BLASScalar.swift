import CLapack
import RealModule

/// A floating-point type that BLAS and LAPACK support: `Float` (the `s` routines) or `Double` (`d`).
///
/// Every algorithm in Latent is written once against this protocol; each requirement forwards to
/// the matching single- or double-precision routine. Pointers are raw buffers of row-major data
/// unless a requirement says otherwise; the LAPACK requirements use LAPACKE's *column-major*
/// layout, and callers pass transposed views where that saves a copy (see `Matrix+Linalg.swift`).
public protocol BLASScalar: BinaryFloatingPoint, Real, Codable, Sendable, CustomStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    /// A short name for messages and file formats: `"float32"` or `"float64"`.
    static var typeName: String { get }
    /// The BLAS/LAPACK routine prefix, `"s"` or `"d"`, used in error messages.
    static var routinePrefix: String { get }

    // MARK: BLAS level 3
    /// `C ← alpha·op(A)·op(B) + beta·C`, row-major (`cblas_?gemm`).
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `C ← alpha·op(A)·op(A)ᵀ + beta·C`, upper triangle of C only, row-major (`cblas_?syrk`).
    static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    // MARK: BLAS levels 1 and 2
    /// `y ← alpha·op(A)·x + beta·y`, row-major (`cblas_?gemv`).
    static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)
    /// `y ← alpha·x + y` (`cblas_?axpy`).
    static func axpy(n: Int, alpha: Self, x: UnsafePointer<Self>, incx: Int, y: UnsafeMutablePointer<Self>, incy: Int)
    /// `xᵀy` (`cblas_?dot`).
    static func dot(n: Int, x: UnsafePointer<Self>, incx: Int, y: UnsafePointer<Self>, incy: Int) -> Self
    /// `‖x‖₂` without overflow (`cblas_?nrm2`).
    static func nrm2(n: Int, x: UnsafePointer<Self>, incx: Int) -> Self
    /// `x ← alpha·x` (`cblas_?scal`).
    static func scal(n: Int, alpha: Self, x: UnsafeMutablePointer<Self>, incx: Int)

    // MARK: LAPACK (column-major; each returns LAPACK's `info`)
    /// Divide-and-conquer SVD (`?gesdd`); `job` is `A`, `S` or `N`.
    static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>?, ldu: Int,
                      vt: UnsafeMutablePointer<Self>?, ldvt: Int) -> Int32
    /// QR-iteration SVD (`?gesvd`), the fallback when `gesdd` fails to converge; `job` is `A`, `S` or `N`.
    static func gesvd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
                      s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>?, ldu: Int,
                      vt: UnsafeMutablePointer<Self>?, ldvt: Int) -> Int32
    /// Symmetric eigensolver by relatively robust representations (`?syevr`), eigenvalues with
    /// 1-based indices `il...iu` in ascending order (all when `il == 1 && iu == n`).
    static func syevr(vectors: Bool, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, il: Int, iu: Int,
                      w: UnsafeMutablePointer<Self>, z: UnsafeMutablePointer<Self>?, ldz: Int) -> Int32
    /// Householder QR (`?geqrf`).
    static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, tau: UnsafeMutablePointer<Self>) -> Int32
    /// Forms the first `n` columns of Q from `geqrf`'s reflectors (`?orgqr`).
    static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Self>, lda: Int, tau: UnsafePointer<Self>) -> Int32
    /// Cholesky factorisation `A = UᵀU` of the upper triangle (`?potrf`).
    static func potrf(n: Int, a: UnsafeMutablePointer<Self>, lda: Int) -> Int32
    /// Solves `A X = B` by LU with partial pivoting (`?gesv`).
    static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int, ipiv: UnsafeMutablePointer<Int32>,
                     b: UnsafeMutablePointer<Self>, ldb: Int) -> Int32
    /// Solves `A X = B` for symmetric positive-definite `A` by Cholesky (`?posv`).
    static func posv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int) -> Int32
    /// Minimum-norm least squares by a divide-and-conquer SVD (`?gelsd`); `rcond < 0` means machine precision.
    static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int,
                      s: UnsafeMutablePointer<Self>, rcond: Self, rank: UnsafeMutablePointer<Int32>) -> Int32
    /// LU factorisation with partial pivoting (`?getrf`).
    static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, ipiv: UnsafeMutablePointer<Int32>) -> Int32
    /// Inverse from an LU factorisation (`?getri`).
    static func getri(n: Int, a: UnsafeMutablePointer<Self>, lda: Int, ipiv: UnsafePointer<Int32>) -> Int32
}

@inline(__always) @usableFromInline
func blasInt(_ value: Int) -> Int32 {
    precondition(value <= Int(Int32.max), "dimension \(value) exceeds the 32-bit BLAS interface")
    return Int32(truncatingIfNeeded: value)
}

@inline(__always) @usableFromInline
func op(_ transpose: Bool) -> CBLAS_TRANSPOSE { transpose ? CblasTrans : CblasNoTrans }

private let colMajor = Int32(LAPACK_COL_MAJOR)

/// Single precision: each requirement forwards to the `cblas_s…` / `LAPACKE_s…` routine documented
/// on `BLASScalar`.
extension Float: BLASScalar {
    public static var typeName: String { "float32" }
    public static var routinePrefix: String { "s" }

    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        Parallel.blasCall { cblas_sgemm(CblasRowMajor, op(transposeA), op(transposeB), blasInt(m), blasInt(n), blasInt(k), alpha,
                    a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc)) }
    }
    @inlinable public static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        Parallel.blasCall { cblas_ssyrk(CblasRowMajor, CblasUpper, op(transpose), blasInt(n), blasInt(k), alpha, a, blasInt(lda),
                    beta, c, blasInt(ldc)) }
    }
    @inlinable public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        Parallel.blasCall { cblas_sgemv(CblasRowMajor, op(transpose), blasInt(m), blasInt(n), alpha, a, blasInt(lda), x, blasInt(incx),
                    beta, y, blasInt(incy)) }
    }
    @inlinable public static func axpy(n: Int, alpha: Float, x: UnsafePointer<Float>, incx: Int, y: UnsafeMutablePointer<Float>, incy: Int) {
        Parallel.blasCall(level1Length: n) { cblas_saxpy(blasInt(n), alpha, x, blasInt(incx), y, blasInt(incy)) }
    }
    @inlinable public static func dot(n: Int, x: UnsafePointer<Float>, incx: Int, y: UnsafePointer<Float>, incy: Int) -> Float {
        Parallel.blasCall(level1Length: n) { cblas_sdot(blasInt(n), x, blasInt(incx), y, blasInt(incy)) }
    }
    @inlinable public static func nrm2(n: Int, x: UnsafePointer<Float>, incx: Int) -> Float {
        Parallel.blasCall(level1Length: n) { cblas_snrm2(blasInt(n), x, blasInt(incx)) }
    }
    @inlinable public static func scal(n: Int, alpha: Float, x: UnsafeMutablePointer<Float>, incx: Int) {
        Parallel.blasCall(level1Length: n) { cblas_sscal(blasInt(n), alpha, x, blasInt(incx)) }
    }
    public static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>?, ldu: Int,
                             vt: UnsafeMutablePointer<Float>?, ldvt: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_sgesdd(colMajor, CChar(job), blasInt(m), blasInt(n), a, blasInt(lda), s, u, blasInt(ldu), vt, blasInt(ldvt)) }
    }
    public static func gesvd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
                             s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>?, ldu: Int,
                             vt: UnsafeMutablePointer<Float>?, ldvt: Int) -> Int32 {
        var superb = [Float](repeating: 0, count: max(1, min(m, n) - 1))
        return Parallel.blasCall { LAPACKE_sgesvd(colMajor, CChar(job), CChar(job), blasInt(m), blasInt(n), a, blasInt(lda), s, u, blasInt(ldu),
                              vt, blasInt(ldvt), &superb) }
    }
    public static func syevr(vectors: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, il: Int, iu: Int,
                             w: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>?, ldz: Int) -> Int32 {
        var found: Int32 = 0
        var isuppz = [Int32](repeating: 0, count: 2 * max(1, n))
        let all = il == 1 && iu == n
        return Parallel.blasCall { LAPACKE_ssyevr(colMajor, CChar(UInt8(ascii: vectors ? "V" : "N")), CChar(UInt8(ascii: all ? "A" : "I")),
                              CChar(UInt8(ascii: "U")), blasInt(n), a, blasInt(lda), 0, 0, blasInt(il), blasInt(iu), 0,
                              &found, w, z, blasInt(max(1, ldz)), &isuppz) }
    }
    public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, tau: UnsafeMutablePointer<Float>) -> Int32 {
        Parallel.blasCall { LAPACKE_sgeqrf(colMajor, blasInt(m), blasInt(n), a, blasInt(lda), tau) }
    }
    public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Float>, lda: Int, tau: UnsafePointer<Float>) -> Int32 {
        Parallel.blasCall { LAPACKE_sorgqr(colMajor, blasInt(m), blasInt(n), blasInt(k), a, blasInt(lda), tau) }
    }
    public static func potrf(n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_spotrf(colMajor, CChar(UInt8(ascii: "U")), blasInt(n), a, blasInt(lda)) }
    }
    public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int, ipiv: UnsafeMutablePointer<Int32>,
                            b: UnsafeMutablePointer<Float>, ldb: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_sgesv(colMajor, blasInt(n), blasInt(nrhs), a, blasInt(lda), ipiv, b, blasInt(ldb)) }
    }
    public static func posv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_sposv(colMajor, CChar(UInt8(ascii: "U")), blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb)) }
    }
    public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int,
                             s: UnsafeMutablePointer<Float>, rcond: Float, rank: UnsafeMutablePointer<Int32>) -> Int32 {
        Parallel.blasCall { LAPACKE_sgelsd(colMajor, blasInt(m), blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb), s, rcond, rank) }
    }
    public static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        Parallel.blasCall { LAPACKE_sgetrf(colMajor, blasInt(m), blasInt(n), a, blasInt(lda), ipiv) }
    }
    public static func getri(n: Int, a: UnsafeMutablePointer<Float>, lda: Int, ipiv: UnsafePointer<Int32>) -> Int32 {
        Parallel.blasCall { LAPACKE_sgetri(colMajor, blasInt(n), a, blasInt(lda), ipiv) }
    }
}

/// Double precision: each requirement forwards to the `cblas_d…` / `LAPACKE_d…` routine documented
/// on `BLASScalar`.
extension Double: BLASScalar {
    public static var typeName: String { "float64" }
    public static var routinePrefix: String { "d" }

    @inlinable public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        Parallel.blasCall { cblas_dgemm(CblasRowMajor, op(transposeA), op(transposeB), blasInt(m), blasInt(n), blasInt(k), alpha,
                    a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc)) }
    }
    @inlinable public static func syrk(
        transpose: Bool, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        Parallel.blasCall { cblas_dsyrk(CblasRowMajor, CblasUpper, op(transpose), blasInt(n), blasInt(k), alpha, a, blasInt(lda),
                    beta, c, blasInt(ldc)) }
    }
    @inlinable public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, incx: Int, beta: Double, y: UnsafeMutablePointer<Double>, incy: Int
    ) {
        Parallel.blasCall { cblas_dgemv(CblasRowMajor, op(transpose), blasInt(m), blasInt(n), alpha, a, blasInt(lda), x, blasInt(incx),
                    beta, y, blasInt(incy)) }
    }
    @inlinable public static func axpy(n: Int, alpha: Double, x: UnsafePointer<Double>, incx: Int, y: UnsafeMutablePointer<Double>, incy: Int) {
        Parallel.blasCall(level1Length: n) { cblas_daxpy(blasInt(n), alpha, x, blasInt(incx), y, blasInt(incy)) }
    }
    @inlinable public static func dot(n: Int, x: UnsafePointer<Double>, incx: Int, y: UnsafePointer<Double>, incy: Int) -> Double {
        Parallel.blasCall(level1Length: n) { cblas_ddot(blasInt(n), x, blasInt(incx), y, blasInt(incy)) }
    }
    @inlinable public static func nrm2(n: Int, x: UnsafePointer<Double>, incx: Int) -> Double {
        Parallel.blasCall(level1Length: n) { cblas_dnrm2(blasInt(n), x, blasInt(incx)) }
    }
    @inlinable public static func scal(n: Int, alpha: Double, x: UnsafeMutablePointer<Double>, incx: Int) {
        Parallel.blasCall(level1Length: n) { cblas_dscal(blasInt(n), alpha, x, blasInt(incx)) }
    }
    public static func gesdd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>?, ldu: Int,
                             vt: UnsafeMutablePointer<Double>?, ldvt: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_dgesdd(colMajor, CChar(job), blasInt(m), blasInt(n), a, blasInt(lda), s, u, blasInt(ldu), vt, blasInt(ldvt)) }
    }
    public static func gesvd(job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                             s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>?, ldu: Int,
                             vt: UnsafeMutablePointer<Double>?, ldvt: Int) -> Int32 {
        var superb = [Double](repeating: 0, count: max(1, min(m, n) - 1))
        return Parallel.blasCall { LAPACKE_dgesvd(colMajor, CChar(job), CChar(job), blasInt(m), blasInt(n), a, blasInt(lda), s, u, blasInt(ldu),
                              vt, blasInt(ldvt), &superb) }
    }
    public static func syevr(vectors: Bool, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, il: Int, iu: Int,
                             w: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>?, ldz: Int) -> Int32 {
        var found: Int32 = 0
        var isuppz = [Int32](repeating: 0, count: 2 * max(1, n))
        let all = il == 1 && iu == n
        return Parallel.blasCall { LAPACKE_dsyevr(colMajor, CChar(UInt8(ascii: vectors ? "V" : "N")), CChar(UInt8(ascii: all ? "A" : "I")),
                              CChar(UInt8(ascii: "U")), blasInt(n), a, blasInt(lda), 0, 0, blasInt(il), blasInt(iu), 0,
                              &found, w, z, blasInt(max(1, ldz)), &isuppz) }
    }
    public static func geqrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, tau: UnsafeMutablePointer<Double>) -> Int32 {
        Parallel.blasCall { LAPACKE_dgeqrf(colMajor, blasInt(m), blasInt(n), a, blasInt(lda), tau) }
    }
    public static func orgqr(m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Double>, lda: Int, tau: UnsafePointer<Double>) -> Int32 {
        Parallel.blasCall { LAPACKE_dorgqr(colMajor, blasInt(m), blasInt(n), blasInt(k), a, blasInt(lda), tau) }
    }
    public static func potrf(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_dpotrf(colMajor, CChar(UInt8(ascii: "U")), blasInt(n), a, blasInt(lda)) }
    }
    public static func gesv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int, ipiv: UnsafeMutablePointer<Int32>,
                            b: UnsafeMutablePointer<Double>, ldb: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_dgesv(colMajor, blasInt(n), blasInt(nrhs), a, blasInt(lda), ipiv, b, blasInt(ldb)) }
    }
    public static func posv(n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int) -> Int32 {
        Parallel.blasCall { LAPACKE_dposv(colMajor, CChar(UInt8(ascii: "U")), blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb)) }
    }
    public static func gelsd(m: Int, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int,
                             s: UnsafeMutablePointer<Double>, rcond: Double, rank: UnsafeMutablePointer<Int32>) -> Int32 {
        Parallel.blasCall { LAPACKE_dgelsd(colMajor, blasInt(m), blasInt(n), blasInt(nrhs), a, blasInt(lda), b, blasInt(ldb), s, rcond, rank) }
    }
    public static func getrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        Parallel.blasCall { LAPACKE_dgetrf(colMajor, blasInt(m), blasInt(n), a, blasInt(lda), ipiv) }
    }
    public static func getri(n: Int, a: UnsafeMutablePointer<Double>, lda: Int, ipiv: UnsafePointer<Int32>) -> Int32 {
        Parallel.blasCall { LAPACKE_dgetri(colMajor, blasInt(n), a, blasInt(lda), ipiv) }
    }
}
