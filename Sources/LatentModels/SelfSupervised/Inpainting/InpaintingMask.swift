import LatentCore

/// Which pixels a context encoder must fill in (Pathak et al. 2016, §3.3): the hole is the same
/// for every channel of an image, and its pixels are replaced by a constant before encoding.
public enum InpaintingMask: Codable, Sendable, Equatable {
    /// A fixed square in the middle, `fraction` of the height and width (Pathak's "central region",
    /// ¼ of the area at 0.5).
    case centre(fraction: Double)
    /// `count` squares of side `fraction` of the image at uniform positions (they may overlap):
    /// Pathak's "random block" masks.
    case randomBlocks(count: Int, fraction: Double)
    /// Random rectangles of random aspect (each side 10–50% of the image) added until at least
    /// `coverage` of the pixels are holes: arbitrary-shaped "random region" masks. Pathak cut the
    /// regions out of PASCAL segmentations; unions of rectangles are our stand-in (no such masks here).
    case randomRegions(coverage: Double)

    /// Why the mask cannot be drawn, or `nil`.
    public var problem: String? {
        switch self {
        case let .centre(f), let .randomBlocks(_, f):
            if case let .randomBlocks(count, _) = self, count < 1 { return "block count \(count) must be at least 1" }
            return f > 0 && f < 1 ? nil : "mask fraction \(f) must be between 0 and 1 (exclusive)"
        case let .randomRegions(c):
            return c > 0 && c <= 0.75 ? nil : "region coverage \(c) must be in (0, 0.75]"
        }
    }

    /// A `height × width` hole map, row-major, 1 in the hole and 0 elsewhere; random masks draw
    /// from `rng`. O(height · width · rectangles).
    public func draw<S: BLASScalar>(height h: Int, width w: Int, using rng: inout Xoshiro256StarStar) -> [S] {
        var hole = [S](repeating: 0, count: h * w)
        func fill(top: Int, left: Int, height: Int, width: Int) {
            for y in top..<Swift.min(h, top + height) { for x in left..<Swift.min(w, left + width) { hole[y * w + x] = 1 } }
        }
        switch self {
        case let .centre(f):
            let (bh, bw) = (Swift.max(1, Int((Double(h) * f).rounded())), Swift.max(1, Int((Double(w) * f).rounded())))
            fill(top: (h - bh) / 2, left: (w - bw) / 2, height: bh, width: bw)
        case let .randomBlocks(count, f):
            let (bh, bw) = (Swift.max(1, Int((Double(h) * f).rounded())), Swift.max(1, Int((Double(w) * f).rounded())))
            for _ in 0..<count { fill(top: rng.integer(below: h - bh + 1), left: rng.integer(below: w - bw + 1), height: bh, width: bw) }
        case let .randomRegions(coverage):
            let target = Int((Double(h * w) * coverage).rounded(.up))
            var covered = 0
            while covered < target {
                let bh = Swift.max(1, Int(Double(h) * rng.uniform(0.1, 0.5)))
                let bw = Swift.max(1, Int(Double(w) * rng.uniform(0.1, 0.5)))
                fill(top: rng.integer(below: h - bh + 1), left: rng.integer(below: w - bw + 1), height: bh, width: bw)
                covered = hole.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            }
        }
        return hole
    }
}
