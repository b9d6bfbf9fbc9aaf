import Dispatch
import Foundation
import LatentCore
import LatentText
import Synchronization

extension Word2Vec {
    /// Trains vectors on `corpus`.
    ///
    /// - Parameter progress: called about once a second from a worker thread.
    /// - Throws: `Word2VecError.emptyVocabulary` when the corpus has no retained word,
    ///   `Word2VecError.invalidSetting` for a setting out of range.
    /// - Complexity: see `Word2Vec`; memory 4 · V · dimension bytes per weight matrix (two or three).
    public func train(_ corpus: Corpus, progress: (@Sendable (Word2VecProgress) -> Void)? = nil) throws -> Word2VecModel {
        if let problem = invalidSetting { throw Word2VecError.invalidSetting(problem) }
        guard corpus.vocabulary.count > 0, !corpus.tokens.isEmpty else {
            throw Word2VecError.emptyVocabulary(rawTokens: corpus.rawTokenCount, distinctWords: corpus.rawVocabularySize)
        }
        let state = Word2VecState(configuration: self, corpus: corpus)
        let start = DispatchTime.now()
        let workers = Swift.min(threads, corpus.sentenceCount)
        let ranges = sentenceRanges(corpus, parts: workers)
        var root = Xoshiro256StarStar(seed: seed)
        var streams = root.split(into: workers + 1)   // [0] initialised the weights
        streams.removeFirst()
        let counters = Word2VecCounters(progress: progress, start: start, totalWork: corpus.tokens.count * epochs)
        let seeds = streams
        DispatchQueue.concurrentPerform(iterations: workers) { t in
            var worker = Word2VecWorker(state: state, rng: seeds[t], sentences: ranges[t], counters: counters)
            worker.run()
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let report = Word2VecReport(effectiveWords: counters.effective.load(ordering: .relaxed),
                                    rawWords: counters.raw.load(ordering: .relaxed), seconds: seconds)
        let vectors = WordVectors(words: corpus.vocabulary.words, vectors: state.inputVectors())
        return Word2VecModel(configuration: self, vocabulary: corpus.vocabulary, vectors: vectors, report: report)
    }

    /// Contiguous sentence ranges with about equal token counts, one per worker.
    private func sentenceRanges(_ corpus: Corpus, parts: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var lower = 0
        for p in 1...parts {
            let target = corpus.tokens.count * p / parts
            var upper = lower
            while upper < corpus.sentenceCount && (corpus.sentenceStarts[upper] < target || upper == lower) { upper += 1 }
            if p == parts { upper = corpus.sentenceCount }
            ranges.append(lower..<upper)
            lower = upper
        }
        return ranges
    }
}

/// Counters shared by the workers: effective and raw words, for the report and progress.
final class Word2VecCounters: Sendable {
    let effective = Atomic<Int>(0)
    let raw = Atomic<Int>(0)
    let lastReport = Atomic<UInt64>(0)
    let progress: (@Sendable (Word2VecProgress) -> Void)?
    let start: DispatchTime
    let totalWork: Int

    init(progress: (@Sendable (Word2VecProgress) -> Void)?, start: DispatchTime, totalWork: Int) {
        self.progress = progress
        self.start = start
        self.totalWork = totalWork
    }

    /// Adds a worker's recent counts; reports when a second has passed since the last report.
    func add(effective e: Int, raw r: Int, alpha: Double) {
        let effective = self.effective.add(e, ordering: .relaxed).newValue
        let raw = self.raw.add(r, ordering: .relaxed).newValue
        guard let progress else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let last = lastReport.load(ordering: .relaxed)
        guard now - start.uptimeNanoseconds >= last + 1_000_000_000,
              lastReport.compareExchange(expected: last, desired: now - start.uptimeNanoseconds, ordering: .relaxed).exchanged else { return }
        progress(Word2VecProgress(fraction: Swift.min(1, Double(raw) / Double(Swift.max(1, totalWork))), effectiveWords: effective,
                                  seconds: Double(now - start.uptimeNanoseconds) / 1e9, alpha: alpha))
    }
}

/// The weights and read-only tables every worker shares. The weights are raw buffers written by
/// all workers at once without locks (Hogwild), hence `@unchecked Sendable`.
final class Word2VecState: @unchecked Sendable {
    let configuration: Word2Vec
    let corpus: Corpus
    let dimension: Int
    /// V × d input vectors (gensim `wv.vectors`, word2vec.c `syn0`), uniform in ±0.5/d.
    let syn0: UnsafeMutablePointer<Float>
    /// V × d negative-sampling output vectors (`syn1neg`), zero at start.
    let syn1neg: UnsafeMutablePointer<Float>?
    /// (V − 1) × d hierarchical-softmax inner-node vectors (`syn1`), zero at start.
    let syn1: UnsafeMutablePointer<Float>?
    let subsampling: Subsampling
    let negatives: AliasTable?
    let tree: HuffmanTree?
    let sigmoid = SigmoidTable()

    init(configuration: Word2Vec, corpus: Corpus) {
        self.configuration = configuration
        self.corpus = corpus
        let v = corpus.vocabulary.count, d = configuration.dimension
        dimension = d
        func allocate() -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, v * d) * 4, alignment: 64).bindMemory(to: Float.self, capacity: v * d)
            p.initialize(repeating: 0, count: v * d)
            return p
        }
        syn0 = allocate()
        var root = Xoshiro256StarStar(seed: configuration.seed)
        var rng = root.split(into: 1)[0]
        for i in 0..<(v * d) { syn0[i] = Float((rng.uniform() - 0.5) / Double(d)) }
        syn1neg = configuration.negative > 0 ? allocate() : nil
        syn1 = configuration.hierarchicalSoftmax ? allocate() : nil
        subsampling = Subsampling(vocabulary: corpus.vocabulary, sample: configuration.sample)
        negatives = configuration.negative > 0
            ? AliasTable(weights: corpus.vocabulary.counts.map { Foundation.pow(Double($0), configuration.negativeExponent) }) : nil
        tree = configuration.hierarchicalSoftmax ? HuffmanTree(counts: corpus.vocabulary.counts) : nil
    }

    deinit {
        syn0.deallocate()
        syn1neg?.deallocate()
        syn1?.deallocate()
    }

    /// A copy of the input vectors as a V × d matrix.
    func inputVectors() -> Matrix<Float> {
        let n = corpus.vocabulary.count * dimension
        return Matrix(rows: corpus.vocabulary.count, columns: dimension, storage: Array(UnsafeBufferPointer(start: syn0, count: n)))
    }
}
