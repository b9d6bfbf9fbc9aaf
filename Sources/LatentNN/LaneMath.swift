import LatentCore

// Reductions over one lane `p[0], p[st], …, p[(n−1)·st]` with eight independent partial results,
// so that a contiguous lane (st = 1 after inlining) vectorises; a single running sum cannot,
// because floating-point addition is not associative and the compiler keeps the written order.
// The summation order therefore differs from a left fold (by rounding only).

/// `Σⱼ p[j·st]`.
@inline(__always)
func laneSum<S: BLASScalar>(_ p: UnsafePointer<S>, _ n: Int, _ st: Int) -> S {
    var a0: S = 0, a1: S = 0, a2: S = 0, a3: S = 0, a4: S = 0, a5: S = 0, a6: S = 0, a7: S = 0
    var j = 0
    while j + 8 <= n {
        a0 += p[j * st]; a1 += p[(j + 1) * st]; a2 += p[(j + 2) * st]; a3 += p[(j + 3) * st]
        a4 += p[(j + 4) * st]; a5 += p[(j + 5) * st]; a6 += p[(j + 6) * st]; a7 += p[(j + 7) * st]
        j += 8
    }
    while j < n { a0 += p[j * st]; j += 1 }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
}

/// `Σⱼ p[j·st]·q[j·st]`.
@inline(__always)
func laneDot<S: BLASScalar>(_ p: UnsafePointer<S>, _ q: UnsafePointer<S>, _ n: Int, _ st: Int) -> S {
    var a0: S = 0, a1: S = 0, a2: S = 0, a3: S = 0, a4: S = 0, a5: S = 0, a6: S = 0, a7: S = 0
    var j = 0
    while j + 8 <= n {
        a0 += p[j * st] * q[j * st]; a1 += p[(j + 1) * st] * q[(j + 1) * st]
        a2 += p[(j + 2) * st] * q[(j + 2) * st]; a3 += p[(j + 3) * st] * q[(j + 3) * st]
        a4 += p[(j + 4) * st] * q[(j + 4) * st]; a5 += p[(j + 5) * st] * q[(j + 5) * st]
        a6 += p[(j + 6) * st] * q[(j + 6) * st]; a7 += p[(j + 7) * st] * q[(j + 7) * st]
        j += 8
    }
    while j < n { a0 += p[j * st] * q[j * st]; j += 1 }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
}

/// `maxⱼ p[j·st]` (−∞ for an empty lane; NaN if any element is NaN).
@inline(__always)
func laneMax<S: BLASScalar>(_ p: UnsafePointer<S>, _ n: Int, _ st: Int) -> S {
    var m0 = -S.infinity, m1 = -S.infinity, m2 = -S.infinity, m3 = -S.infinity
    var nan = false
    var j = 0
    while j + 4 <= n {
        let v0 = p[j * st], v1 = p[(j + 1) * st], v2 = p[(j + 2) * st], v3 = p[(j + 3) * st]
        m0 = v0 > m0 ? v0 : m0; m1 = v1 > m1 ? v1 : m1; m2 = v2 > m2 ? v2 : m2; m3 = v3 > m3 ? v3 : m3
        nan = nan || v0 != v0 || v1 != v1 || v2 != v2 || v3 != v3
        j += 4
    }
    while j < n { let v = p[j * st]; m0 = v > m0 ? v : m0; nan = nan || v != v; j += 1 }
    let m = Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
    return nan ? .nan : m
}

/// `Σⱼ (p[j·st] − c)²`.
@inline(__always)
func laneSquaredDeviation<S: BLASScalar>(_ p: UnsafePointer<S>, _ c: S, _ n: Int, _ st: Int) -> S {
    var a0: S = 0, a1: S = 0, a2: S = 0, a3: S = 0, a4: S = 0, a5: S = 0, a6: S = 0, a7: S = 0
    var j = 0
    while j + 8 <= n {
        let d0 = p[j * st] - c, d1 = p[(j + 1) * st] - c, d2 = p[(j + 2) * st] - c, d3 = p[(j + 3) * st] - c
        let d4 = p[(j + 4) * st] - c, d5 = p[(j + 5) * st] - c, d6 = p[(j + 6) * st] - c, d7 = p[(j + 7) * st] - c
        a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3; a4 += d4 * d4; a5 += d5 * d5; a6 += d6 * d6; a7 += d7 * d7
        j += 8
    }
    while j < n { let d = p[j * st] - c; a0 += d * d; j += 1 }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
}

/// `Σⱼ q[j·st]·(p[j·st] − c)`.
@inline(__always)
func laneCentredDot<S: BLASScalar>(_ q: UnsafePointer<S>, _ p: UnsafePointer<S>, _ c: S, _ n: Int, _ st: Int) -> S {
    var a0: S = 0, a1: S = 0, a2: S = 0, a3: S = 0, a4: S = 0, a5: S = 0, a6: S = 0, a7: S = 0
    var j = 0
    while j + 8 <= n {
        a0 += q[j * st] * (p[j * st] - c); a1 += q[(j + 1) * st] * (p[(j + 1) * st] - c)
        a2 += q[(j + 2) * st] * (p[(j + 2) * st] - c); a3 += q[(j + 3) * st] * (p[(j + 3) * st] - c)
        a4 += q[(j + 4) * st] * (p[(j + 4) * st] - c); a5 += q[(j + 5) * st] * (p[(j + 5) * st] - c)
        a6 += q[(j + 6) * st] * (p[(j + 6) * st] - c); a7 += q[(j + 7) * st] * (p[(j + 7) * st] - c)
        j += 8
    }
    while j < n { a0 += q[j * st] * (p[j * st] - c); j += 1 }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
}
