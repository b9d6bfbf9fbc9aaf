/// A LAPACK routine reported failure through its `info` code.
///
/// `info < 0` means argument `-info` was illegal (a bug in Latent: please report it);
/// `info > 0` is the routine's own failure, explained in `reason`; `info == 0` means Latent
/// refused the input before calling the routine (an element is NaN or infinite), as `reason` says.
public struct LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The routine, with its precision prefix, e.g. `"dpotrf"`.
    public let routine: String
    /// LAPACK's `info` code.
    public let info: Int
    /// What the code means for this routine.
    public let reason: String

    /// An error for `routine` (with its `s`/`d` prefix) that returned `info`, explained by `reason`.
    public init(routine: String, info: Int, reason: String) {
        self.routine = routine
        self.info = info
        self.reason = reason
    }

    /// One line naming the routine, its `info` code and the reason, e.g.
    /// `LAPACK dpotrf failed with info = 2: the leading minor of order 2 is not positive definite`.
    public var description: String {
        info == 0 ? "LAPACK \(routine) not called: \(reason)" : "LAPACK \(routine) failed with info = \(info): \(reason)"
    }
}

/// Throws `LinearAlgebraError` for a non-zero `info`; `positive` explains `info > 0`.
@usableFromInline
func check<Scalar: BLASScalar>(_ info: Int32, _ name: String, _: Scalar.Type, positive: (Int) -> String) throws {
    guard info != 0 else { return }
    let i = Int(info)
    throw LinearAlgebraError(routine: Scalar.routinePrefix + name, info: i,
                             reason: i < 0 ? "argument \(-i) had an illegal value" : positive(i))
}
