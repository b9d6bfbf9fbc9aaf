import Foundation
import LatentIO
import LatentTestSupport
import XCTest
@testable import LatentText

final class CorpusTests: XCTestCase {
    func testCountsMinCountAndOrder() throws {
        let corpus = try Corpus(text: "b a c a\n\n  \nc a d\nd d b\n", minCount: 2)
        // a: 3, d: 3 (a first seen earlier), b: 2, c: 2
        XCTAssertEqual(corpus.vocabulary.words, ["a", "d", "b", "c"])
        XCTAssertEqual(corpus.vocabulary.counts, [3, 3, 2, 2])
        XCTAssertEqual(corpus.sentenceCount, 3, "empty and blank lines hold no sentence")
        XCTAssertEqual(Array(corpus.sentence(0)), [2, 0, 3, 0])
        XCTAssertEqual(Array(corpus.sentence(2)), [1, 1, 2])
        XCTAssertEqual(corpus.rawTokenCount, 10)
        XCTAssertEqual(corpus.rawVocabularySize, 4)

        let pruned = try Corpus(text: "x y x\nz\n", minCount: 2)
        XCTAssertEqual(pruned.vocabulary.words, ["x"])
        XCTAssertEqual(pruned.sentenceCount, 1, "a line whose words are all pruned is dropped")
        XCTAssertEqual(pruned.rawTokenCount, 4)
    }

    func testLowercaseAndAlphanumericSplitting() throws {
        let text = "The CAT, the cat's ÉCOLE école!\tNaïve-NAÏVE\r\n"
        let plain = try Corpus(text: text)
        XCTAssertEqual(Set(plain.vocabulary.words), ["The", "CAT,", "the", "cat's", "ÉCOLE", "école!", "Naïve-NAÏVE"])
        let lower = try Corpus(text: text, tokenization: Tokenization(splitting: .alphanumeric, lowercase: true))
        XCTAssertEqual(lower.vocabulary.words, ["the", "école", "naïve", "cat", "cat's"])
        XCTAssertEqual(lower.vocabulary.counts, [2, 2, 2, 1, 1])
    }

    func testInvalidUTF8IsAnErrorNamingLineAndColumn() throws {
        var bytes = Array("good line\nok caf".utf8)
        bytes += [0xC3, 0x28]   // a lead byte followed by an ASCII byte: invalid
        bytes += Array(" more\n".utf8)
        XCTAssertThrowsError(try bytes.withUnsafeBufferPointer { try Corpus(bytes: $0, path: "bad.txt", tokenization: Tokenization(), minCount: 1) }) { error in
            XCTAssertEqual(error as? IOError, .malformed(path: "bad.txt", line: 2, column: 7, reason: "invalid UTF-8"))
        }
        // A truncated multi-byte sequence at the end of the file.
        let cut = Array("a b\nc \u{E9}".utf8).dropLast()
        XCTAssertThrowsError(try Array(cut).withUnsafeBufferPointer { try Corpus(bytes: $0, path: "cut.txt", tokenization: Tokenization(), minCount: 1) })
    }

    /// A single line of 2.5 million tokens (≈ 12 MB) is read and cut into sentences of 10 000.
    func testHugeSingleLine() throws {
        let words = ["alpha", "beta", "gamma", "delta", "eps"]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(13_000_000)
        for i in 0..<2_500_000 { bytes += words[i % 5].utf8; bytes.append(0x20) }
        let corpus = try bytes.withUnsafeBufferPointer { try Corpus(bytes: $0, path: "big", tokenization: Tokenization(), minCount: 1) }
        XCTAssertEqual(corpus.rawTokenCount, 2_500_000)
        XCTAssertEqual(corpus.sentenceCount, 250)
        XCTAssertEqual(corpus.vocabulary.counts, [500_000, 500_000, 500_000, 500_000, 500_000])
        XCTAssertEqual(corpus.vocabulary.words, words)
    }

    /// A single-line file read through `Corpus.read` (memory-mapped): 24 MB of words with no
    /// newline at all, then a file that is one 16 MB token. The reader works on the mapped bytes
    /// with no line buffer, so size only costs time; the release CLI was checked by hand on a
    /// 100 MB single line (report of issue 12), too slow for a debug test.
    func testHugeSingleLineFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let words = ["one", "three", "fifteen"]   // 4 + 6 + 8 bytes with the space
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24_000_000)
        for i in 0..<4_000_000 { bytes += words[i % 3].utf8; bytes.append(0x20) }
        let words24 = folder.appendingPathComponent("words.txt")
        try Data(bytes).write(to: words24)
        let corpus = try Corpus.read(contentsOf: words24, minCount: 5)
        XCTAssertEqual(corpus.rawTokenCount, 4_000_000)
        XCTAssertEqual(corpus.sentenceCount, 400, "cut into sentences of 10 000 tokens")
        XCTAssertEqual(corpus.vocabulary.words, words)
        XCTAssertEqual(corpus.vocabulary.counts, [1_333_334, 1_333_333, 1_333_333])
        XCTAssertEqual(Array(corpus.sentence(399).suffix(3)), [1, 2, 0])

        let token = folder.appendingPathComponent("token.txt")
        try Data(repeating: 0x61, count: 16_000_000).write(to: token)
        let pruned = try Corpus.read(contentsOf: token, minCount: 5)
        XCTAssertEqual(pruned.vocabulary.count, 0, "one word seen once: nothing reaches the minimum count")
        XCTAssertEqual(pruned.rawTokenCount, 1)
        XCTAssertEqual(pruned.sentenceCount, 0)
        let kept = try Corpus.read(contentsOf: token, minCount: 1)
        XCTAssertEqual(kept.vocabulary.counts, [1])
        XCTAssertEqual(kept.vocabulary.words.first?.utf8.count, 16_000_000)
    }

    func testEmptyInput() throws {
        let corpus = try Corpus(text: "\n\n \t\n")
        XCTAssertEqual(corpus.vocabulary.count, 0)
        XCTAssertEqual(corpus.sentenceCount, 0)
        XCTAssertEqual(corpus.rawTokenCount, 0)
    }

    func testReadFileAndMissingFile() throws {
        let url = Fixtures.folder.appendingPathComponent("word2vec/corpus.txt")
        let corpus = try Corpus.read(contentsOf: url, minCount: 1)
        XCTAssertEqual(corpus.vocabulary.count, 30)
        XCTAssertEqual(corpus.vocabulary.words.first, "t1")
        XCTAssertEqual(corpus.vocabulary.counts.first, 3000)
        XCTAssertThrowsError(try Corpus.read(contentsOf: URL(fileURLWithPath: "/nonexistent/corpus.txt")))
    }

    /// Keep thresholds equal gensim's `sample_int` for both threshold forms.
    func testSubsamplingMatchesGensim() throws {
        let url = Fixtures.folder.appendingPathComponent("word2vec/corpus.txt")
        let corpus = try Corpus.read(contentsOf: url, minCount: 1)
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.folder.appendingPathComponent("word2vec/subsampling.json"))) as! [String: [String: Int]]
        for (sample, expected) in [(1e-3, reference["0.001"]!), (0.05, reference["0.05"]!)] {
            let s = Subsampling(vocabulary: corpus.vocabulary, sample: sample)
            for (id, word) in corpus.vocabulary.words.enumerated() {
                let want = expected[word]!
                // gensim truncates p · (2³² − 1) in float64 as we do; allow one unit for rounding.
                XCTAssertLessThanOrEqual(abs(Int(s.keepThreshold[id]) - want), 1, "\(word) at sample \(sample)")
            }
        }
        let off = Subsampling(vocabulary: corpus.vocabulary, sample: 0)
        XCTAssertTrue(off.keepThreshold.allSatisfy { $0 == UInt32.max })
    }
}
