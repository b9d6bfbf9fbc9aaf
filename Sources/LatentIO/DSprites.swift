import LatentCore

/// dSprites (Matthey et al. 2017), generated instead of downloaded: binary 64 × 64 images of one
/// sprite, every combination of five factors, rendered on demand so any index is addressable
/// without the 737,280-image file.
///
/// Factors, in this order (the last varies fastest, as in the published `latents_classes`):
/// shape (square, ellipse, heart) × scale (6 values 0.5 … 1) × orientation (40 values, `k·2π/40`)
/// × x position (32) × y position (32). Index `i` holds classes
/// `((((shape·6 + scale)·40 + orientation)·32 + x)·32 + y)`.
///
/// Rendering: pixel (row r, column c) is 1 when its centre `(c + ½, r + ½)` lies inside the
/// sprite. The sprite is centred at `10 + 44·(k/31)` pixels for position class k (so even a
/// rotated square at scale 1 stays inside the frame), rotated by θ (the point is mapped by
/// `u = cos θ·dx + sin θ·dy`, `v = −sin θ·dx + cos θ·dy`), and measured in units of
/// `6.5 · scale` pixels: the square is `|u|, |v| ≤ 1`, the ellipse `(u/1.25)² + (v/0.6)² ≤ 1`, the
/// heart `(x² + y² − 1)³ ≤ x²y³` with `(x, y) = (u, −v)/1.05` (pointing down at θ = 0).
///
/// Known differences from the published file: its 40 orientations are `linspace(0, 2π, 40)`,
/// so its first and last orientation are the same image (step 2π/39); here they are 40 distinct
/// steps of 2π/40. Its sprites were drawn by a vector renderer with its own sizes and positions,
/// so pixels differ; what matches is the factor grid, its order and the image size.
/// - Complexity: O(64²) per image.
public enum DSprites {
    /// The sprite kinds, in factor order.
    public enum Shape: Int, CaseIterable, Sendable { case square, ellipse, heart }

    /// Side of the square images.
    public static let imageSize = 64
    /// Number of classes of each factor: shape, scale, orientation, x, y.
    public static let factorSizes = [3, 6, 40, 32, 32]
    /// The factors' names, in order.
    public static let factorNames = ["shape", "scale", "orientation", "position_x", "position_y"]
    /// Number of images, 3·6·40·32·32 = 737,280.
    public static let count = factorSizes.reduce(1, *)

    /// The scale of class k: `0.5 + 0.1·k`.
    public static func scale(_ k: Int) -> Double { 0.5 + 0.1 * Double(k) }
    /// The orientation of class k in radians: `k·2π/40`.
    public static func orientation(_ k: Int) -> Double { Double(k) * 2 * Double.pi / 40 }
    /// The position of class k in [0, 1]: `k/31`.
    public static func position(_ k: Int) -> Double { Double(k) / 31 }
    /// The sprite centre in pixels of position class k: `10 + 44·k/31`.
    public static func pixelCentre(_ k: Int) -> Double { 10 + 44 * position(k) }

    /// The five factor classes of image `index`. - Precondition: `0 ≤ index < count`.
    public static func factors(of index: Int) -> [Int] {
        precondition(index >= 0 && index < count, "DSprites: index \(index) outside 0..<\(count)")
        var rest = index
        var out = [Int](repeating: 0, count: 5)
        for f in stride(from: 4, through: 0, by: -1) {
            out[f] = rest % factorSizes[f]
            rest /= factorSizes[f]
        }
        return out
    }

    /// `count` distinct image indices drawn uniformly by `seed` (Floyd's algorithm), in random order.
    /// - Complexity: O(count).
    public static func sample(_ count: Int, seed: UInt64) -> [Int] {
        precondition(count >= 0 && count <= Self.count, "DSprites.sample: \(count) images of \(Self.count)")
        var rng = Xoshiro256StarStar(seed: seed)
        var chosen = Set<Int>(), order: [Int] = []
        for j in (Self.count - count)..<Self.count {
            let t = rng.integer(below: j + 1)
            let pick = chosen.contains(t) ? j : t
            chosen.insert(pick)
            order.append(pick)
        }
        return rng.permutation(order.count).map { order[$0] }      // Floyd's order favours late indices last
    }

    /// The index of the image with these five factor classes. - Precondition: each in range.
    public static func index(of factors: [Int]) -> Int {
        precondition(factors.count == 5 && zip(factors, factorSizes).allSatisfy { $0 >= 0 && $0 < $1 },
                     "DSprites: factors \(factors) outside the grid \(factorSizes)")
        return zip(factors, factorSizes).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// Image `index`: 64·64 pixels, row-major, each 0 or 1.
    public static func image(_ index: Int) -> [UInt8] {
        let f = factors(of: index)
        return render(shape: Shape(rawValue: f[0])!, scale: scale(f[1]), orientation: orientation(f[2]),
                      centre: (pixelCentre(f[3]), pixelCentre(f[4])))
    }

    /// Images `indices` as rows of a matrix (`n × 4096`, values 0 or 1), e.g. a training set.
    public static func images<S: BLASScalar>(_ indices: [Int], as: S.Type = S.self) -> Matrix<S> {
        let d = imageSize * imageSize
        var storage = [S](repeating: 0, count: indices.count * d)
        for (r, i) in indices.enumerated() {
            for (j, p) in image(i).enumerated() where p != 0 { storage[r * d + j] = 1 }
        }
        return Matrix(rows: indices.count, columns: d, storage: storage)
    }

    /// The factor classes of `indices` as an `n × 5` matrix of integers (the labels).
    public static func factorMatrix<S: BLASScalar>(_ indices: [Int], as: S.Type = S.self) -> Matrix<S> {
        Matrix(rows: indices.count, columns: 5, storage: indices.flatMap { factors(of: $0).map { S($0) } })
    }

    /// One sprite at `centre` = (x, y) pixels. O(64²).
    public static func render(shape: Shape, scale: Double, orientation: Double, centre: (x: Double, y: Double)) -> [UInt8] {
        let n = imageSize
        let unit = 6.5 * scale
        let (c, s) = (Double.cos(orientation), Double.sin(orientation))
        var pixels = [UInt8](repeating: 0, count: n * n)
        for r in 0..<n {
            for col in 0..<n {
                let dx = Double(col) + 0.5 - centre.x, dy = Double(r) + 0.5 - centre.y
                let u = (c * dx + s * dy) / unit, v = (-s * dx + c * dy) / unit
                if inside(shape, u, v) { pixels[r * n + col] = 1 }
            }
        }
        return pixels
    }

    /// Whether the shape-frame point (u, v) is inside the sprite of unit size.
    static func inside(_ shape: Shape, _ u: Double, _ v: Double) -> Bool {
        switch shape {
        case .square: return Swift.abs(u) <= 1 && Swift.abs(v) <= 1
        case .ellipse: return (u / 1.25) * (u / 1.25) + (v / 0.6) * (v / 0.6) <= 1
        case .heart:
            // the classic heart curve (x² + y² − 1)³ − x²y³ = 0, y up, hence −v
            let x = u / 1.05, y = -v / 1.05
            let a = x * x + y * y - 1
            return a * a * a - x * x * y * y * y <= 0
        }
    }
}
