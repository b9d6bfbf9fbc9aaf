/// A LAPACK routine reported failure through its `info` code.
///
/// `info < 0` means argument `-info` was illegal (a bug in Latent: please report it);
/// `info > 0` is the routine's own failure, explained in `reason`.
public struct LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The routine, with its precision prefix, e.g. `"dpotrf"`.
    public let routine: String
    /// LAPACK's `info` code.
    public let info: Int
    /// What the code means for this routine.
    public let reason: String

    public init(routine: String, info: Int, reason: String) {
        self.routine = routine
        self.info = info
        self.reason = reason
    }

    public var description: String { "LAPACK \(routine) failed with info = \(info): \(reason)" }
}

/// Throws `LinearAlgebraError` for a non-zero `info`; `positive` explains `info > 0`.
@usableFromInline
func check<Scalar: BLASScalar>(_ info: Int32, _ name: String, _: Scalar.Type, positive: (Int) -> String) throws {
    guard info != 0 else { return }
    let i = Int(info)
    throw LinearAlgebraError(routine: Scalar.routinePrefix + name, info: i,
                             reason: i < 0 ? "argument \(-i) had an illegal value" : positive(i))
}
