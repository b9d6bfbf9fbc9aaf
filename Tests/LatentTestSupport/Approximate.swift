import LatentCore

/// The largest absolute elementwise difference between two same-shape matrices.
public func maxAbsDifference<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns, "maxAbsDifference: \(a.shapeDescription) vs \(b.shapeDescription)")
    return zip(a.storage, b.storage).reduce(0.0) { Swift.max($0, Double(abs($1.0 - $1.1))) }
}

/// The largest absolute elementwise difference between two arrays of equal length.
public func maxAbsDifference<S: BLASScalar>(_ a: [S], _ b: [S]) -> Double {
    precondition(a.count == b.count, "maxAbsDifference: \(a.count) vs \(b.count) elements")
    return zip(a, b).reduce(0.0) { Swift.max($0, Double(abs($1.0 - $1.1))) }
}

/// `‖a − b‖_F / max(‖b‖_F, tiny)`: the relative error of `a` against the reference `b`.
public func relativeError<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Double {
    let diff = Double((a - b).frobeniusNorm())
    return diff / Swift.max(Double(b.frobeniusNorm()), Double.leastNormalMagnitude)
}

/// Machine epsilon of `S` as a `Double`, for tolerances written as multiples of it.
public func epsilon<S: BLASScalar>(_: S.Type) -> Double { Double(S.ulpOfOne) }
