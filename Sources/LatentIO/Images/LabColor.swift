import Foundation

/// CIE 1976 L\*a\*b\* from sRGB with the D65 white point — the conversion of
/// `skimage.color.rgb2lab` (and of Zhang et al. 2016's colorization): undo the sRGB transfer
/// curve, XYZ by the sRGB/D65 matrix, divide by the white point, then
/// `L = 116 f(Y) − 16`, `a = 500 (f(X) − f(Y))`, `b = 200 (f(Y) − f(Z))` with
/// `f(t) = t^{1/3}` above `(6/29)³` and `t/(3(6/29)²) + 4/29` below.
/// L is 0…100; a and b lie within about ±100 for sRGB colours.
public enum LabColor {
    /// D65 reference white `(X, Y, Z)`, as in scikit-image.
    static let white: (Double, Double, Double) = (0.95047, 1.0, 1.08883)

    /// `(L, a, b)` of an sRGB colour with components in 0…1. O(1).
    public static func fromRGB(_ r: Double, _ g: Double, _ b: Double) -> (l: Double, a: Double, b: Double) {
        let (lr, lg, lb) = (linear(r), linear(g), linear(b))
        let x = (0.412453 * lr + 0.357580 * lg + 0.180423 * lb) / white.0
        let y = (0.212671 * lr + 0.715160 * lg + 0.072169 * lb) / white.1
        let z = (0.019334 * lr + 0.119193 * lg + 0.950227 * lb) / white.2
        let (fx, fy, fz) = (f(x), f(y), f(z))
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// The sRGB colour (components clipped to 0…1) of `(L, a, b)`: the inverse of `fromRGB`. O(1).
    public static func toRGB(_ l: Double, _ a: Double, _ b: Double) -> (r: Double, g: Double, b: Double) {
        let fy = (l + 16) / 116
        let (x, y, z) = (inverseF(fy + a / 500) * white.0, inverseF(fy) * white.1, inverseF(fy - b / 200) * white.2)
        let r = 3.24048134 * x - 1.53715152 * y - 0.49853633 * z
        let g = -0.96925495 * x + 1.87599 * y + 0.04155593 * z
        let bl = 0.05564664 * x - 0.20404134 * y + 1.05731107 * z
        return (encode(r), encode(g), encode(bl))
    }

    /// sRGB transfer curve undone (IEC 61966-2-1).
    static func linear(_ c: Double) -> Double { c > 0.04045 ? pow((c + 0.055) / 1.055, 2.4) : c / 12.92 }
    /// sRGB transfer curve applied, clipped to 0…1.
    static func encode(_ c: Double) -> Double {
        let v = c > 0.0031308 ? 1.055 * pow(c, 1 / 2.4) - 0.055 : 12.92 * c
        return Swift.min(1, Swift.max(0, v))
    }
    static func f(_ t: Double) -> Double { t > 216.0 / 24389.0 ? cbrt(t) : t * (841.0 / 108.0) + 4.0 / 29.0 }
    static func inverseF(_ t: Double) -> Double { t > 6.0 / 29.0 ? t * t * t : 3 * (36.0 / 841.0) * (t - 4.0 / 29.0) }
}
