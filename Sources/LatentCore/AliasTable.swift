/// Draws indices `0..<n` with probabilities proportional to fixed weights in O(1) per draw:
/// Walker's alias method (Walker 1977; Vose 1991's stable construction).
///
/// The table holds, for each of `n` equal-width columns, the probability of keeping the column's
/// own index and the "alias" index that fills the rest of the column. A draw picks a column
/// uniformly and then one of its two indices, so it costs one random word and one comparison.
/// Building the table is O(n). Used for word2vec's unigram^0.75 negative sampling.
public struct AliasTable: Sendable {
    /// For column `i`: keep `i` when a uniform 32-bit draw is below `threshold[i]`, else take `alias[i]`.
    @usableFromInline let threshold: [UInt32]
    @usableFromInline let alias: [Int32]

    /// The number of indices the table draws from.
    public var count: Int { alias.count }

    /// A table over `weights.count` indices; `weights` must be finite, non-negative and not all zero.
    /// - Complexity: O(n).
    public init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0 && n <= Int(Int32.max), "AliasTable: need between 1 and 2³¹−1 weights, got \(n)")
        var total = 0.0
        for w in weights {
            precondition(w.isFinite && w >= 0, "AliasTable: weights must be finite and non-negative, got \(w)")
            total += w
        }
        precondition(total > 0, "AliasTable: the weights sum to zero")
        // Scaled so that the mean column holds exactly 1.
        var scaled = weights.map { $0 * Double(n) / total }
        var probability = [Double](repeating: 1, count: n)
        var alias = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = Int32(i) }
            initialized = n
        }
        var small: [Int] = [], large: [Int] = []
        small.reserveCapacity(n); large.reserveCapacity(n)
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.last, let l = large.last {
            small.removeLast()
            probability[s] = scaled[s]
            alias[s] = Int32(l)
            // The large column gives what the small one lacks.
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        // Whatever is left holds 1 up to rounding: it keeps its own index.
        for i in large { probability[i] = 1 }
        for i in small { probability[i] = 1 }
        threshold = probability.map { p in p >= 1 ? UInt32.max : UInt32((p * 4_294_967_296).rounded(.down)) }
        self.alias = alias
    }

    /// One index drawn with probability `weights[i] / Σ weights`.
    /// Uses one 64-bit draw: the high half picks the column (Lemire's multiply), the low half the side.
    @inlinable
    public func sample(using rng: inout Xoshiro256StarStar) -> Int {
        let bits = rng.next()
        let column = Int(((bits >> 32) &* UInt64(alias.count)) >> 32)
        return UInt32(truncatingIfNeeded: bits) < threshold[column] || threshold[column] == UInt32.max ? column : Int(alias[column])
    }
}
