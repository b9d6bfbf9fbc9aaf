/// A raster image of 8-bit samples: grey (1 channel), RGB (3) or RGBA (4), row-major with
/// interleaved channels and the origin at the top-left corner, as PNG stores it.
///
/// Drawing primitives clip to the image, so callers may draw partly outside it. Colours are
/// converted to the image's channels: a grey image takes a colour's luma, an RGB image ignores
/// alpha except for blending; a colour with alpha below 255 is blended over what is there.
public struct Image: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Samples per pixel: 1 (grey), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// `height · width · channels` samples, row by row, channels interleaved.
    public var pixels: [UInt8]

    /// An image filled with `background` (default white). - Complexity: O(width · height).
    public init(width: Int, height: Int, channels: Int = 3, background: Color = .white) {
        precondition(width > 0 && height > 0, "Image: size must be positive, got \(width)×\(height)")
        precondition([1, 3, 4].contains(channels), "Image: channels must be 1, 3 or 4, got \(channels)")
        self.width = width; self.height = height; self.channels = channels
        let pixel = Image.samples(of: background, channels: channels)
        var pixels = [UInt8](); pixels.reserveCapacity(width * height * channels)
        for _ in 0..<(width * height) { pixels.append(contentsOf: pixel) }
        self.pixels = pixels
    }

    /// An image around existing samples; `pixels.count` must be `width · height · channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition([1, 3, 4].contains(channels), "Image: channels must be 1, 3 or 4, got \(channels)")
        precondition(width > 0 && height > 0 && pixels.count == width * height * channels,
                     "Image: \(pixels.count) samples do not fill \(width)×\(height)×\(channels)")
        self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
    }

    /// The samples of `color` for an image with `channels` channels.
    static func samples(of color: Color, channels: Int) -> [UInt8] {
        switch channels {
        case 1: return [color.grey]
        case 3: return [color.red, color.green, color.blue]
        default: return [color.red, color.green, color.blue, color.alpha]
        }
    }

    /// The colour at column `x`, row `y` (grey images give grey colours, RGB opaque ones).
    public subscript(x: Int, y: Int) -> Color {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "Image: (\(x), \(y)) is outside \(width)×\(height)")
            let i = (y * width + x) * channels
            switch channels {
            case 1: return Color(grey: pixels[i])
            case 3: return Color(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
            default: return Color(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2], alpha: pixels[i + 3])
            }
        }
        set { plot(x, y, newValue) }
    }

    /// Paints one pixel, blending by `color.alpha`; points outside the image are ignored.
    /// - Complexity: O(1).
    public mutating func plot(_ x: Int, _ y: Int, _ color: Color) {
        guard x >= 0, x < width, y >= 0, y < height, color.alpha > 0 else { return }
        let i = (y * width + x) * channels
        if color.alpha == 255 {
            switch channels {
            case 1: pixels[i] = color.grey
            case 3: pixels[i] = color.red; pixels[i + 1] = color.green; pixels[i + 2] = color.blue
            default: pixels[i] = color.red; pixels[i + 1] = color.green; pixels[i + 2] = color.blue; pixels[i + 3] = 255
            }
            return
        }
        // Source-over compositing with straight alpha (Porter & Duff 1984).
        let a = Double(color.alpha) / 255
        func over(_ src: UInt8, _ dst: UInt8) -> UInt8 { UInt8((Double(src) * a + Double(dst) * (1 - a)).rounded()) }
        switch channels {
        case 1: pixels[i] = over(color.grey, pixels[i])
        case 3:
            pixels[i] = over(color.red, pixels[i]); pixels[i + 1] = over(color.green, pixels[i + 1])
            pixels[i + 2] = over(color.blue, pixels[i + 2])
        default:
            let da = Double(pixels[i + 3]) / 255, oa = a + da * (1 - a)
            func overA(_ src: UInt8, _ dst: UInt8) -> UInt8 {
                oa == 0 ? 0 : UInt8(((Double(src) * a + Double(dst) * da * (1 - a)) / oa).rounded())
            }
            pixels[i] = overA(color.red, pixels[i]); pixels[i + 1] = overA(color.green, pixels[i + 1])
            pixels[i + 2] = overA(color.blue, pixels[i + 2]); pixels[i + 3] = UInt8((oa * 255).rounded())
        }
    }

    /// Fills the rectangle with top-left corner (`x`, `y`) and the given size, clipped to the
    /// image. - Complexity: O(width · height of the rectangle).
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        let x0 = max(x, 0), x1 = min(x + w, width), y0 = max(y, 0), y1 = min(y + h, height)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { plot(xx, yy, color) } }
    }

    /// Draws the one-pixel outline of a rectangle. - Complexity: O(perimeter).
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        guard w > 0, h > 0 else { return }
        fillRect(x: x, y: y, width: w, height: 1, color: color)
        fillRect(x: x, y: y + h - 1, width: w, height: 1, color: color)
        fillRect(x: x, y: y + 1, width: 1, height: h - 2, color: color)
        fillRect(x: x + w - 1, y: y + 1, width: 1, height: h - 2, color: color)
    }

    /// Draws a one-pixel line from (`x0`, `y0`) to (`x1`, `y1`), both ends included, with
    /// Bresenham's integer algorithm (Bresenham 1965). - Complexity: O(max(|dx|, |dy|)).
    public mutating func drawLine(from p0: (x: Int, y: Int), to p1: (x: Int, y: Int), color: Color) {
        var (x, y) = p0
        let dx = abs(p1.x - x), dy = -abs(p1.y - y)
        let sx = x < p1.x ? 1 : -1, sy = y < p1.y ? 1 : -1
        var error = dx + dy
        while true {
            plot(x, y, color)
            if x == p1.x && y == p1.y { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// Draws the outline of a circle of integer `radius` around (`cx`, `cy`) with the midpoint
    /// circle algorithm; every outline pixel is painted once. - Complexity: O(radius).
    public mutating func strokeCircle(cx: Int, cy: Int, radius: Int, color: Color) {
        precondition(radius >= 0, "strokeCircle: radius must be non-negative, got \(radius)")
        var points = Set<Int>()
        var x = radius, y = 0, error = 1 - radius
        while x >= y {
            for (px, py) in [(x, y), (y, x), (-y, x), (-x, y), (-x, -y), (-y, -x), (y, -x), (x, -y)] {
                points.insert((py + radius) * (2 * radius + 1) + (px + radius))
            }
            y += 1
            if error < 0 { error += 2 * y + 1 } else { x -= 1; error += 2 * (y - x) + 1 }
        }
        for p in points { plot(cx + p % (2 * radius + 1) - radius, cy + p / (2 * radius + 1) - radius, color) }
    }

    /// Fills the disc of pixels whose centres lie within `radius + 0.5` of (`cx`, `cy`); radius 0
    /// paints a single point. - Complexity: O(radius²).
    public mutating func fillCircle(cx: Int, cy: Int, radius: Int, color: Color) {
        precondition(radius >= 0, "fillCircle: radius must be non-negative, got \(radius)")
        let r2 = (Double(radius) + 0.5) * (Double(radius) + 0.5)
        for dy in -radius...radius {
            for dx in -radius...radius where Double(dx * dx + dy * dy) <= r2 { plot(cx + dx, cy + dy, color) }
        }
    }

    /// Copies `other` with its top-left corner at (`x`, `y`), clipped; channels are converted
    /// through `Color`. - Complexity: O(other's pixels).
    public mutating func draw(_ other: Image, atX x: Int, y: Int) {
        for yy in 0..<other.height { for xx in 0..<other.width { plot(x + xx, y + yy, other[xx, yy]) } }
    }

    /// The image enlarged by an integer `factor` in both directions (nearest neighbour: each
    /// pixel becomes a `factor × factor` block). - Complexity: O(output pixels).
    public func scaled(by factor: Int) -> Image {
        precondition(factor >= 1, "Image.scaled: factor must be at least 1, got \(factor)")
        if factor == 1 { return self }
        var out = [UInt8](repeating: 0, count: width * factor * height * factor * channels)
        let outWidth = width * factor
        for y in 0..<(height * factor) {
            for x in 0..<outWidth {
                let src = ((y / factor) * width + x / factor) * channels, dst = (y * outWidth + x) * channels
                for c in 0..<channels { out[dst + c] = pixels[src + c] }
            }
        }
        return Image(width: outWidth, height: height * factor, channels: channels, pixels: out)
    }
}
