import LatentCore

/// How an analogy "a is to b as c is to ?" is answered (Levy & Goldberg 2014, "Linguistic
/// regularities in sparse and explicit word representations").
public enum AnalogyMethod: String, Sendable, CaseIterable, Codable {
    /// argmax cos(x, b) − cos(x, a) + cos(x, c), computed as gensim's `most_similar` does: the
    /// cosine with the normalised mean of the unit vectors ±b, ±a, ±c.
    case add = "3cosadd"
    /// argmax cos'(x, b) · cos'(x, c) / (cos'(x, a) + ε) with cos' = (1 + cos) / 2 and ε = 10⁻⁶
    /// (gensim's `most_similar_cosmul`).
    case mul = "3cosmul"
}

extension WordVectors {
    /// The `count` words most similar to `positive` minus `negative`, leaving out the query words.
    ///
    /// With `.add`: the cosine with the unit mean of the positive unit vectors and the negated
    /// negative ones (gensim's `most_similar`); with `.mul`: 3CosMul (gensim's `most_similar_cosmul`).
    /// Only the first `restrictTo` rows (the most frequent words) are candidates, as gensim's
    /// `restrict_vocab`. Returns nil when a query word has no vector.
    /// - Complexity: O(restrictTo · dimension · query words + restrictTo · log count).
    public func mostSimilar(positive: [String], negative: [String] = [], count: Int = 10,
                            method: AnalogyMethod = .add, restrictTo: Int? = nil) -> [ScoredWord]? {
        precondition(count >= 0, "mostSimilar: count must be ≥ 0, got \(count)")
        precondition(!(positive.isEmpty && negative.isEmpty), "mostSimilar: no query words")
        guard let pos = optionalIDs(positive), let neg = optionalIDs(negative) else { return nil }
        let limit = Swift.min(restrictTo ?? self.count, self.count)
        let d = dimension
        var scores = [Double](repeating: 1, count: limit)
        unitVectors.storage.withUnsafeBufferPointer { u in
            // cos(row, q) for the first `limit` unit rows: one matrix-vector product.
            func cosines(_ query: UnsafePointer<Float>) -> [Float] {
                var out = [Float](repeating: 0, count: limit)
                if limit > 0 {
                    out.withUnsafeMutableBufferPointer { o in
                        Float.gemv(transpose: false, m: limit, n: d, alpha: 1, a: u.baseAddress!, lda: d,
                                   x: query, incx: 1, beta: 0, y: o.baseAddress!, incy: 1)
                    }
                }
                return out
            }
            switch method {
            case .add:
                var mean = [Float](repeating: 0, count: d)
                for id in pos { for k in 0..<d { mean[k] += u[id * d + k] } }
                for id in neg { for k in 0..<d { mean[k] -= u[id * d + k] } }
                var norm: Float = 0
                for k in 0..<d { norm += mean[k] * mean[k] }
                norm = norm.squareRoot()
                if norm > 0 { for k in 0..<d { mean[k] /= norm } }
                let c = mean.withUnsafeBufferPointer { cosines($0.baseAddress!) }
                for r in 0..<limit { scores[r] = Double(c[r]) }
            case .mul:
                for id in pos { for (r, c) in cosines(u.baseAddress! + id * d).enumerated() { scores[r] *= (1 + Double(c)) / 2 } }
                var denominator = [Double](repeating: 1, count: limit)
                for id in neg { for (r, c) in cosines(u.baseAddress! + id * d).enumerated() { denominator[r] *= (1 + Double(c)) / 2 } }
                for r in 0..<limit { scores[r] /= denominator[r] + 1e-6 }
            }
        }
        let excluded = Set(pos + neg)
        return topIndices(scores, count: count, excluding: excluded).map { ScoredWord(word: words[$0], score: scores[$0]) }
    }

    /// The `count` nearest words to `word` by cosine (nil when it has no vector).
    public func mostSimilar(to word: String, count: Int = 10, restrictTo: Int? = nil) -> [ScoredWord]? {
        mostSimilar(positive: [word], count: count, restrictTo: restrictTo)
    }

    private func optionalIDs(_ words: [String]) -> [Int]? {
        var out: [Int] = []
        for w in words {
            guard let id = id(of: w) else { return nil }
            out.append(id)
        }
        return out
    }
}

/// The indices of the `count` largest scores, best first (ties: lower index first), skipping
/// `excluded`. O(n · count) for small `count`, O(n log n) otherwise.
func topIndices(_ scores: [Double], count: Int, excluding excluded: Set<Int>) -> [Int] {
    func better(_ a: Int, _ b: Int) -> Bool { scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
    if count > 64 {
        return Array(scores.indices.filter { !excluded.contains($0) }.sorted(by: better).prefix(count))
    }
    var best: [Int] = []
    for i in scores.indices where !excluded.contains(i) {
        if best.count == count, let last = best.last, !better(i, last) { continue }
        var k = best.count
        while k > 0 && better(i, best[k - 1]) { k -= 1 }
        best.insert(i, at: k)
        if best.count > count { best.removeLast() }
    }
    return best
}
