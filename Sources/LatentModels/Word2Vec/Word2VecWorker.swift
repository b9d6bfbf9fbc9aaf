import LatentCore
import LatentText

/// One Hogwild worker: trains on its share of the sentences for every epoch.
///
/// Per sentence (gensim's `train_batch_sg` / `train_batch_cbow`): drop tokens by subsampling, then
/// for each position draw a reduced window b ∈ 0…window−1 and train on the neighbours at distance
/// ≤ window − b. Skip-gram updates each context word's input vector to predict the centre word;
/// CBOW updates all context vectors from their mean (or sum). The learning rate falls linearly with
/// the worker's own progress through its share (each worker has an equal share of every epoch).
struct Word2VecWorker {
    let state: Word2VecState
    var rng: Xoshiro256StarStar
    let sentences: Range<Int>
    let counters: Word2VecCounters
    /// `state.negatives` and the number of negatives, held here for the inner loop.
    let negatives: AliasTable?
    let negative: Int

    init(state: Word2VecState, rng: Xoshiro256StarStar, sentences: Range<Int>, counters: Word2VecCounters) {
        self.state = state
        self.rng = rng
        self.sentences = sentences
        self.counters = counters
        negatives = state.negatives
        negative = state.configuration.negative
    }

    /// A uniform 32-bit draw.
    @inline(__always)
    mutating func next32() -> UInt32 { UInt32(truncatingIfNeeded: rng.next() >> 32) }

    mutating func run() {
        let config = state.configuration
        let corpus = state.corpus
        let d = state.dimension
        guard !sentences.isEmpty else { return }
        let shareTokens = corpus.sentenceStarts[sentences.upperBound] - corpus.sentenceStarts[sentences.lowerBound]
        let totalWork = Double(shareTokens * config.epochs)
        let longest = sentences.map { corpus.sentenceStarts[$0 + 1] - corpus.sentenceStarts[$0] }.max() ?? 0
        let kept = UnsafeMutablePointer<Int32>.allocate(capacity: longest)
        let work = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: d)
        // Negative sampling alone (no Huffman tree) takes the batched kernel `negativeSamplingStep`.
        let batched = state.tree == nil
        let rows = UnsafeMutablePointer<Int>.allocate(capacity: config.negative + 1)
        let gains = UnsafeMutablePointer<Float>.allocate(capacity: config.negative + 1)
        defer { kept.deallocate(); work.deallocate(); hidden.deallocate(); rows.deallocate(); gains.deallocate() }
        let sampling = config.sample > 0
        let window = UInt64(config.window)
        var done = 0, pendingEffective = 0, pendingRaw = 0
        var alpha = Float(config.alpha)
        corpus.tokens.withUnsafeBufferPointer { tokens in
            state.subsampling.keepThreshold.withUnsafeBufferPointer { keep in
                let sigmoid = UnsafePointer(state.sigmoid.pointer)
                for _ in 0..<config.epochs {
                    for s in sentences {
                        let lo = corpus.sentenceStarts[s], hi = corpus.sentenceStarts[s + 1]
                        var n = 0
                        for k in lo..<hi {
                            let w = tokens[k]
                            if sampling && keep[Int(w)] < next32() { continue }
                            kept[n] = w
                            n += 1
                        }
                        for i in 0..<n {
                            let b = Int((UInt64(next32()) &* window) >> 32)
                            let reach = config.window - b
                            let j0 = Swift.max(0, i - reach), j1 = Swift.min(n, i + reach + 1)
                            switch config.architecture {
                            case .skipGram where batched:
                                let target = Int(kept[i])
                                for j in j0..<j1 where j != i {
                                    let count = drawRows(target: target, into: rows)
                                    negativeSamplingStep(hidden: state.syn0 + Int(kept[j]) &* d, outputs: state.syn1neg!, rows: rows,
                                                         count: count, dimension: d, alpha: alpha, sigmoid: sigmoid, gains: gains, work: nil)
                                }
                            case .skipGram:
                                for j in j0..<j1 where j != i {
                                    trainPair(target: Int(kept[i]), input: state.syn0 + Int(kept[j]) * d, alpha: alpha, work: work)
                                }
                            case .cbow:
                                trainCBOW(kept: kept, center: i, range: j0..<j1, alpha: alpha, hidden: hidden, work: work,
                                          batched: batched ? (rows, gains, sigmoid) : nil)
                            }
                        }
                        pendingEffective += n
                        pendingRaw += hi - lo
                        done += hi - lo
                        if pendingRaw >= 10_000 {
                            alpha = Float(Swift.max(config.minAlpha, config.alpha - (config.alpha - config.minAlpha) * Double(done) / totalWork))
                            counters.add(effective: pendingEffective, raw: pendingRaw, alpha: Double(alpha))
                            pendingEffective = 0; pendingRaw = 0
                        }
                    }
                }
            }
        }
        counters.add(effective: pendingEffective, raw: pendingRaw, alpha: Double(alpha))
    }

    /// `rows[0] = target`, then `negative` draws from the unigram^0.75 table, leaving out draws of
    /// the target (gensim's rule); returns how many rows were written.
    @inline(__always)
    mutating func drawRows(target: Int, into rows: UnsafeMutablePointer<Int>) -> Int {
        rows[0] = target
        var count = 1
        for _ in 0..<negative {
            let word = negatives!.sample(using: &rng)
            if word != target { rows[count] = word; count &+= 1 }
        }
        return count
    }

    /// One prediction of word `target` from the hidden vector `input` (a context word's input vector
    /// in skip-gram): negative sampling and/or hierarchical softmax update the output vectors and
    /// accumulate the input's gradient step in `work`, which is then added to `input`.
    @inline(__always)
    mutating func trainPair(target: Int, input: UnsafeMutablePointer<Float>, alpha: Float, work: UnsafeMutablePointer<Float>) {
        let d = state.dimension
        work.initialize(repeating: 0, count: d)
        accumulate(target: target, hidden: UnsafePointer(input), alpha: alpha, work: work)
        axpy(1, work, input, d)
    }

    /// CBOW at position `center`: hidden = mean (or sum) of the context vectors in `range`; the step
    /// for the hidden vector goes to every context vector (divided by the count for the sum, as gensim).
    @inline(__always)
    mutating func trainCBOW(kept: UnsafeMutablePointer<Int32>, center: Int, range: Range<Int>, alpha: Float,
                            hidden: UnsafeMutablePointer<Float>, work: UnsafeMutablePointer<Float>,
                            batched: (rows: UnsafeMutablePointer<Int>, gains: UnsafeMutablePointer<Float>, sigmoid: UnsafePointer<Float>)?) {
        let d = state.dimension
        let count = range.count - 1
        guard count > 0 else { return }
        hidden.initialize(repeating: 0, count: d)
        for j in range where j != center { axpy(1, state.syn0 + Int(kept[j]) * d, hidden, d) }
        let inverse = 1 / Float(count)
        let mean = state.configuration.cbowMean
        if mean { for k in 0..<d { hidden[k] *= inverse } }
        if let batched {
            let count = drawRows(target: Int(kept[center]), into: batched.rows)
            negativeSamplingStep(hidden: hidden, outputs: state.syn1neg!, rows: batched.rows, count: count, dimension: d,
                                 alpha: alpha, sigmoid: batched.sigmoid, gains: batched.gains, work: work)
        } else {
            work.initialize(repeating: 0, count: d)
            accumulate(target: Int(kept[center]), hidden: UnsafePointer(hidden), alpha: alpha, work: work)
        }
        let scale: Float = mean ? 1 : inverse
        for j in range where j != center { axpy(scale, work, state.syn0 + Int(kept[j]) * d, d) }
    }

    /// The output side of one prediction: `work += Σ g · output`, `output += g · hidden` over the
    /// target and `negative` sampled words (label 1 and 0), and/or over the Huffman path's nodes
    /// (label 1 − code), with g = (label − σ(hidden · output)) · α. Dot products outside ±6 are
    /// skipped (gensim's rule).
    @inline(__always)
    mutating func accumulate(target: Int, hidden: UnsafePointer<Float>, alpha: Float, work: UnsafeMutablePointer<Float>) {
        let d = state.dimension
        let sigmoid = state.sigmoid.values
        let maxExp = SigmoidTable.maxExp
        let scale = Float(SigmoidTable.size) / maxExp / 2
        if let syn1 = state.syn1, let tree = state.tree {
            let points = tree.points[target], codes = tree.codes[target]
            for b in 0..<points.count {
                let output = syn1 + Int(points[b]) * d
                let f = dot(hidden, output, d)
                if f <= -maxExp || f >= maxExp { continue }
                let g = (1 - Float(codes[b]) - sigmoid[Int((f + maxExp) * scale)]) * alpha
                axpy(g, output, work, d)
                axpy(g, hidden, output, d)
            }
        }
        if let syn1neg = state.syn1neg, let table = state.negatives {
            for s in 0...state.configuration.negative {
                let word: Int
                let label: Float
                if s == 0 {
                    word = target; label = 1
                } else {
                    word = table.sample(using: &rng)
                    if word == target { continue }
                    label = 0
                }
                let output = syn1neg + word * d
                let f = dot(hidden, output, d)
                if f <= -maxExp || f >= maxExp { continue }
                let g = (label - sigmoid[Int((f + maxExp) * scale)]) * alpha
                axpy(g, output, work, d)
                axpy(g, hidden, output, d)
            }
        }
    }
}
