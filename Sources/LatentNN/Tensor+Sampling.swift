import LatentCore

extension Tensor {
    /// One class per row drawn from the categorical distribution in each row of `(N, K)`
    /// non-negative weights (probabilities, not necessarily normalised; `torch.multinomial(p, 1)`).
    ///
    /// Method: inverse CDF — one uniform `u` per row, the first class whose running weight sum
    /// exceeds `u · Σ weights`, so a seeded `rng` gives the same draws on every machine. A class of
    /// weight 0 is never drawn. No gradient (sampling is not differentiable).
    /// - Precondition: weights finite and ≥ 0, each row with a positive sum.
    /// - Complexity: O(N · K) time, one draw per row.
    public func sampleCategorical(using rng: inout Xoshiro256StarStar) -> IndexTensor {
        precondition(rank == 2, "sampleCategorical: need (N, K) weights, got \(shape)")
        let (n, k) = (shape[0], shape[1])
        var out = [Int](repeating: 0, count: n)
        for r in 0..<n {
            var total = 0.0
            for j in 0..<k {
                let w = Double(storage[r * k + j])
                precondition(w >= 0 && w.isFinite, "sampleCategorical: weight \(w) at row \(r), column \(j) is not finite and ≥ 0")
                total += w
            }
            precondition(total > 0, "sampleCategorical: row \(r) has no positive weight")
            let target = rng.uniform() * total
            var running = 0.0, pick = -1
            for j in 0..<k where storage[r * k + j] > 0 {
                running += Double(storage[r * k + j])
                pick = j
                if target < running { break }
            }
            out[r] = pick          // rounding can leave `target` past the total: the last positive class
        }
        return IndexTensor(out)
    }

    /// One class per row drawn from `softmax(logits / temperature)` over `(N, K)` logits
    /// (e.g. sampling the next token of a language model). O(N · K).
    public func sampleCategorical(fromLogitsWithTemperature temperature: Double = 1,
                                  using rng: inout Xoshiro256StarStar) -> IndexTensor {
        precondition(temperature > 0, "sampleCategorical: temperature \(temperature) must be positive")
        let probabilities = withoutGradient { (self / Scalar(temperature)).softmax(alongAxis: -1) }
        return probabilities.sampleCategorical(using: &rng)
    }
}
