#if canImport(Glibc)
import Glibc
#endif
import LatentCore

// The KL divergence C = Σ_{i≠j} p_ij log(p_ij / q_ij) of t-SNE and its gradient
// (van der Maaten & Hinton 2008, eq. 5; van der Maaten 2009 for α degrees of freedom):
//   w_ij = (1 + ‖y_i − y_j‖²/α)^(−(α+1)/2),  q_ij = w_ij / Z,  Z = Σ_{k≠l} w_kl,
//   ∂C/∂y_i = (2(α+1)/α) Σ_j (p_ij − q_ij) · (1 + ‖y_i − y_j‖²/α)⁻¹ · (y_i − y_j).
// For α = 1 the middle factor is w_ij itself (the familiar 4 Σ (p − q) w (y_i − y_j)).
// scikit-learn multiplies by w_ij for every α, which is the true gradient only for α = 1; we use
// the true gradient (checked against finite differences for α = 1 and α = 2).
//
// Every function here writes each point's gradient from that point's own terms only, and sums
// per-point partial results in index order, so results do not depend on the thread count.

/// Embedding coordinates and problem size, shared by the gradients.
struct TSNEGeometry {
    let count: Int
    let dimensions: Int
    let dof: Double
    var exponent: Double { (dof + 1) / 2 }
    /// The constant 2(α+1)/α in front of the gradient.
    var gradientScale: Double { 2 * (dof + 1) / dof }
}

/// Exact KL (when `computeError`) and gradient of t-SNE for a dense P (n × n, zero diagonal).
/// `q_ij` is floored at the double machine epsilon as in scikit-learn's `_kl_divergence`.
/// - Complexity: O(n²·dims) time, O(n²) memory.
func exactKLGradient(y: [Double], p: [Double], geometry g: TSNEGeometry, computeError: Bool,
                     gradient: inout [Double]) -> Double {
    let n = g.count, d = g.dimensions
    var u = [Double](repeating: 0, count: n * n)     // (1 + dist/α)⁻¹
    var rowSums = [Double](repeating: 0, count: n)   // Σ_j w_ij
    y.withUnsafeBufferPointer { yp in
        u.withUnsafeMutableBufferPointer { up in
            rowSums.withUnsafeMutableBufferPointer { rs in
                let (yp, up, rs) = (yp, up, rs)
                Parallel.forEachChunk(count: n, minimumPerThread: Swift.max(1, 16384 / Swift.max(1, n))) { range in
                    for i in range {
                        var s = 0.0
                        for j in 0..<n where j != i {
                            var dist = 0.0
                            for a in 0..<d { let t = yp[i * d + a] - yp[j * d + a]; dist += t * t }
                            let uij = g.dof / (g.dof + dist)
                            up[i * n + j] = uij
                            s += g.dof == 1 ? uij : pow(uij, g.exponent)
                        }
                        rs[i] = s
                    }
                }
            }
        }
    }
    var z = 0.0
    for s in rowSums { z += s }
    var klRows = [Double](repeating: 0, count: n)
    let scale = g.gradientScale
    y.withUnsafeBufferPointer { yp in
        u.withUnsafeBufferPointer { up in
            p.withUnsafeBufferPointer { pp in
                gradient.withUnsafeMutableBufferPointer { gp in
                    klRows.withUnsafeMutableBufferPointer { kr in
                        let (yp, up, pp, gp, kr) = (yp, up, pp, gp, kr)
                        Parallel.forEachChunk(count: n, minimumPerThread: Swift.max(1, 16384 / Swift.max(1, n))) { range in
                            for i in range {
                                for a in 0..<d { gp[i * d + a] = 0 }
                                var kl = 0.0
                                for j in 0..<n where j != i {
                                    let uij = up[i * n + j]
                                    let w = g.dof == 1 ? uij : pow(uij, g.exponent)
                                    let q = Swift.max(w / z, Double.ulpOfOne)
                                    let pij = pp[i * n + j]
                                    if computeError { kl += pij * log(Swift.max(pij, Double.ulpOfOne) / q) }
                                    let m = (pij - q) * uij
                                    for a in 0..<d { gp[i * d + a] += m * (yp[i * d + a] - yp[j * d + a]) }
                                }
                                for a in 0..<d { gp[i * d + a] *= scale }
                                kr[i] = kl
                            }
                        }
                    }
                }
            }
        }
    }
    guard computeError else { return .nan }
    var kl = 0.0
    for r in klRows { kl += r }
    return kl
}

/// Barnes–Hut KL estimate (when `computeError`) and gradient for sparse P (van der Maaten 2014):
/// the attractive term runs over the stored `p_ij`, the repulsive term and Z come from the tree.
/// The KL estimate is scikit-learn's: Σ over stored entries of `p_ij log(p_ij / q_ij)` with
/// `q_ij = w_ij / Z_BH` (both floored at the smallest normal Float, as there).
/// - Complexity: O(n·log n) per call for θ > 0 plus O(nnz(P)); parallel over points.
func barnesHutKLGradient(y: [Double], p: SparseAffinities, geometry g: TSNEGeometry, theta: Double,
                         computeError: Bool, gradient: inout [Double]) -> Double {
    let n = g.count, d = g.dimensions
    let tree = SpacePartitioningTree(points: y, count: n, dimensions: d)
    var repulsive = [Double](repeating: 0, count: n * d)
    var pointZ = [Double](repeating: 0, count: n)
    let squaredTheta = theta * theta
    y.withUnsafeBufferPointer { yp in
        repulsive.withUnsafeMutableBufferPointer { rp in
            pointZ.withUnsafeMutableBufferPointer { zp in
                let (yp, rp, zp) = (yp, rp, zp)
                Parallel.forEachChunk(count: n, minimumPerThread: 256) { range in
                    let stack = UnsafeMutablePointer<Int>.allocate(capacity: SpacePartitioningTree.stackCapacity)
                    defer { stack.deallocate() }
                    for i in range {
                        zp[i] = tree.repulsion(at: yp.baseAddress! + i * d, squaredTheta: squaredTheta, dof: g.dof,
                                               force: rp.baseAddress! + i * d, stack: stack)
                    }
                }
            }
        }
    }
    var z = 0.0
    for s in pointZ { z += s }
    z = Swift.max(z, Double.ulpOfOne)
    var klRows = [Double](repeating: 0, count: n)
    let scale = g.gradientScale
    let tiny = Double(Float.leastNormalMagnitude)
    y.withUnsafeBufferPointer { yp in
        repulsive.withUnsafeBufferPointer { rp in
            gradient.withUnsafeMutableBufferPointer { gp in
                klRows.withUnsafeMutableBufferPointer { kr in
                    p.rowStarts.withUnsafeBufferPointer { starts in
                        p.columns.withUnsafeBufferPointer { cols in
                            p.values.withUnsafeBufferPointer { vals in
                                let (yp, rp, gp, kr, starts, cols, vals) = (yp, rp, gp, kr, starts, cols, vals)
                                Parallel.forEachChunk(count: n, minimumPerThread: 256) { range in
                                    var diff = [Double](repeating: 0, count: d)
                                    for i in range {
                                        for a in 0..<d { gp[i * d + a] = 0 }
                                        var kl = 0.0
                                        for e in starts[i]..<starts[i + 1] {
                                            let j = cols[e], pij = vals[e]
                                            var dist = 0.0
                                            for a in 0..<d { diff[a] = yp[i * d + a] - yp[j * d + a]; dist += diff[a] * diff[a] }
                                            let u = g.dof / (g.dof + dist)
                                            if computeError {
                                                let w = g.dof == 1 ? u : pow(u, g.exponent)
                                                kl += pij * log(Swift.max(pij, tiny) / Swift.max(w / z, tiny))
                                            }
                                            let m = pij * u
                                            for a in 0..<d { gp[i * d + a] += m * diff[a] }
                                        }
                                        for a in 0..<d { gp[i * d + a] = scale * (gp[i * d + a] - rp[i * d + a] / z) }
                                        kr[i] = kl
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    guard computeError else { return .nan }
    var kl = 0.0
    for r in klRows { kl += r }
    return kl
}
