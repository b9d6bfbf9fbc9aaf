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
    /// Capacity a traversal stack needs: at most 2^d − 1 pending siblings per level, plus one.
    static let stackCapacity = (maximumDepth + 2) * 8
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
        barycenters.reserveCapacity(4 * n * d)
        sizes.reserveCapacity(4 * n)
        var indices = Array(0..<n)
        var scratch = [Int](repeating: 0, count: n)
        points.withUnsafeBufferPointer { pts in
            indices.withUnsafeMutableBufferPointer { idx in
                scratch.withUnsafeMutableBufferPointer { tmp in
                    var l = SIMD4<Double>(repeating: 0), h = SIMD4<Double>(repeating: 0)
                    for a in 0..<d { l[a] = lo[a]; h[a] = hi[a] }
                    _ = build(pts.baseAddress!, idx.baseAddress!, tmp.baseAddress!, 0..<n, lo: l, hi: h, depth: 0)
                }
            }
        }
    }

    /// Adds the cell holding `indices[range]` (box `lo…hi`) and its descendants; returns its id.
    /// Points are bucketed by orthant of the box centre with a stable counting sort through `scratch`.
    private mutating func build(_ points: UnsafePointer<Double>, _ indices: UnsafeMutablePointer<Int>,
                                _ scratch: UnsafeMutablePointer<Int>, _ range: Range<Int>,
                                lo: SIMD4<Double>, hi: SIMD4<Double>, depth: Int) -> Int {
        let d = dimensions
        let id = sizes.count
        var center = SIMD4<Double>(repeating: 0)
        var minimum = SIMD4<Double>(repeating: .infinity), maximum = SIMD4<Double>(repeating: -.infinity)
        for e in range {
            let i = indices[e]
            var v = SIMD4<Double>(repeating: 0)
            for a in 0..<d { v[a] = points[i * d + a] }
            center += v
            minimum = pointwiseMin(minimum, v); maximum = pointwiseMax(maximum, v)
        }
        let size = Double(range.count)
        center /= size
        var width = 0.0
        var coincident = true
        for a in 0..<d {
            width = Swift.max(width, hi[a] - lo[a])
            if maximum[a] - minimum[a] > Self.duplicateTolerance { coincident = false }
            barycenters.append(center[a])
        }
        sizes.append(size)
        squaredWidths.append(width * width)
        childStart.append(0)
        childCount.append(0)
        if range.count == 1 || coincident || depth >= Self.maximumDepth { return id }

        let mid = (lo + hi) * 0.5
        let orthants = 1 << d
        var counts = (0, 0, 0, 0, 0, 0, 0, 0)
        func orthant(_ i: Int) -> Int {
            var o = 0
            for a in 0..<d where points[i * d + a] >= mid[a] { o |= 1 << a }
            return o
        }
        withUnsafeMutableBytes(of: &counts) { raw in
            let c = raw.bindMemory(to: Int.self)
            for e in range { c[orthant(indices[e])] += 1 }
            var starts = [Int](repeating: 0, count: orthants + 1)
            for o in 0..<orthants { starts[o + 1] = starts[o] + c[o] }
            var fill = starts
            for e in range { let i = indices[e]; let o = orthant(i); scratch[range.lowerBound + fill[o]] = i; fill[o] += 1 }
            for e in range { indices[e] = scratch[e] }
            var kids: [Int] = []
            for o in 0..<orthants where c[o] > 0 {
                var clo = lo, chi = hi
                for a in 0..<d { if o & (1 << a) != 0 { clo[a] = mid[a] } else { chi[a] = mid[a] } }
                let sub = (range.lowerBound + starts[o])..<(range.lowerBound + starts[o + 1])
                kids.append(build(points, indices, scratch, sub, lo: clo, hi: chi, depth: depth + 1))
            }
            childStart[id] = children.count
            childCount[id] = kids.count
            children.append(contentsOf: kids)
        }
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
                   force: UnsafeMutablePointer<Double>, stack: UnsafeMutablePointer<Int>) -> Double {
        let d = dimensions
        let exponent = (dof + 1) / 2
        var sumW = 0.0
        var top = 1
        stack[0] = 0
        return barycenters.withUnsafeBufferPointer { bc in
            sizes.withUnsafeBufferPointer { sz in
                squaredWidths.withUnsafeBufferPointer { wd in
                    childStart.withUnsafeBufferPointer { cs in
                        childCount.withUnsafeBufferPointer { cc in
                            children.withUnsafeBufferPointer { ch in
                                var diff = (0.0, 0.0, 0.0)
                                while top > 0 {
                                    top -= 1
                                    let c = stack[top]
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
                                        for t in 0..<cc[c] { stack[top] = ch[s + t]; top += 1 }
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
