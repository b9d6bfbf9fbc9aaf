import LatentCore

/// One image as `channels × height × width` `Float` values in row-major `(C, H, W)` order: the
/// layout of one sample of a `(N, C, H, W)` tensor and of one row of an image `Matrix`
/// (Fashion-MNIST: 1 × 28 × 28, pixels in [0, 1]). What every `Augmentation` takes and returns.
public struct ImageSample: Sendable, Equatable {
    public let channels: Int
    public let height: Int
    public let width: Int
    /// `channels · height · width` values, channel planes one after the other.
    public var pixels: [Float]

    /// - Precondition: `pixels.count == channels · height · width`, all sizes ≥ 1.
    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(channels >= 1 && height >= 1 && width >= 1, "ImageSample: sizes \(channels)×\(height)×\(width) must be positive")
        precondition(pixels.count == channels * height * width,
                     "ImageSample: \(pixels.count) values do not fill \(channels)×\(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// Row `row` of `images` (`n × C·H·W`) read as a `C × H × W` image. O(C·H·W).
    public init(row: Int, of images: Matrix<Float>, channels: Int, height: Int, width: Int) {
        precondition(images.columns == channels * height * width,
                     "ImageSample: rows of \(images.columns) values are not \(channels)×\(height)×\(width) images")
        let start = row * images.columns
        self.init(channels: channels, height: height, width: width, pixels: Array(images.storage[start..<(start + images.columns)]))
    }

    /// A black image (all zeros) of the given size.
    public init(channels: Int, height: Int, width: Int) {
        self.init(channels: channels, height: height, width: width, pixels: [Float](repeating: 0, count: channels * height * width))
    }

    /// The value at channel `c`, row `y`, column `x` (0-based).
    @inlinable public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }

    /// The mean of all values. O(C·H·W).
    public var mean: Double { pixels.reduce(0) { $0 + Double($1) } / Double(pixels.count) }

    /// Bilinear interpolation of channel `c` at the real position (`y`, `x`) in pixel-centre
    /// coordinates (pixel (i, j) sits at (i, j)); points outside the image read `fill`.
    @inlinable func bilinear(_ c: Int, y: Float, x: Float, fill: Float) -> Float {
        let y0 = Int((y).rounded(.down)), x0 = Int((x).rounded(.down))
        let fy = y - Float(y0), fx = x - Float(x0)
        func at(_ yy: Int, _ xx: Int) -> Float {
            (yy >= 0 && yy < height && xx >= 0 && xx < width) ? pixels[(c * height + yy) * width + xx] : fill
        }
        let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
        let bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    /// A `height × width` image whose pixel (y, x) is this image bilinearly sampled at
    /// `source(y, x)` (an inverse map: output position → input position), `fill` outside.
    /// O(C·H_out·W_out).
    func resampled(height h: Int, width w: Int, fill: Float = 0, source: (Float, Float) -> (y: Float, x: Float)) -> ImageSample {
        var out = ImageSample(channels: channels, height: h, width: w)
        for y in 0..<h {
            for x in 0..<w {
                let p = source(Float(y), Float(x))
                for c in 0..<channels { out.pixels[(c * h + y) * w + x] = bilinear(c, y: p.y, x: p.x, fill: fill) }
            }
        }
        return out
    }

    /// Every value mapped through `f`, e.g. a clamp. O(C·H·W).
    func mapPixels(_ f: (Float) -> Float) -> ImageSample {
        ImageSample(channels: channels, height: height, width: width, pixels: pixels.map(f))
    }
}

/// A random transformation of one image, drawing everything it decides from `rng` (so a sample's
/// views are fixed by its generator, see `DataPipeline`). Shapes: `C × H × W` in; the output size
/// is the augmentation's (most keep it; a crop resizes to its `height × width`).
public protocol Augmentation: Sendable {
    /// The transformed image.
    func apply(_ image: ImageSample, using rng: inout Xoshiro256StarStar) -> ImageSample
}

extension Float {
    /// The value limited to `[0, 1]` (photometric augmentations keep pixels in range, as torchvision does).
    @inlinable var clampedToUnit: Float { Swift.min(1, Swift.max(0, self)) }
}
