/// Maps a value in [0, 1] to a colour, for showing a matrix of numbers as an image.
public enum Colormap: String, Sendable, Codable, CaseIterable {
    /// Black (0) to white (1): the natural map for pixel intensities.
    case grey
    /// White (0) to black (1): dark ink on white paper, as Fashion-MNIST figures often print.
    case inverseGrey
    /// Diverging blue (0) – white (½) – red (1), for signed values normalised symmetrically
    /// around zero (PCA eigen-images, ICA components, dictionary atoms): zero is white, negative
    /// weights blue, positive red. End points are ColorBrewer RdBu's darkest blue `#2166ac` and
    /// red `#b2182b`; the middle is white.
    case blueWhiteRed
    /// Diverging black (0) – mid grey (½) – white (1): signed values in grey, zero at 50 % grey.
    case divergingGrey

    /// Whether the map is meant for values centred on zero.
    public var isDiverging: Bool { self == .blueWhiteRed || self == .divergingGrey }

    /// The colour at `t`, clamped to [0, 1] (NaN maps to the middle). - Complexity: O(1).
    @inlinable
    public func color(at t: Double) -> Color {
        let t = t.isNaN ? 0.5 : min(max(t, 0), 1)
        switch self {
        case .grey, .divergingGrey: return Color(grey: UInt8((t * 255).rounded()))
        case .inverseGrey: return Color(grey: UInt8(((1 - t) * 255).rounded()))
        case .blueWhiteRed:
            let blue = Color(hex: 0x2166AC), red = Color(hex: 0xB2182B)
            return t < 0.5 ? blue.mixed(with: .white, t * 2) : Color.white.mixed(with: red, (t - 0.5) * 2)
        }
    }
}
