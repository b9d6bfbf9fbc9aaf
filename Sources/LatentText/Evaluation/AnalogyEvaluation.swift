import Foundation
import LatentIO

/// Accuracy on analogy questions "a b c d" (a is to b as c is to d; Mikolov et al. 2013's Google
/// file, sections introduced by `: name` lines), computed as gensim's
/// `KeyedVectors.evaluate_word_analogies`: questions with a word outside the first `restrictTo`
/// words are skipped; the answer is the best candidate other than a, b and c.
public struct AnalogyEvaluation: Sendable, Equatable {
    /// One section's counts.
    public struct Section: Sendable, Equatable {
        public let name: String
        /// Questions answered correctly.
        public let correct: Int
        /// Questions attempted (all words in vocabulary).
        public let attempted: Int
        /// Questions skipped for out-of-vocabulary words.
        public let skipped: Int
        /// `correct / attempted`, nil when nothing was attempted.
        public var accuracy: Double? { attempted == 0 ? nil : Double(correct) / Double(attempted) }
    }

    /// The sections in file order.
    public let sections: [Section]
    /// All sections together.
    public var total: Section {
        Section(name: "total", correct: sections.reduce(0) { $0 + $1.correct },
                attempted: sections.reduce(0) { $0 + $1.attempted }, skipped: sections.reduce(0) { $0 + $1.skipped })
    }

    /// Answers every question in `url` with `method` among the first `restrictTo` words
    /// (case-insensitive as gensim by default).
    /// - Throws: `IOError` for an unreadable file or a question line without four words.
    /// - Complexity: O(questions · restrictTo · dimension).
    public init(vectors: WordVectors, questionsFile url: URL, method: AnalogyMethod = .add,
                restrictTo: Int = 300_000, caseInsensitive: Bool = true) throws {
        let lookup = VocabularyLookup(vectors: vectors, restrictTo: restrictTo, caseInsensitive: caseInsensitive)
        var sections: [Section] = []
        var name: String?
        var correct = 0, attempted = 0, skipped = 0
        func close() {
            if let name { sections.append(Section(name: name, correct: correct, attempted: attempted, skipped: skipped)) }
            correct = 0; attempted = 0; skipped = 0
        }
        for question in try Self.questions(in: url) {
            if question.section != name {
                close()
                name = question.section
            }
            let words = question.words
            guard let a = lookup.id(words[0]), let b = lookup.id(words[1]), let c = lookup.id(words[2]), let d = lookup.id(words[3]) else {
                skipped += 1
                continue
            }
            attempted += 1
            let answer = vectors.mostSimilar(positive: [vectors.words[b], vectors.words[c]], negative: [vectors.words[a]],
                                             count: 1, method: method, restrictTo: restrictTo)
            if let first = answer?.first, vectors.id(of: first.word) == d { correct += 1 }
        }
        close()
        self.sections = sections
    }
}

extension AnalogyEvaluation {
    /// The questions of an analogy file (`: section` lines start sections; questions before the
    /// first are in `(no section)`; blank lines skipped), in file order; reading them checks the whole file.
    /// - Throws: `IOError` for an unreadable file, bad UTF-8 or a question line without four
    ///   words (naming the line).
    public static func questions(in url: URL) throws -> [(section: String, words: [String])] {
        var result: [(section: String, words: [String])] = []
        var section = "(no section)"
        for (number, line) in try EvaluationFile.lines(url) {
            if line.allSatisfy(\.isWhitespace) { continue }
            if line.hasPrefix(":") {
                section = line.dropFirst().trimmingCharacters(in: .whitespaces)
                continue
            }
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.count == 4 else {
                throw IOError.malformed(path: url.path, line: number, column: 1, reason: "expected four words, found \(words.count)")
            }
            result.append((section, words))
        }
        return result
    }
}
