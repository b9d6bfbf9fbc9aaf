import Foundation
import LatentCore
import LatentIO

/// The two file formats of the original word2vec tool, which gensim's
/// `KeyedVectors.load_word2vec_format` / `save_word2vec_format` also read and write.
public enum WordVectorFormat: String, Sendable, CaseIterable, Codable {
    /// A header line `count dimension`, then per word a line `word v1 v2 … vd` in decimal.
    case text
    /// The same header, then per word `word`, one space, `d` little-endian float32 values and `\n`.
    case binary
}

extension WordVectors {
    /// Writes the vectors in `format` to `url` atomically (a temporary file renamed into place).
    /// Words containing whitespace cannot be read back by any word2vec reader and are refused.
    public func write(to url: URL, format: WordVectorFormat) throws {
        for w in words where w.isEmpty || w.utf8.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
            throw IOError.cannotWrite(path: url.path, reason: "the word '\(w)' is empty or contains whitespace")
        }
        var out = Data()
        out.append(contentsOf: "\(count) \(dimension)\n".utf8)
        let d = dimension
        vectors.storage.withUnsafeBufferPointer { v in
            for (r, word) in words.enumerated() {
                out.append(contentsOf: word.utf8)
                switch format {
                case .text:
                    var line = ""
                    for k in 0..<d { line += " "; line += "\(v[r * d + k])" }
                    out.append(contentsOf: line.utf8)
                case .binary:
                    out.append(0x20)
                    for k in 0..<d {
                        withUnsafeBytes(of: v[r * d + k].bitPattern.littleEndian) { out.append(contentsOf: $0) }
                    }
                }
                out.append(0x0A)
            }
        }
        try AtomicFile.write(out, to: url)
    }

    /// Reads vectors in `format` (as written by word2vec, gensim or `write(to:format:)`).
    /// - Throws: `IOError` naming the file and the line (text) or byte offset (binary) of the first
    ///   problem: a bad header, a short or long row, a number that does not parse or is not finite,
    ///   invalid UTF-8, a repeated word, a truncated file.
    public static func read(contentsOf url: URL, format: WordVectorFormat) throws -> WordVectors {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw IOError.cannotRead(path: url.path, reason: error.localizedDescription) }
        let bytes = [UInt8](data)
        let path = url.path
        var position = 0
        func readField() -> ArraySlice<UInt8> {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0D { position += 1 }
            let start = position
            while position < bytes.count, !(bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D) { position += 1 }
            return bytes[start..<position]
        }
        // Header
        guard let rows = Int(String(decoding: readField(), as: UTF8.self)), let d = Int(String(decoding: readField(), as: UTF8.self)),
              rows >= 0, d >= 1, rows <= bytes.count, d <= bytes.count else {
            throw IOError.malformed(path: path, line: 1, column: 1, reason: "the header must be two numbers: word count and dimension (≥ 1)")
        }
        while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        position += 1
        var words: [String] = []
        words.reserveCapacity(rows)
        var seen = Set<String>()
        var storage = [Float](repeating: 0, count: rows * d)
        for r in 0..<rows {
            let where_ = format == .text ? "line \(r + 2)" : "byte \(position)"
            while position < bytes.count, bytes[position] == 0x0A { position += 1 }   // word2vec.c's row separator
            let wordBytes = readField()
            guard !wordBytes.isEmpty else {
                throw IOError.corrupt(path: path, offset: position, reason: "\(where_): expected \(rows) words, the file ends after \(r)")
            }
            guard let word = String(validating: wordBytes, as: UTF8.self) else {
                throw IOError.corrupt(path: path, offset: wordBytes.startIndex, reason: "\(where_): the word is not valid UTF-8")
            }
            guard seen.insert(word).inserted else {
                throw IOError.corrupt(path: path, offset: wordBytes.startIndex, reason: "\(where_): the word '\(word)' occurs twice")
            }
            words.append(word)
            switch format {
            case .text:
                for k in 0..<d {
                    let field = readField()
                    guard let value = Float(String(decoding: field, as: UTF8.self)), value.isFinite else {
                        throw IOError.malformed(path: path, line: r + 2, column: k + 2,
                                                reason: field.isEmpty ? "expected \(d) values after '\(word)', found \(k)" : "'\(String(decoding: field, as: UTF8.self))' is not a finite number")
                    }
                    storage[r * d + k] = value
                }
                while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0D || bytes[position] == 0x09 { position += 1 }
                if position < bytes.count, bytes[position] != 0x0A {
                    throw IOError.malformed(path: path, line: r + 2, column: d + 2, reason: "more than \(d) values after '\(word)'")
                }
            case .binary:
                position += 1   // the space after the word
                guard position + 4 * d <= bytes.count else {
                    throw IOError.corrupt(path: path, offset: position, reason: "the vector of '\(word)' is cut short (\(d) float32 values expected)")
                }
                for k in 0..<d {
                    var bits: UInt32 = 0
                    for b in 0..<4 { bits |= UInt32(bytes[position + 4 * k + b]) << (8 * UInt32(b)) }
                    let value = Float(bitPattern: bits)
                    guard value.isFinite else {
                        throw IOError.corrupt(path: path, offset: position + 4 * k, reason: "the vector of '\(word)' holds a non-finite value")
                    }
                    storage[r * d + k] = value
                }
                position += 4 * d
            }
        }
        return WordVectors(words: words, vectors: Matrix(rows: rows, columns: d, storage: storage))
    }
}
