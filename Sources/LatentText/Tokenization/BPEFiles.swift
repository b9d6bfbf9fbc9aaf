import Foundation
import LatentIO

/// GPT-2's file pair: `vocab.json` (`{"token": id, …}`, tokens in the byte-level alphabet) and
/// `merges.txt` (an optional `#version` line, then one merge per line, `left right`, in rank order),
/// as written by openai/gpt-2 and Hugging Face `tokenizers`.
extension BPETokenizer {
    /// Reads and validates a `vocab.json` + `merges.txt` pair. The whole of both files is checked
    /// before anything is built: valid UTF-8 and JSON, ids exactly `0..<count` with no repeats, every
    /// normal token in the byte-level alphabet, a token for every byte, every merge line two tokens
    /// of the vocabulary whose join is also a token and neither of which is special.
    /// - Parameter specialTokens: tokens matched whole in text; each must be in `vocab.json`. Nil:
    ///   those of `defaultSpecialTokens` that `vocab.json` holds.
    /// - Throws: `IOError` naming the file and the line and column (or byte offset) of the problem.
    /// Cost: O(size of the files).
    public static func read(vocabulary vocabularyURL: URL, merges mergesURL: URL,
                            specialTokens: [String]? = nil) throws -> BPETokenizer {
        try parse(vocabularyJSON: try utf8Text(vocabularyURL), vocabularyPath: vocabularyURL.path,
                  merges: try utf8Text(mergesURL), mergesPath: mergesURL.path, specialTokens: specialTokens)
    }

    /// `read` on the texts of the two files (e.g. stored inside a model file); `vocabularyPath` and
    /// `mergesPath` name them in errors. - Throws: `IOError` as `read`.
    public static func parse(vocabularyJSON: String, vocabularyPath: String, merges mergesText: String, mergesPath: String,
                             specialTokens: [String]? = nil) throws -> BPETokenizer {
        let entries = try VocabularyJSON.parse(vocabularyJSON, path: vocabularyPath)
        func fail(_ entry: VocabularyJSON.Entry?, _ reason: String) -> IOError {
            .malformed(path: vocabularyPath, line: entry?.line ?? 1, column: entry?.column ?? 1, reason: reason)
        }

        var tokens = [String?](repeating: nil, count: entries.count)
        var seen: [String: Int] = [:]
        for entry in entries {
            if let first = seen[entry.token] {
                throw fail(entry, "the token \(JSONText.quoted(entry.token)) appears twice (ids \(first) and \(entry.id))")
            }
            seen[entry.token] = entry.id
            guard entry.id < entries.count else {
                throw fail(entry, "the id \(entry.id) of \(JSONText.quoted(entry.token)) is outside 0..<\(entries.count) (ids must be 0, 1, … without gaps)")
            }
            if let other = tokens[entry.id] {
                throw fail(entry, "the id \(entry.id) is used by both \(JSONText.quoted(other)) and \(JSONText.quoted(entry.token))")
            }
            tokens[entry.id] = entry.token
        }
        let vocabulary = tokens.map { $0! }   // n distinct ids below n: every id is present

        let specials = specialTokens ?? defaultSpecialTokens.filter { seen[$0] != nil }
        for special in specials where seen[special] == nil {
            throw fail(nil, "the special token \(JSONText.quoted(special)) is not in the vocabulary")
        }
        let specialSet = Set(specials)
        for entry in entries where !specialSet.contains(entry.token) && ByteLevelAlphabet.decode(entry.token) == nil {
            throw fail(entry, "the token \(JSONText.quoted(entry.token)) has a character outside GPT-2's byte-level alphabet and is not a special token")
        }
        for (byte, character) in ByteLevelAlphabet.characters.enumerated() where seen[String(character)] == nil {
            throw fail(nil, "no token for the byte 0x\(String(byte, radix: 16)) (character \(JSONText.quoted(String(character))))")
        }

        var merges: [(left: Int, right: Int)] = []
        // Split by scalars, not Characters: "\r\n" is one Character, and so is a space before a combining mark.
        let lines = mergesText.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.last == "\r" ? String.UnicodeScalarView($0.dropLast()) : String.UnicodeScalarView($0)) }
        for (index, line) in lines.enumerated() {
            if index == 0 && line.hasPrefix("#version") { continue }
            if line.isEmpty && index == lines.count - 1 { continue }   // the final newline
            func lineError(_ column: Int, _ reason: String) -> IOError {
                .malformed(path: mergesPath, line: index + 1, column: column, reason: reason)
            }
            let parts = line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw lineError(1, "expected two tokens separated by one space, found \(JSONText.quoted(line))")
            }
            var pair: [Int] = []
            for (k, part) in parts.enumerated() {
                let column = k == 0 ? 1 : parts[0].unicodeScalars.count + 2
                guard let id = seen[part] else {
                    throw lineError(column, "the token \(JSONText.quoted(part)) is not in the vocabulary")
                }
                if specialSet.contains(part) {
                    throw lineError(column, "the special token \(JSONText.quoted(part)) cannot be merged")
                }
                pair.append(id)
            }
            guard seen[parts[0] + parts[1]] != nil else {
                throw lineError(1, "the join \(JSONText.quoted(parts[0] + parts[1])) is not in the vocabulary")
            }
            merges.append((pair[0], pair[1]))
        }
        return BPETokenizer(tokens: vocabulary, merges: merges, specialTokens: specials)
    }

    /// Writes `vocab.json` (compact, in id order) and `merges.txt` (`#version: 0.2`, then one merge
    /// per line), each atomically (`AtomicFile`). Throws `IOError.cannotWrite`.
    public func write(vocabulary vocabularyURL: URL, merges mergesURL: URL) throws {
        precondition(vocabularyURL.standardizedFileURL != mergesURL.standardizedFileURL,
                     "BPETokenizer.write: vocabulary and merges must be different files")
        try AtomicFile.write(Data(vocabularyJSON.utf8), to: vocabularyURL)
        try AtomicFile.write(Data(mergesText.utf8), to: mergesURL)
    }

    /// The text of `vocab.json` (compact, in id order), what `write` stores.
    public var vocabularyJSON: String { VocabularyJSON.render(tokens) }

    /// The text of `merges.txt` (`#version: 0.2`, then one merge per line), what `write` stores.
    public var mergesText: String {
        var text = "#version: 0.2\n"
        for merge in merges { text += tokens[merge.left] + " " + tokens[merge.right] + "\n" }
        return text
    }

    /// The special tokens' strings, in the order of `specialIDs`.
    public var specialTokens: [String] { specialIDs.map { tokens[$0] } }

    /// The file as text; malformed UTF-8 is an error with its byte offset.
    private static func utf8Text(_ url: URL) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IOError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        var offset = 0
        while offset < bytes.count {
            guard let (_, length) = GPT2PreTokenizer.Unit.scalarAt(bytes, offset) else {
                throw IOError.corrupt(path: url.path, offset: offset, reason: "not valid UTF-8")
            }
            offset += length
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
