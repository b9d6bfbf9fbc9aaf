import LatentCore

/// Branch-free single-precision `exp` and `erf` that the compiler can vectorise, used by the
/// elementwise kernels when `Scalar == Float`; `Double` always goes through the C library.
///
/// - `expFloat`: Cephes `expf` (S. Moshier): `x = n·ln 2 + r` with `ln 2` split in two parts,
///   a degree-6 polynomial for `eʳ`, `2ⁿ` assembled from the exponent bits. Relative error below
///   1 ulp on [−87, 88] (checked against `Double.exp`); returns 0 below −87.3 (no subnormals),
///   `+∞` above 88.7, NaN for NaN.
/// - `erfFloat`: the rational approximation of Eigen's `generic_fast_erf_float` on `[−4, 4]`
///   (saturating outside); absolute error below 5e-7.
/// - `log1pFloat`: Cephes `logf` of `w = 1 + u` (exponent and mantissa from the bits, a degree-8
///   polynomial) plus the rounding correction `(u − (w − 1))/w`, so small `u` keep their digits.
///   For `u ≥ 0` (what `softplus` needs); relative error within 2 ulp (checked against `Double.log1p`).
@usableFromInline @inline(__always)
func expFloat(_ x: Float) -> Float {
    let hi: Float = 88.72283, lo: Float = -87.33654
    // NaN compares false everywhere, so it is clamped to `lo` here and restored at the end.
    let xc = x > hi ? hi : (x > lo ? x : lo)
    // n = round(x·log₂e) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits, so
    // both n as a float and n as an integer come out without a (trapping, unvectorisable) conversion.
    let magic: Float = 12_582_912
    let v = xc * 1.442_695_04 + magic
    let n = v - magic
    let k = Int32(bitPattern: v.bitPattern) &- Int32(bitPattern: magic.bitPattern)
    var r = xc - n * 0.693_359_375
    r = r - n * -2.121_944_40e-4
    var y: Float = 1.987_569_150_0e-4
    y = y * r + 1.398_199_950_7e-3
    y = y * r + 8.333_451_907_3e-3
    y = y * r + 4.166_579_589_4e-2
    y = y * r + 1.666_666_545_9e-1
    y = y * r + 5.000_000_120_1e-1
    y = y * r * r + r + 1
    // 2ⁿ from the exponent bits, n ∈ [−126, 128]: positive n as 2ⁿ⁻¹·2 so that n = 128 (whose
    // exponent field would be 255, infinity) stays finite where the result is.
    let up: Int32 = k > 0 ? 1 : 0
    let scale = Float(bitPattern: UInt32(bitPattern: (k &- up &+ 127) &<< 23))
    let result = y * scale * (k > 0 ? 2 : 1)
    return x != x ? x : (x > hi ? .infinity : (x < lo ? 0 : result))
}

@usableFromInline @inline(__always)
func erfFloat(_ x: Float) -> Float {
    let xc = x > 4 ? 4 : (x < -4 ? -4 : x)
    let x2 = xc * xc
    var p: Float = -2.726_142_258_013_06e-10
    p = p * x2 + 2.770_681_424_959_02e-08
    p = p * x2 - 2.101_024_020_825_08e-06
    p = p * x2 - 5.692_506_394_623_46e-05
    p = p * x2 - 7.349_906_303_268_55e-04
    p = p * x2 - 2.954_599_808_540_25e-03
    p = p * x2 - 1.609_603_332_624_15e-02
    var q: Float = -1.456_607_184_649_96e-05
    q = q * x2 - 2.133_740_552_789_05e-04
    q = q * x2 - 1.682_826_974_382_03e-03
    q = q * x2 - 7.373_329_167_204_68e-03
    q = q * x2 - 1.426_473_905_141_89e-02
    return x != x ? x : xc * p / q
}

@usableFromInline @inline(__always)
func log1pFloat(_ u: Float) -> Float {
    let w = 1 + u
    // w = m·2ᵉ with m ∈ [√½, √2): the field's exponent, then the mantissa moved to [½, 1)
    let bits = w.bitPattern
    var e = Float(Int32(bitPattern: (bits &>> 23) & 0xff) &- 126)
    var m = Float(bitPattern: (bits & 0x007f_ffff) | 0x3f00_0000)
    let small = m < 0.707_106_781_186_547_524
    e = small ? e - 1 : e
    m = small ? m + m - 1 : m - 1
    let z = m * m
    var y: Float = 7.037_683_629_2e-2
    y = y * m - 1.151_461_031_0e-1
    y = y * m + 1.167_699_874_0e-1
    y = y * m - 1.242_014_084_6e-1
    y = y * m + 1.424_932_278_7e-1
    y = y * m - 1.666_805_766_5e-1
    y = y * m + 2.000_071_476_5e-1
    y = y * m - 2.499_999_399_3e-1
    y = y * m + 3.333_333_117_4e-1
    y = y * m * z
    y += e * -2.121_944_40e-4 - 0.5 * z
    let log = m + y + e * 0.693_359_375
    // w − 1 lost the low bits of u when rounding 1 + u; log1p(u) ≈ log w + (u − (w − 1))/w
    let result = log + (u - (w - 1)) / w
    return u != u ? u : (w == .infinity ? .infinity : result)
}

/// `log(1 + u)` for `u ≥ 0` and any `BLASScalar`: `log1pFloat` for `Float`, the C library for `Double`.
@usableFromInline @inline(__always)
func fastLog1p<S: BLASScalar>(_ u: S) -> S {
    if S.self == Float.self { return unsafeBitCast(log1pFloat(unsafeBitCast(u, to: Float.self)), to: S.self) }
    return S.log(onePlus: u)
}

/// `eˣ` for any `BLASScalar`: `expFloat` for `Float`, the C library for `Double`.
@usableFromInline @inline(__always)
func fastExp<S: BLASScalar>(_ x: S) -> S {
    if S.self == Float.self { return unsafeBitCast(expFloat(unsafeBitCast(x, to: Float.self)), to: S.self) }
    return S.exp(x)
}

/// `erf(x)` for any `BLASScalar`: `erfFloat` for `Float`, the C library for `Double`.
@usableFromInline @inline(__always)
func fastErf<S: BLASScalar>(_ x: S) -> S {
    if S.self == Float.self { return unsafeBitCast(erfFloat(unsafeBitCast(x, to: Float.self)), to: S.self) }
    return S.erf(x)
}
