import Foundation
import LatentCore
import LatentIO
import LatentTestSupport
import XCTest
@testable import LatentText

final class WordVectorsTests: XCTestCase {
    let folder = Fixtures.folder.appendingPathComponent("word2vec")

    func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as! [String: Any]
    }

    func reference() throws -> WordVectors {
        let j = try json("values.json")
        let values = (j["values"] as! [[Double]]).flatMap { $0.map(Float.init) }
        return WordVectors(words: j["words"] as! [String], vectors: Matrix(rows: 40, columns: 7, storage: values))
    }

    /// Files gensim wrote load to the exact float32 values (binary) or to the nearest float (text).
    func testLoadsGensimFiles() throws {
        let expected = try reference()
        let binary = try WordVectors.read(contentsOf: folder.appendingPathComponent("gensim-vectors.bin"), format: .binary)
        XCTAssertEqual(binary.words, expected.words)
        XCTAssertEqual(binary.vectors.storage, expected.vectors.storage)
        let text = try WordVectors.read(contentsOf: folder.appendingPathComponent("gensim-vectors.txt"), format: .text)
        XCTAssertEqual(text.words, expected.words)
        XCTAssertEqual(text.vectors.storage, expected.vectors.storage, "gensim writes float32's shortest repr, which parses back exactly")
    }

    func testRoundTripsBothFormats() throws {
        let vectors = try reference()
        for format in WordVectorFormat.allCases {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-w2v-\(UUID()).\(format.rawValue)")
            defer { try? FileManager.default.removeItem(at: url) }
            try vectors.write(to: url, format: format)
            let back = try WordVectors.read(contentsOf: url, format: format)
            XCTAssertEqual(back.words, vectors.words)
            XCTAssertEqual(back.vectors.storage, vectors.vectors.storage)
        }
    }

    func testMalformedFilesAreErrors() throws {
        func read(_ text: String, _ format: WordVectorFormat = .text) throws -> WordVectors {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-w2v-\(UUID()).txt")
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(text.utf8).write(to: url)
            return try WordVectors.read(contentsOf: url, format: format)
        }
        XCTAssertThrowsError(try read("two 3\n"))
        XCTAssertThrowsError(try read("2 3\na 1 2 3\nb 1 2\n")) { error in
            guard case let .malformed(_, line, _, _)? = error as? IOError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 3)
        }
        XCTAssertThrowsError(try read("1 2\na 1 nan\n"))
        XCTAssertThrowsError(try read("1 2\na 1 2 3\n"))
        XCTAssertThrowsError(try read("2 2\na 1 2\na 3 4\n"))
        XCTAssertThrowsError(try read("3 2\na 1 2\nb 3 4\n"))
        XCTAssertThrowsError(try read("1 4\nab\u{20}\u{1}\u{2}", .binary))
        XCTAssertEqual(try read("1 2\na 1 2\n").vector(of: "a"), [1, 2])
    }

    func testQueriesMatchGensim() throws {
        let vectors = try reference()
        let q = try json("queries.json")
        func check(_ got: [ScoredWord]?, _ key: String, file: StaticString = #filePath, line: UInt = #line) {
            let want = q[key] as! [[Any]]
            XCTAssertEqual(got?.map(\.word), want.map { $0[0] as! String }, key, file: file, line: line)
            for (g, w) in zip(got ?? [], want) { XCTAssertEqual(g.score, w[1] as! Double, accuracy: 1e-5, key, file: file, line: line) }
        }
        check(vectors.mostSimilar(to: "w3", count: 5), "similar_w3")
        check(vectors.mostSimilar(positive: ["w1", "w2"], negative: ["w0"], count: 5), "add_w1_w2_minus_w0")
        check(vectors.mostSimilar(positive: ["w1", "w2"], negative: ["w0"], count: 5, restrictTo: 20), "add_restricted_20")
        check(vectors.mostSimilar(positive: ["w1", "w2"], negative: ["w0"], count: 5, method: .mul), "mul_w1_w2_minus_w0")
        XCTAssertNil(vectors.mostSimilar(to: "absent"))
    }

    func testEvaluationsMatchGensim() throws {
        let vectors = try reference()
        let q = try json("queries.json")
        let pairs = q["pairs"] as! [String: Double]
        let e = try WordPairEvaluation(vectors: vectors, pairsFile: folder.appendingPathComponent("pairs.tsv"))
        XCTAssertEqual(e.spearman!, pairs["spearman"]!, accuracy: 1e-6)
        XCTAssertEqual(e.pearson!, pairs["pearson"]!, accuracy: 1e-5)
        XCTAssertEqual(e.outOfVocabularyRatio * 100, pairs["oov_percent"]!, accuracy: 1e-9)
        XCTAssertEqual(e.pairs, 10)

        let analogies = q["analogies"] as! [String: Any]
        let a = try AnalogyEvaluation(vectors: vectors, questionsFile: folder.appendingPathComponent("questions.txt"))
        let sections = analogies["sections"] as! [[String: Any]]
        // gensim appends a "Total accuracy" section.
        XCTAssertEqual(a.sections.count + 1, sections.count)
        for (mine, theirs) in zip(a.sections + [a.total], sections) {
            XCTAssertEqual(mine.correct, theirs["correct"] as? Int, mine.name)
            XCTAssertEqual(mine.attempted - mine.correct, theirs["incorrect"] as? Int, mine.name)
        }
        XCTAssertEqual(a.total.accuracy!, analogies["total"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(a.total.skipped, 1)
    }

    func testSpearmanMatchesScipy() throws {
        let j = try json("spearman.json")
        let x = j["x"] as! [Double], y = j["y"] as! [Double]
        XCTAssertEqual(RankCorrelation.spearman(x, y)!, j["rho"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(RankCorrelation.pearson(x, y)!, j["r"] as! Double, accuracy: 1e-12)
        XCTAssertEqual(RankCorrelation.ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
        XCTAssertNil(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]))
    }
}
