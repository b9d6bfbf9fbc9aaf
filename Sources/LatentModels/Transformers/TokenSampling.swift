import Foundation
import LatentCore
import LatentNN

/// How the next token is picked from a language model's logits: greedy (`temperature == 0`,
/// the argmax) or a draw from `softmax(logits / temperature)` restricted first to the `topK`
/// most likely tokens, then to the nucleus — the smallest set of most likely tokens whose
/// probability reaches `topP` (Holtzman et al. 2020) — and renormalised. The order (temperature,
/// top-k, top-p) is Hugging Face's `generate`.
public struct TokenSampling: Codable, Sendable, Equatable {
    /// 0 for greedy decoding, else the softmax temperature (> 0).
    public var temperature: Double
    /// Keep only the k most likely tokens (≥ 1), or `nil`.
    public var topK: Int?
    /// Keep the nucleus of probability `topP` (in (0, 1]), or `nil`.
    public var topP: Double?

    public init(temperature: Double = 1, topK: Int? = nil, topP: Double? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// The argmax at every step.
    public static let greedy = TokenSampling(temperature: 0)

    /// Why these settings cannot sample, or `nil`.
    public var problem: String? {
        if !(temperature >= 0 && temperature.isFinite) { return "temperature \(temperature) must be finite and ≥ 0" }
        if let k = topK, k < 1 { return "top-k \(k) must be at least 1" }
        if let p = topP, !(p > 0 && p <= 1) { return "top-p \(p) must lie in (0, 1]" }
        return nil
    }

    /// The distribution the next token is drawn from: probabilities over the V tokens, 0 outside
    /// the top-k and the nucleus, summing to 1 (in `Double`). Ties at the cut keep the lower id.
    /// - Complexity: O(V log V) (one sort) when top-k or top-p is set, else O(V).
    public func probabilities(_ logits: [Double]) -> [Double] {
        precondition(temperature > 0, "TokenSampling.probabilities: greedy decoding has no distribution")
        let scaled = logits.map { $0 / temperature }
        let m = scaled.max() ?? 0
        var p = scaled.map { ($0 - m).isNaN ? 0 : Double.exp($0 - m) }
        guard topK != nil || topP != nil else { return normalised(p) }
        let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var keep = Swift.min(topK ?? p.count, p.count)
        if let topP {
            let total = order.prefix(keep).reduce(0) { $0 + p[$1] }
            var running = 0.0, n = 0
            while n < keep {                          // the smallest prefix whose mass reaches topP
                running += p[order[n]]
                n += 1
                if running >= topP * total { break }
            }
            keep = n
        }
        for i in order.dropFirst(keep) { p[i] = 0 }
        return normalised(p)
    }

    private func normalised(_ p: [Double]) -> [Double] {
        let s = p.reduce(0, +)
        return p.map { $0 / s }
    }

    /// The next token for `logits` (V values): the argmax when greedy, else one draw from
    /// `probabilities` by `Tensor.sampleCategorical` (inverse CDF, one uniform from `rng`).
    public func next(_ logits: [Double], using rng: inout Xoshiro256StarStar) -> Int {
        if temperature == 0 {
            var best = 0
            for i in logits.indices where logits[i] > logits[best] { best = i }
            return best
        }
        let p = probabilities(logits)
        return Tensor<Double>(shape: [1, p.count], storage: p).sampleCategorical(using: &rng)[0]
    }
}

extension GPTDecoder {
    /// `count` new ids continuing `prompt`, picked by `sampling` with a generator seeded by `seed`,
    /// decoded incrementally with the key/value caches: the prompt in one pass, then one position
    /// per token. Stops early after `stop` (included) when given. When the context is full, the
    /// caches are rebuilt from the last `context / 2` ids (a sliding window: the positions restart).
    /// The model should be in evaluation mode. - Complexity: O(count · context · layers · D) for
    /// attention plus O(count · layers · D²) for the projections.
    public func generate(prompt: [Int], count: Int, sampling: TokenSampling = .greedy, seed: UInt64 = 0, stop: Int? = nil) -> [Int] {
        precondition(!prompt.isEmpty, "GPTDecoder.generate: the prompt needs at least one token")
        precondition(sampling.problem == nil, "GPTDecoder.generate: \(sampling.problem ?? "")")
        var rng = Xoshiro256StarStar(seed: seed)
        var sequence = prompt
        var caches = makeCaches()
        var pending = Array(prompt.suffix(architecture.context))      // ids not yet in the caches
        var out: [Int] = []
        while out.count < count {
            if caches[0].length + pending.count > architecture.context {
                caches = makeCaches()
                pending = Array(sequence.suffix(Swift.max(1, architecture.context / 2)))
            }
            let logits = step(IndexTensor(shape: [1, pending.count], storage: pending), caches: caches)   // (1, T_new, V)
            let v = vocabularySize
            let last = logits.storage[((pending.count - 1) * v)..<(pending.count * v)].map { Double($0) }
            let next = sampling.next(last, using: &rng)
            out.append(next)
            sequence.append(next)
            pending = [next]
            if next == stop { break }
        }
        return out
    }
}
