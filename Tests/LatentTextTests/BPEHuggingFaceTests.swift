import Foundation
import Testing
import LatentTestSupport
@testable import LatentText

/// Checks against Hugging Face `tokenizers` 0.23.3 (`scripts/fixtures/bpe.py`): the same corpus
/// gives the same merges and vocabulary, and the saved files give the same ids and pre-tokens.
@Suite struct BPEHuggingFaceTests {
    static let folder = Fixtures.folder.appendingPathComponent("bpe")

    struct Case { var text: String; var ids: [Int]; var pieces: [String] }

    static func expected() throws -> (vocabularySize: Int, specials: [String], cases: [Case]) {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]]).map {
            Case(text: $0["text"] as! String, ids: $0["ids"] as! [Int], pieces: $0["pieces"] as! [String])
        }
        return (root["vocab_size"] as! Int, root["special_tokens"] as! [String], cases)
    }

    static func hfTokenizer() throws -> BPETokenizer {
        try BPETokenizer.read(vocabulary: folder.appendingPathComponent("vocab.json"),
                              merges: folder.appendingPathComponent("merges.txt"))
    }

    @Test func preTokensMatchHuggingFace() throws {
        for c in try Self.expected().cases {
            let bytes = Array(c.text.utf8)
            let pieces = GPT2PreTokenizer.split(bytes).map { ByteLevelAlphabet.encode(bytes[$0]) }
            // HF pre-tokenizes between special tokens; compare on the texts without them.
            if !BPETokenizer.defaultSpecialTokens.contains(where: c.text.contains) {
                #expect(pieces == c.pieces, "\(c.text.debugDescription)")
            }
        }
    }

    @Test func encodingWithHuggingFaceFilesGivesTheSameIds() throws {
        let tokenizer = try Self.hfTokenizer()
        #expect(tokenizer.vocabularySize == 600)
        #expect(tokenizer.specialIDs == [0, 1, 2, 3, 4])
        for c in try Self.expected().cases {
            let ids = tokenizer.encode(c.text)
            #expect(ids == c.ids, "\(c.text.debugDescription)")
            #expect(tokenizer.decode(ids) == c.text)
        }
    }

    @Test func trainingOnTheSameCorpusGivesHuggingFacesMergesAndVocabulary() throws {
        let expected = try Self.expected()
        let corpus = try String(contentsOf: Self.folder.appendingPathComponent("corpus.txt"), encoding: .utf8)
        var lines = corpus.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let trained = BPETrainer(vocabularySize: expected.vocabularySize, specialTokens: expected.specials).train(lines)
        let reference = try Self.hfTokenizer()
        #expect(trained.tokens == reference.tokens)
        #expect(trained.merges.count == reference.merges.count)
        let firstDifference = zip(trained.merges, reference.merges).enumerated()
            .first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "first differing merge at rank \(firstDifference ?? -1)")
        for c in expected.cases { #expect(trained.encode(c.text) == c.ids, "\(c.text.debugDescription)") }
    }
}
