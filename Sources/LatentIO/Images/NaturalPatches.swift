import Foundation
import LatentCore

/// Square patches cut at random from photographs, one matrix row per patch — the input of the
/// classic natural-image experiments (ICA and sparse coding filters, Olshausen & Field 1996) and
/// of the colorization and inpainting models.
///
/// Patch `i` is drawn by a generator seeded with `seed`: an image chosen with probability
/// proportional to its number of possible patch positions (so every position of every photograph
/// is equally likely), then a uniform top-left corner. Same images, size, count and seed → the
/// same patches.
public struct NaturalPatches: Sendable, Equatable {
    /// How a patch's pixels are laid out in its row.
    public enum Layout: String, Sendable, CaseIterable {
        /// `3 · size²` values in 0…1, channels first (all red, then green, then blue; each row-major),
        /// the `(C, H, W)` order of convolution layers.
        case rgb
        /// `size²` luminance values in 0…1, `0.2125 R + 0.7154 G + 0.0721 B` on the sRGB values
        /// (skimage's `rgb2gray` weights).
        case grey
        /// `3 · size²` values, channels first: L/100 (0…1), a/100 and b/100 (about −1…1) of CIE
        /// L\*a\*b\* (`LabColor`).
        case lab
    }

    /// Side of a square patch in pixels (≥ 1).
    public var size: Int
    /// Number of patches (≥ 1).
    public var count: Int
    public var layout: Layout
    public var seed: UInt64

    public init(size: Int, count: Int, layout: Layout = .rgb, seed: UInt64 = 0) {
        self.size = size
        self.count = count
        self.layout = layout
        self.seed = seed
    }

    /// Values per row for this layout.
    public var rowWidth: Int { layout == .grey ? size * size : 3 * size * size }

    /// Cuts `count` patches from `images` (grey images count as colour with equal channels).
    /// - Precondition: `size ≥ 1`, `count ≥ 1`, and some image is at least `size × size`.
    /// - Complexity: O(count · size²).
    public func cut(from images: [RasterImage]) -> Matrix<Float> {
        precondition(size >= 1 && count >= 1, "NaturalPatches: size \(size) and count \(count) must be at least 1")
        let positions = images.map { Swift.max(0, $0.height - size + 1) * Swift.max(0, $0.width - size + 1) }
        let total = positions.reduce(0, +)
        precondition(total > 0, "NaturalPatches: no image is at least \(size) × \(size) pixels")
        let colour = images.map(\.rgb)
        var rng = Xoshiro256StarStar(seed: seed)
        let width = rowWidth, area = size * size
        var out = [Float](repeating: 0, count: count * width)
        for i in 0..<count {
            // a uniform position over all images: pick the index, then find its image
            var k = rng.integer(below: total), which = 0
            while k >= positions[which] { k -= positions[which]; which += 1 }
            let image = colour[which]
            let columns = image.width - size + 1
            let (top, left) = (k / columns, k % columns)
            let base = i * width
            for y in 0..<size {
                for x in 0..<size {
                    let (r, g, b) = (image.value(top + y, left + x, 0), image.value(top + y, left + x, 1), image.value(top + y, left + x, 2))
                    let p = y * size + x
                    switch layout {
                    case .rgb:
                        out[base + p] = r; out[base + area + p] = g; out[base + 2 * area + p] = b
                    case .grey:
                        out[base + p] = 0.2125 * r + 0.7154 * g + 0.0721 * b
                    case .lab:
                        let lab = LabColor.fromRGB(Double(r), Double(g), Double(b))
                        out[base + p] = Float(lab.l / 100); out[base + area + p] = Float(lab.a / 100); out[base + 2 * area + p] = Float(lab.b / 100)
                    }
                }
            }
        }
        return Matrix(rows: count, columns: width, storage: out)
    }
}
