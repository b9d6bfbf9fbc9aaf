import LatentCore

extension Tensor {
    /// Softmax cross-entropy of `(N, C)` logits in one operation (what `Loss.crossEntropy` runs):
    /// `Σᵢ [(1 − ε)·(lseᵢ − xᵢ,yᵢ) + ε·(lseᵢ − meanⱼ xᵢⱼ)] / divisor` over the rows whose target is
    /// not `ignoreIndex`, with `lseᵢ = log Σⱼ e^xᵢⱼ` computed stably (shifted by the row maximum).
    /// Returns a 0-D tensor.
    ///
    /// Backward: `∂xᵢⱼ = g·(softmax(x)ᵢⱼ − (1 − ε)·[j = yᵢ] − ε/C) / divisor` for the kept rows, 0
    /// for ignored ones — one pass that writes the logits' gradient, with no `(N, C)` temporaries.
    /// - Complexity: O(N·C), rows split over Latent's threads (per-row terms summed in row order, so
    ///   the same bits for any thread count); keeps N log-sum-exps for the backward pass.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func softmaxCrossEntropy(targets: [Int], ignoreIndex: Int?, labelSmoothing eps: Scalar, divisor: Scalar) -> Tensor {
        let (n, c) = (shape[0], shape[1])
        let ignored = { (t: Int) -> Bool in ignoreIndex.map { t == $0 } ?? false }
        let rowsPerThread = Swift.max(1, (1 << 16) / Swift.max(1, c))
        var lse = [Scalar].uninitialized(count: n)
        var terms = [Double](repeating: 0, count: n)          // per row, summed in order below
        storage.withUnsafeBufferPointer { px in
            lse.withUnsafeMutableBufferPointer { pl in
                terms.withUnsafeMutableBufferPointer { pt in
                    let x = px.baseAddress!, l = pl.baseAddress!, t = pt.baseAddress!
                    Parallel.forEachChunk(count: n, minimumPerThread: rowsPerThread) { range in
                        var scratch = [Scalar].uninitialized(count: c)
                        scratch.withUnsafeMutableBufferPointer { pe in
                            let e = pe.baseAddress!
                            for i in range {
                                let row = x + i * c
                                let m = laneMax(row, c, 1)
                                for j in 0..<c { e[j] = fastExp(row[j] - m) }
                                let lseRow = m + Scalar.log(laneSum(e, c, 1))
                                l[i] = lseRow
                                if ignored(targets[i]) { continue }
                                var term = (1 - eps) * (lseRow - row[targets[i]])
                                if eps > 0 { term += eps * (lseRow - laneSum(row, c, 1) / Scalar(c)) }
                                t[i] = Double(term)
                            }
                        }
                    }
                }
            }
        }
        var total = 0.0
        for term in terms { total += term }
        let x = self
        return Tensor(shape: [], storage: [Scalar(total) / divisor], op: "crossEntropy", parents: [self]) { g in
            let scale = g[0] / divisor, smooth = eps / Scalar(c)
            x.withGradDestination { dx, fresh in
                x.storage.withUnsafeBufferPointer { px in
                    let d = dx.baseAddress!, xs = px.baseAddress!
                    Parallel.forEachChunk(count: n, minimumPerThread: rowsPerThread) { range in
                        for i in range {
                            let row = xs + i * c, dr = d + i * c
                            if ignored(targets[i]) {
                                if fresh { dr.initialize(repeating: 0, count: c) }
                                continue
                            }
                            let l = lse[i]
                            if fresh {
                                for j in 0..<c { dr[j] = scale * (fastExp(row[j] - l) - smooth) }
                            } else {
                                for j in 0..<c { dr[j] += scale * (fastExp(row[j] - l) - smooth) }
                            }
                            dr[targets[i]] -= scale * (1 - eps)
                        }
                    }
                }
            }
        }
    }

    /// Binary cross-entropy of logits `l` against targets `t` (probabilities in [0, 1]) per element,
    /// in one operation: `max(l, 0) − l·t + log(1 + e^{−|l|})` (stable for any `l`), as
    /// `F.binary_cross_entropy_with_logits(l, t, reduction="none")`. Same shape as `self`.
    ///
    /// Backward: `∂l = g·(σ(l) − t)`, `∂t = −g·l` — one pass each, no temporaries (the composed
    /// form took seven elementwise operations and their buffers).
    /// - Complexity: O(n), one `exp` and one `log1p` per element forward, one `exp` backward.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func binaryCrossEntropyWithLogits(target: Tensor) -> Tensor {
        precondition(shape == target.shape, "binaryCrossEntropyWithLogits: logits \(shape) vs target \(target.shape)")
        let n = count
        let out = [Scalar](unsafeUninitializedCapacity: n) { buf, initialized in
            storage.withUnsafeBufferPointer { pl in
                target.storage.withUnsafeBufferPointer { pt in
                    let o = buf.baseAddress!, l = pl.baseAddress!, t = pt.baseAddress!
                    Parallel.forEachChunk(count: n) { range in
                        for i in range { (o + i).initialize(to: SoftplusFunction<Scalar>().value(l[i]) - l[i] * t[i]) }
                    }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, storage: out, op: "binaryCrossEntropyWithLogits", parents: [self, target]) { [self] g in
            let logits = storage, targets = target.storage, gp = g.baseAddress!
            logits.withUnsafeBufferPointer { pl in
                targets.withUnsafeBufferPointer { pt in
                    let l = pl.baseAddress!, t = pt.baseAddress!
                    self.withGradDestination { dst, fresh in
                        let d = dst.baseAddress!
                        @inline(__always) func value(_ i: Int) -> Scalar { gp[i] * (SigmoidFunction<Scalar>().value(l[i]) - t[i]) }
                        Parallel.forEachChunk(count: n) { range in
                            if fresh {
                                for i in range { d[i] = value(i) }
                            } else {
                                for i in range { d[i] += value(i) }
                            }
                        }
                    }
                    target.withGradDestination { dst, fresh in
                        let d = dst.baseAddress!
                        Parallel.forEachChunk(count: n) { range in
                            if fresh {
                                for i in range { d[i] = -gp[i] * l[i] }
                            } else {
                                for i in range { d[i] -= gp[i] * l[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
