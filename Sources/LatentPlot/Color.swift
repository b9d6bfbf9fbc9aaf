/// An 8-bit sRGB colour with straight (not premultiplied) alpha.
public struct Color: Sendable, Equatable, Hashable {
    /// Red, 0…255.
    public var red: UInt8
    /// Green, 0…255.
    public var green: UInt8
    /// Blue, 0…255.
    public var blue: UInt8
    /// Opacity, 0 (transparent) … 255 (opaque).
    public var alpha: UInt8

    /// A colour from its four 8-bit components.
    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// An opaque grey of the given level (0 black … 255 white).
    public init(grey: UInt8) { self.init(red: grey, green: grey, blue: grey) }

    /// An opaque colour from a 24-bit hex value such as `0x4E79A7`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// Opaque black.
    public static let black = Color(grey: 0)
    /// Opaque white.
    public static let white = Color(grey: 255)

    /// The luma of the colour (ITU-R BT.601 weights 0.299, 0.587, 0.114), used when drawing in
    /// a grey image.
    public var grey: UInt8 {
        let r: Int = 299 * Int(red), g: Int = 587 * Int(green), b: Int = 114 * Int(blue)
        return UInt8((r + g + b + 500) / 1000)
    }

    /// `#rrggbb`, as SVG and CSS write colours (alpha is left out).
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        var s = "#"
        for c in [red, green, blue] { s.append(digits[Int(c >> 4)]); s.append(digits[Int(c & 15)]) }
        return s
    }

    /// Linear interpolation `(1 − t)·self + t·other` per component, `t` clamped to [0, 1].
    public func mixed(with other: Color, _ t: Double) -> Color {
        let t = min(max(t, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
                     alpha: mix(alpha, other.alpha))
    }
}

/// Qualitative and sequential colour sets for plots.
public enum Palette {
    /// Tableau 10 (Tableau Software, 2016 default): ten well-separated qualitative colours for
    /// class labels — blue, orange, red, teal, green, yellow, purple, pink, brown, grey.
    public static let tableau10: [Color] = [
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F,
        0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
    ].map(Color.init(hex:))

    /// The colour of class `index`, cycling through `tableau10` when there are more than ten.
    public static func categorical(_ index: Int) -> Color {
        tableau10[((index % tableau10.count) + tableau10.count) % tableau10.count]
    }
}
