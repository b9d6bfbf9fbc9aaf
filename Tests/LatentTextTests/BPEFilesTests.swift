import Foundation
import Testing
import LatentIO
@testable import LatentText

/// Writing and reading the `vocab.json` + `merges.txt` pair, and the errors for bad files.
@Suite struct BPEFilesTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func writeThenReadGivesTheSameTokenizer() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = BPETrainer(vocabularySize: 330).train(["the \"quoted\" cat\\dog", "naïve 東京 don't", "x\ty\nz"])
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        try tokenizer.write(vocabulary: vocabulary, merges: merges)
        let read = try BPETokenizer.read(vocabulary: vocabulary, merges: merges)
        #expect(read == tokenizer)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["merges.txt", "vocab.json"])
        let text = try String(contentsOf: merges, encoding: .utf8)
        #expect(text.hasPrefix("#version: 0.2\n"))
    }

    /// Writes a minimal valid pair with one line changed and returns the error reading it.
    static func error(vocabularyEdit: (String) -> String = { $0 }, mergesEdit: (String) -> String = { $0 }) throws -> IOError? {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = BPETrainer(vocabularySize: 263, specialTokens: ["[PAD]"]).train(["the cat the hat"])
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        try tokenizer.write(vocabulary: vocabulary, merges: merges)
        let v = try String(contentsOf: vocabulary, encoding: .utf8), m = try String(contentsOf: merges, encoding: .utf8)
        try Data(vocabularyEdit(v).utf8).write(to: vocabulary)
        try Data(mergesEdit(m).utf8).write(to: merges)
        do {
            _ = try BPETokenizer.read(vocabulary: vocabulary, merges: merges)
            return nil
        } catch let error as IOError {
            return error
        }
    }

    static func position(_ error: IOError?) -> (file: String, line: Int, column: Int, reason: String)? {
        guard case let .malformed(path, line, column, reason)? = error else { return nil }
        return (URL(fileURLWithPath: path).lastPathComponent, line, column, reason)
    }

    @Test func unchangedFilesRead() throws {
        #expect(try Self.error() == nil)
    }

    @Test func badMergeLinesNameTheLineAndColumn() throws {
        var e = Self.position(try Self.error(mergesEdit: { $0 + "t\n" }))
        #expect(e?.file == "merges.txt" && e?.line == 8 && e?.column == 1)
        #expect(e?.reason.contains("two tokens") == true)
        e = Self.position(try Self.error(mergesEdit: { $0 + "Ġ zz\n" }))
        #expect(e?.line == 8 && e?.column == 3 && e?.reason.contains("\"zz\" is not in the vocabulary") == true)
        e = Self.position(try Self.error(mergesEdit: { $0 + "x y\n" }))
        #expect(e?.line == 8 && e?.reason.contains("join \"xy\"") == true)
        e = Self.position(try Self.error(mergesEdit: { $0 + "[PAD] x\n" }))
        #expect(e?.line == 8 && e?.reason.contains("special") == true)
        e = Self.position(try Self.error(mergesEdit: { $0.replacingOccurrences(of: "\n", with: "\r\n") }))
        #expect(e == nil)
    }

    @Test func badVocabularyNamesTheLineColumnAndField() throws {
        // Put each entry on its own line so line numbers say which entry.
        func spread(_ v: String) -> String {
            v.replacingOccurrences(of: "([0-9]),\"", with: "$1,\n\"", options: .regularExpression)
        }
        var e = Self.position(try Self.error(vocabularyEdit: { spread($0).replacingOccurrences(of: "\"!\":1", with: "\"!\":-1") }))
        #expect(e?.file == "vocab.json" && e?.line == 2 && e?.reason.contains("\"!\"") == true)
        e = Self.position(try Self.error(vocabularyEdit: { spread($0).replacingOccurrences(of: "\"!\":1", with: "\"!\":0") }))
        #expect(e?.line == 2 && e?.column == 1 && e?.reason.contains("used by both") == true)
        e = Self.position(try Self.error(vocabularyEdit: { spread($0).replacingOccurrences(of: "\"!\":1", with: "\"!\":999") }))
        #expect(e?.line == 2 && e?.reason.contains("outside 0..<263") == true)
        e = Self.position(try Self.error(vocabularyEdit: { spread($0).replacingOccurrences(of: "\"!\":1", with: "\"a b\":1") }))
        #expect(e?.line == 2 && e?.reason.contains("byte-level alphabet") == true)
        e = Self.position(try Self.error(vocabularyEdit: { spread($0).replacingOccurrences(of: "\"!\":1,", with: "\"!\":1") }))
        #expect(e?.line == 3 && e?.column == 1 && e?.reason.contains("expected ',' or '}'") == true)
        e = Self.position(try Self.error(vocabularyEdit: { String($0.dropLast()) }))
        #expect(e?.reason.contains("end of file") == true)
        e = Self.position(try Self.error(vocabularyEdit: { $0.replacingOccurrences(of: "\"[PAD]\":0,", with: "\"[PAD]\":0,\"[PAD]\":1,") }))
        #expect(e?.reason.contains("appears twice") == true)
    }

    @Test func malformedUTF8IsReportedWithItsOffset() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        try Data([0x7B, 0x22, 0xFF, 0x22]).write(to: vocabulary)
        try Data().write(to: merges)
        #expect(throws: IOError.corrupt(path: vocabulary.path, offset: 2, reason: "not valid UTF-8")) {
            try BPETokenizer.read(vocabulary: vocabulary, merges: merges)
        }
    }
}
