import CKernels
import Foundation
import LatentCore
import LatentText
import XCTest
@testable import LatentModels

final class Word2VecTests: XCTestCase {
    /// Sentences that each draw words from one of four topics of six words: words of a topic
    /// co-occur, words of different topics never do.
    func topicCorpus(sentences: Int = 3000, seed: UInt64 = 5) throws -> Corpus {
        var rng = Xoshiro256StarStar(seed: seed)
        var lines: [String] = []
        for _ in 0..<sentences {
            let topic = rng.integer(below: 4)
            lines.append((0..<10).map { _ in "t\(topic)w\(rng.integer(below: 6))" }.joined(separator: " "))
        }
        return try Corpus(text: lines.joined(separator: "\n"), minCount: 1)
    }

    /// Fraction of each word's 5 nearest neighbours that share its topic.
    func topicPurity(_ vectors: WordVectors) -> Double {
        var same = 0, total = 0
        for word in vectors.words {
            for n in vectors.mostSimilar(to: word, count: 5)! {
                total += 1
                if n.word.prefix(2) == word.prefix(2) { same += 1 }
            }
        }
        return Double(same) / Double(total)
    }

    func testSkipGramLearnsTopics() throws {
        let model = try Word2Vec(dimension: 20, window: 3, sample: 0, epochs: 3, seed: 7).train(topicCorpus())
        XCTAssertEqual(model.vectors.count, 24)
        XCTAssertGreaterThan(topicPurity(model.vectors), 0.95)
        XCTAssertEqual(model.report.effectiveWords, 3 * 30_000, "no subsampling: every token trains")
    }

    func testCBOWMeanAndSumAndHierarchicalSoftmaxLearnTopics() throws {
        let corpus = try topicCorpus()
        for config in [Word2Vec(architecture: .cbow, dimension: 20, window: 3, sample: 0, alpha: 0.05, epochs: 3),
                       Word2Vec(architecture: .cbow, dimension: 20, window: 3, cbowMean: false, sample: 0, epochs: 3),
                       Word2Vec(dimension: 20, window: 3, negative: 0, hierarchicalSoftmax: true, sample: 0, epochs: 3),
                       Word2Vec(architecture: .cbow, dimension: 20, window: 3, negative: 0, hierarchicalSoftmax: true, sample: 0, alpha: 0.05, epochs: 3)] {
            let model = try config.train(corpus)
            XCTAssertGreaterThan(topicPurity(model.vectors), 0.9, "\(config.architecture) mean \(config.cbowMean) hs \(config.hierarchicalSoftmax)")
        }
    }

    func testSingleThreadIsBitReproducible() throws {
        let corpus = try topicCorpus(sentences: 500)
        let config = Word2Vec(dimension: 16, window: 4, sample: 1e-2, epochs: 2, threads: 1, seed: 11)
        let a = try config.train(corpus), b = try config.train(corpus)
        XCTAssertEqual(a.vectors.vectors.storage, b.vectors.vectors.storage)
        XCTAssertEqual(a.report.effectiveWords, b.report.effectiveWords)
        var other = config
        other.seed = 12
        XCTAssertNotEqual(try other.train(corpus).vectors.vectors.storage, a.vectors.vectors.storage)
    }

    func testHogwildThreadsLearnTopics() throws {
        let model = try Word2Vec(dimension: 20, window: 3, sample: 0, epochs: 3, threads: 4, seed: 3).train(topicCorpus())
        XCTAssertGreaterThan(topicPurity(model.vectors), 0.95)
        XCTAssertEqual(model.report.effectiveWords, 3 * 30_000)
    }

    /// Subsampling keeps about the expected share of tokens.
    func testSubsamplingKeepsExpectedShare() throws {
        let corpus = try topicCorpus()
        let config = Word2Vec(dimension: 8, sample: 1e-2, epochs: 4, seed: 2)
        let model = try config.train(corpus)
        let expected = Subsampling(vocabulary: corpus.vocabulary, sample: 1e-2).expectedKeptTokens * 4
        XCTAssertEqual(Double(model.report.effectiveWords), expected, accuracy: expected * 0.01)
        // Each word has ≈ 1250 of 30 000 tokens: t = 300, keep (√(1250/300) + 1) · 300/1250 ≈ 0.73.
        XCTAssertEqual(expected / 120_000, 0.73, accuracy: 0.02)
    }

    func testEmptyVocabularyAndBadSettings() throws {
        let corpus = try Corpus(text: "a b c\n", minCount: 2)
        XCTAssertThrowsError(try Word2Vec().train(corpus)) { error in
            XCTAssertEqual(error as? Word2VecError, .emptyVocabulary(rawTokens: 3, distinctWords: 3))
        }
        let ok = try Corpus(text: "a b c\n")
        XCTAssertThrowsError(try Word2Vec(negative: 0).train(ok))
        XCTAssertThrowsError(try Word2Vec(dimension: 0).train(ok))
        XCTAssertNoThrow(try Word2Vec(dimension: 4).train(ok))
    }

    func testHuffmanCodesArePrefixFreeAndShortForFrequentWords() {
        let counts = [50, 20, 10, 10, 5, 3, 1, 1]
        let tree = HuffmanTree(counts: counts)
        let codes = tree.codes.map { $0.map(String.init).joined() }
        for i in codes.indices { for j in codes.indices where i != j { XCTAssertFalse(codes[j].hasPrefix(codes[i])) } }
        XCTAssertEqual(codes[0].count, 1)
        XCTAssertTrue(tree.points.allSatisfy { $0.first == Int32(counts.count - 2) }, "every path starts at the root")
        // Kraft equality for a full binary tree.
        XCTAssertEqual(codes.map { 1.0 / Double(1 << $0.count) }.reduce(0, +), 1, accuracy: 1e-12)
    }

    /// The AVX2 + FMA negative-sampling kernel (C) computes what the portable Swift one does, to
    /// rounding (fused multiply-adds), for skip-gram (update h) and CBOW (gradient into work), with
    /// a dimension that leaves a tail and a row drawn twice.
    func testAVX2KernelMatchesPortable() throws {
        try XCTSkipUnless(word2vecUsesAVX2, "no AVX2 + FMA on this processor")
        let table = SigmoidTable()
        var rng = Xoshiro256StarStar(seed: 3)
        for d in [100, 13] {
            for useWork in [false, true] {
                let rowsCount = 20
                let outputs0 = (0..<(rowsCount * d)).map { _ in Float(rng.uniform(-0.3, 0.3)) }
                let h0 = (0..<d).map { _ in Float(rng.uniform(-0.5, 0.5)) }
                let rows = [4, 7, 7, 0, 19, 11]
                var results: [([Float], [Float], [Float])] = []
                for avx2 in [false, true] {
                    var outputs = outputs0, h = h0, work = [Float](repeating: 9, count: d), gains = [Float](repeating: 0, count: rows.count)
                    outputs.withUnsafeMutableBufferPointer { o in
                        h.withUnsafeMutableBufferPointer { hp in
                            work.withUnsafeMutableBufferPointer { w in
                                gains.withUnsafeMutableBufferPointer { g in
                                    let workPointer = useWork ? w.baseAddress! : nil
                                    if avx2 {
                                        latent_w2v_negative_step_avx2(hp.baseAddress!, o.baseAddress!, rows, rows.count, d, 0.025, table.pointer,
                                                                      SigmoidTable.maxExp, Float(SigmoidTable.size) / SigmoidTable.maxExp / 2,
                                                                      g.baseAddress!, workPointer)
                                    } else {
                                        portableNegativeSamplingStep(hidden: hp.baseAddress!, outputs: o.baseAddress!, rows: rows, count: rows.count,
                                                                     dimension: d, alpha: 0.025, sigmoid: table.pointer, gains: g.baseAddress!,
                                                                     work: workPointer)
                                    }
                                }
                            }
                        }
                    }
                    results.append((outputs, h, work))
                }
                let (a, b) = (results[0], results[1])
                XCTAssertNotEqual(a.0, outputs0, "the step updates the output rows")
                for (x, y) in [(a.0, b.0), (a.1, b.1), (a.2, b.2)] {
                    XCTAssertEqual(x.count, y.count)
                    for i in x.indices { XCTAssertEqual(x[i], y[i], accuracy: 1e-6, "d \(d), work \(useWork), element \(i)") }
                }
            }
        }
    }
}
