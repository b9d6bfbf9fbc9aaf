/// A 2^d-ary space-partitioning tree over points in d = 2 (quadtree) or d = 3 (octree)
/// dimensions, for the Barnes–Hut approximation of t-SNE's repulsive forces (van der Maaten 2014, §4.2).
///
/// Each cell stores its points' count and centre of mass and the squared largest side of its box.
/// Cells split at the box centre until they hold one distinct point (points closer than 1e-6 in
/// every coordinate share a leaf, as in scikit-learn's `_QuadTree`). The tree is immutable after
/// construction, so many threads may query it at once.
struct SpacePartitioningTree: Sendable {
    let dimensions: Int
    /// Centre of mass of each cell (`cells × dimensions`).
    private(set) var barycenters: [Double] = []
    /// Number of points in each cell.
    private(set) var sizes: [Double] = []
    /// Squared largest side of each cell's box.
    private(set) var squaredWidths: [Double] = []
    /// Children of cell c: `children[childStart[c] ..< childStart[c] + childCount[c]]`; leaves have none.
    private(set) var childStart: [Int] = []
    private(set) var childCount: [Int] = []
    private(set) var children: [Int] = []

    static let duplicateTolerance = 1e-6
    private static let maximumDepth = 64

    /// Builds the tree over the rows of `points` (`count × dimensions`, row-major).
    /// - Complexity: O(n·depth) time, O(n) cells.
    init(points: [Double], count n: Int, dimensions d: Int) {
        precondition(d == 2 || d == 3, "SpacePartitioningTree: supports 2 or 3 dimensions, got \(d)")
        precondition(points.count == n * d && n > 0, "SpacePartitioningTree: \(points.count) coordinates for \(n)×\(d)")
        dimensions = d
        var lo = [Double](repeating: .infinity, count: d), hi = [Double](repeating: -.infinity, count: d)
        for i in 0..<n { for a in 0..<d { lo[a] = Swift.min(lo[a], points[i * d + a]); hi[a] = Swift.max(hi[a], points[i * d + a]) } }
        for a in 0..<d {   // a little margin, as scikit-learn, so no point sits on the outer boundary
            let pad = Swift.max((hi[a] - lo[a]) * 1e-3, 1e-3)
            lo[a] -= pad; hi[a] += pad
        }
        var indices = Array(0..<n)
        _ = build(points, &indices, 0..<n, lo: lo, hi: hi, depth: 0)
    }

    /// Adds the cell holding `indices[range]` (box `lo…hi`) and its descendants; returns its id.
    private mutating func build(_ points: [Double], _ indices: inout [Int], _ range: Range<Int>,
                                lo: [Double], hi: [Double], depth: Int) -> Int {
        let d = dimensions
        let id = sizes.count
        var center = [Double](repeating: 0, count: d)
        var minimum = [Double](repeating: .infinity, count: d), maximum = [Double](repeating: -.infinity, count: d)
        for e in range {
            let i = indices[e]
            for a in 0..<d {
                let v = points[i * d + a]
                center[a] += v
                minimum[a] = Swift.min(minimum[a], v); maximum[a] = Swift.max(maximum[a], v)
            }
        }
        let size = Double(range.count)
        for a in 0..<d { center[a] /= size }
        var width = 0.0
        for a in 0..<d { width = Swift.max(width, hi[a] - lo[a]) }
        barycenters.append(contentsOf: center)
        sizes.append(size)
        squaredWidths.append(width * width)
        childStart.append(0)
        childCount.append(0)
        var coincident = true
        for a in 0..<d where maximum[a] - minimum[a] > Self.duplicateTolerance { coincident = false }
        if range.count == 1 || coincident || depth >= Self.maximumDepth { return id }

        // Partition indices[range] by orthant of the box centre (stable: deterministic tree).
        let mid = (0..<d).map { (lo[$0] + hi[$0]) / 2 }
        let orthants = 1 << d
        var buckets = [[Int]](repeating: [], count: orthants)
        for e in range {
            let i = indices[e]
            var o = 0
            for a in 0..<d where points[i * d + a] >= mid[a] { o |= 1 << a }
            buckets[o].append(i)
        }
        var kids: [Int] = []
        var offset = range.lowerBound
        for o in 0..<orthants where !buckets[o].isEmpty {
            let sub = offset..<(offset + buckets[o].count)
            for (t, i) in buckets[o].enumerated() { indices[offset + t] = i }
            offset += buckets[o].count
            var clo = lo, chi = hi
            for a in 0..<d { if o & (1 << a) != 0 { clo[a] = mid[a] } else { chi[a] = mid[a] } }
            kids.append(build(points, &indices, sub, lo: clo, hi: chi, depth: depth + 1))
        }
        childStart[id] = children.count
        childCount[id] = kids.count
        children.append(contentsOf: kids)
        return id
    }

    /// The Barnes–Hut repulsion on a query point: with `u = (1 + ‖y − c‖²/α)⁻¹` and the Student-t
    /// kernel `w = u^((α+1)/2)` for each summarised cell (centre of mass c, n_c points), returns
    /// `Σ n_c·w` (this point's share of the normalisation Z) and adds `Σ n_c·w·u·(y − c)` to `force`.
    /// A cell is summarised when it is a leaf or `width²/‖y − c‖² < θ²`; a leaf that coincides
    /// with the query point (itself or a duplicate) is skipped.
    /// - Complexity: O(log n) cells for θ > 0 on well-spread points; O(n) for θ = 0 (exact).
    @inline(__always)
    func repulsion(at y: UnsafePointer<Double>, squaredTheta: Double, dof: Double,
                   force: UnsafeMutablePointer<Double>, stack: inout [Int]) -> Double {
        let d = dimensions
        let exponent = (dof + 1) / 2
        var sumW = 0.0
        stack.removeAll(keepingCapacity: true)
        stack.append(0)
        return barycenters.withUnsafeBufferPointer { bc in
            sizes.withUnsafeBufferPointer { sz in
                squaredWidths.withUnsafeBufferPointer { wd in
                    childStart.withUnsafeBufferPointer { cs in
                        childCount.withUnsafeBufferPointer { cc in
                            children.withUnsafeBufferPointer { ch in
                                var diff = (0.0, 0.0, 0.0)
                                while let c = stack.popLast() {
                                    let b = bc.baseAddress! + c * d
                                    diff.0 = y[0] - b[0]; diff.1 = y[1] - b[1]
                                    var dist2 = diff.0 * diff.0 + diff.1 * diff.1
                                    var duplicate = Swift.abs(diff.0) <= Self.duplicateTolerance && Swift.abs(diff.1) <= Self.duplicateTolerance
                                    if d == 3 {
                                        diff.2 = y[2] - b[2]
                                        dist2 += diff.2 * diff.2
                                        duplicate = duplicate && Swift.abs(diff.2) <= Self.duplicateTolerance
                                    }
                                    let leaf = cc[c] == 0
                                    if leaf && duplicate { continue }
                                    if leaf || wd[c] < squaredTheta * dist2 {
                                        let u = dof / (dof + dist2)
                                        let w = dof == 1 ? u : pow(u, exponent)
                                        let n = sz[c]
                                        sumW += n * w
                                        let m = n * w * u
                                        force[0] += m * diff.0
                                        force[1] += m * diff.1
                                        if d == 3 { force[2] += m * diff.2 }
                                    } else {
                                        let s = cs[c]
                                        for t in 0..<cc[c] { stack.append(ch[s + t]) }
                                    }
                                }
                                return sumW
                            }
                        }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
