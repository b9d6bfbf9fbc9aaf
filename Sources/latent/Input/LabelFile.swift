import Foundation
import Latent

/// Integer labels from a file beside the data: `.npy`, IDX (`.idx`, `*-ubyte`, `.gz`), or text
/// with one label per line. Read for `--labels`, `--train-labels` and `--test-labels` (`DataFileOptions.load`).
enum LabelFile {
    static func read(_ path: String) throws -> [Int] {
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") { return try NPY.decodeIntegers(InputOptions.read(path), path: path) }
        if lower.hasSuffix(".idx") || lower.hasSuffix("-ubyte") || lower.hasSuffix(".gz") {
            return try IDX.decodeLabels(InputOptions.read(path), path: path)
        }
        let text = String(decoding: try InputOptions.read(path), as: UTF8.self)
        var labels = [Int]()
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let field = String(line).trimmingCharacters(in: .whitespaces)
            if field.isEmpty { continue }
            guard let value = Int(field) else {
                throw IOError.malformed(path: path, line: number + 1, column: 1, reason: "\"\(field)\" is not an integer label")
            }
            labels.append(value)
        }
        return labels
    }
}
