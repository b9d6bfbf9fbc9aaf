import LatentCore

/// Batch normalisation's arithmetic, fused (the `BatchNorm` layer keeps the running estimates).
extension Tensor {
    /// The per-channel mean and variance `batchNorm` normalises with.
    public enum BatchStatistics {
        /// The batch's own mean and biased variance over every axis but 1 (training); the
        /// gradient flows through them.
        case batch
        /// Given values, one per channel (evaluation: the running estimates); constants for the
        /// gradient.
        case fixed(mean: [Scalar], variance: [Scalar])
    }

    /// Batch normalisation over the channel axis 1 of `(N, C)` or `(N, C, H, W)` (Ioffe & Szegedy
    /// 2015): `y = (x − μ_c) · γ_c/√(σ²_c + ε) + β_c`, with `μ`, `σ²` from `statistics`.
    ///
    /// Shapes: `x (N, C, …)`, `weight` γ and `bias` β `(C)` → `y` like `x`, and the `mean` and
    /// `variance` used, `C` each (the batch's when `.batch`: biased variance).
    ///
    /// Backward, with `x̂ = (x − μ)·r`, `r = 1/√(σ² + ε)`, `m = N·H·W` elements per channel and the
    /// channel sums `Σg`, `Σg·x̂`: `∂γ = Σg·x̂`, `∂β = Σg`; `∂x = γr · (g − Σg/m − x̂·Σg·x̂/m)` for
    /// `.batch` (the mean and variance depend on `x`), `∂x = γr · g` for `.fixed`.
    /// - Complexity: O(n): three passes forward, two backward, channels in parallel; each channel's
    ///   sums in a fixed order, so the same bits on any thread count.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func batchNorm(weight: Tensor, bias: Tensor, statistics: BatchStatistics,
                          epsilon: Scalar) -> (output: Tensor, mean: [Scalar], variance: [Scalar]) {
        precondition(rank >= 2 && shape[0] > 0, "batchNorm: input \(shape), need (N, C, …) with N ≥ 1")
        let lanes = ChannelLanes(shape: shape)
        let c = lanes.channels, m = Scalar(lanes.lanes * lanes.length)
        precondition(weight.shape == [c] && bias.shape == [c], "batchNorm: weight \(weight.shape), bias \(bias.shape), need [\(c)] for input \(shape)")
        var mean = [Scalar](repeating: 0, count: c), variance = [Scalar](repeating: 0, count: c)
        let fromBatch: Bool
        switch statistics {
        case .batch: fromBatch = true
        case let .fixed(fixedMean, fixedVariance):
            precondition(fixedMean.count == c && fixedVariance.count == c,
                         "batchNorm: \(fixedMean.count) means and \(fixedVariance.count) variances for \(c) channels")
            (fromBatch, mean, variance) = (false, fixedMean, fixedVariance)
        }
        var rstd = [Scalar].uninitialized(count: c)                 // every channel written below
        var out = [Scalar].uninitialized(count: count)
        let perThread = Swift.max(1, (1 << 14) / Swift.max(1, count / c))
        let (w, b) = (weight.storage, bias.storage)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { py in
                mean.withUnsafeMutableBufferPointer { pm in
                    variance.withUnsafeMutableBufferPointer { pv in
                        rstd.withUnsafeMutableBufferPointer { pr in
                            let x = px.baseAddress!, y = py.baseAddress!
                            Parallel.forEachChunk(count: c, minimumPerThread: perThread) { channels in
                                for j in channels {
                                    if fromBatch {
                                        var sum: Scalar = 0
                                        lanes.forEachLane(of: j) { o, n, st in sum += laneSum(x + o, n, st) }
                                        let mu = sum / m
                                        var squares: Scalar = 0
                                        lanes.forEachLane(of: j) { o, n, st in squares += laneSquaredDeviation(x + o, mu, n, st) }
                                        (pm[j], pv[j]) = (mu, squares / m)
                                    }
                                    let mu = pm[j], r = 1 / (pv[j] + epsilon).squareRoot(), a = w[j] * r, shift = b[j]
                                    pr[j] = r
                                    lanes.forEachLane(of: j) { o, n, st in
                                        let xo = x + o, yo = y + o
                                        if st == 1 { for k in 0..<n { yo[k] = (xo[k] - mu) * a + shift } }
                                        else { for k in 0..<n { yo[k * st] = (xo[k * st] - mu) * a + shift } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let output = Tensor(shape: shape, storage: out, op: "batchNorm", parents: [self, weight, bias]) { [self, mean, rstd] g in
            let gp = g.baseAddress!
            var sumG = [Scalar](repeating: 0, count: c), sumGXhat = [Scalar](repeating: 0, count: c)
            self.storage.withUnsafeBufferPointer { px in
                let x = px.baseAddress!
                sumG.withUnsafeMutableBufferPointer { psg in
                    sumGXhat.withUnsafeMutableBufferPointer { psx in
                        Parallel.forEachChunk(count: c, minimumPerThread: perThread) { channels in
                            for j in channels {
                                var s0: Scalar = 0, s1: Scalar = 0
                                lanes.forEachLane(of: j) { o, n, st in
                                    s0 += laneSum(gp + o, n, st)
                                    s1 += laneCentredDot(gp + o, x + o, mean[j], n, st)
                                }
                                (psg[j], psx[j]) = (s0, s1 * rstd[j])
                            }
                        }
                    }
                }
                weight.withGradBuffer { d in for j in 0..<c { d[j] += sumGXhat[j] } }
                bias.withGradBuffer { d in for j in 0..<c { d[j] += sumG[j] } }
                self.withGradDestination { dst, fresh in
                    let d = dst.baseAddress!
                    Parallel.forEachChunk(count: c, minimumPerThread: perThread) { channels in
                        for j in channels {
                            // ∂x = a·g − k0 − (x − μ)·k1 with a = γr, k0 = a·Σg/m, k1 = a·r·Σg·x̂/m
                            let r = rstd[j], a = w[j] * r, mu = mean[j]
                            let k0 = fromBatch ? a * sumG[j] / m : 0, k1 = fromBatch ? a * r * sumGXhat[j] / m : 0
                            lanes.forEachLane(of: j) { o, n, st in
                                let go = gp + o, xo = x + o, dd = d + o
                                if st == 1 {
                                    if fresh { for k in 0..<n { dd[k] = a * go[k] - k0 - (xo[k] - mu) * k1 } }
                                    else { for k in 0..<n { dd[k] += a * go[k] - k0 - (xo[k] - mu) * k1 } }
                                } else {
                                    for k in 0..<n {
                                        let v = a * go[k * st] - k0 - (xo[k * st] - mu) * k1
                                        if fresh { dd[k * st] = v } else { dd[k * st] += v }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, mean, variance)
    }
}

/// The elements of one channel of an `(N, C, S…)` tensor as runs ("lanes") of `length` elements
/// `stride` apart: `N` contiguous runs of `S = Π S…` when `S > 1`, one run strided by `C` when the
/// tensor is `(N, C)`.
struct ChannelLanes {
    let samples: Int, channels: Int, size: Int

    init(shape: [Int]) {
        samples = shape[0]
        channels = shape[1]
        size = shape.dropFirst(2).reduce(1, *)
    }

    var lanes: Int { size == 1 ? 1 : samples }
    var length: Int { size == 1 ? samples : size }

    /// Calls `body(start, length, stride)` for each run of `channel`, in order.
    @inline(__always)
    func forEachLane(of channel: Int, _ body: (_ start: Int, _ length: Int, _ stride: Int) -> Void) {
        if size == 1 { body(channel, samples, channels); return }
        for lane in 0..<samples { body((lane * channels + channel) * size, size, 1) }
    }
}
