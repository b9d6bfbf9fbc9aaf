import Foundation
import LatentIO

/// Agreement of cosine similarities with human similarity judgements (WordSim-353, SimLex-999),
/// computed as gensim's `KeyedVectors.evaluate_word_pairs`: pairs with a word outside the
/// vocabulary are left out and counted.
public struct WordPairEvaluation: Sendable, Equatable {
    /// Spearman's ρ over the pairs in vocabulary (nil when fewer than two or constant).
    public let spearman: Double?
    /// Pearson's r over the same pairs.
    public let pearson: Double?
    /// Pairs read from the file.
    public let pairs: Int
    /// Pairs left out because a word has no vector (among the first `restrictTo` words).
    public let outOfVocabulary: Int

    /// The share of pairs out of vocabulary, 0…1.
    public var outOfVocabularyRatio: Double { pairs == 0 ? 0 : Double(outOfVocabulary) / Double(pairs) }

    /// Evaluates `vectors` on a tab-separated file of `word1 word2 score` lines (`#` lines are comments).
    /// With `caseInsensitive`, words match in any case, the most frequent casing winning (gensim's
    /// default); only the first `restrictTo` words are looked at.
    /// - Throws: `IOError` for an unreadable file or a line without two words and a finite score.
    public init(vectors: WordVectors, pairsFile url: URL, restrictTo: Int = 300_000, caseInsensitive: Bool = true) throws {
        let lookup = VocabularyLookup(vectors: vectors, restrictTo: restrictTo, caseInsensitive: caseInsensitive)
        var human: [Double] = [], model: [Double] = []
        let pairs = try Self.pairs(in: url)
        var oov = 0
        for pair in pairs {
            guard let a = lookup.id(pair.first), let b = lookup.id(pair.second) else { oov += 1; continue }
            human.append(pair.score)
            model.append(vectors.similarity(vectors.words[a], vectors.words[b])!)
        }
        self.pairs = pairs.count
        outOfVocabulary = oov
        spearman = RankCorrelation.spearman(human, model)
        pearson = RankCorrelation.pearson(human, model)
    }
}

extension WordPairEvaluation {
    /// The pairs of a tab-separated `word1 word2 score` file (`#` lines and blank lines skipped),
    /// in file order; reading them checks the whole file.
    /// - Throws: `IOError` for an unreadable file, bad UTF-8 or a line without two words and a
    ///   finite score (naming the line).
    public static func pairs(in url: URL) throws -> [(first: String, second: String, score: Double)] {
        var result: [(first: String, second: String, score: Double)] = []
        for (number, line) in try EvaluationFile.lines(url) {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty, let score = Double(fields[2]), score.isFinite else {
                throw IOError.malformed(path: url.path, line: number, column: 1, reason: "expected 'word1<TAB>word2<TAB>score'")
            }
            result.append((fields[0], fields[1], score))
        }
        return result
    }
}

/// Word lookup among the first `restrictTo` rows, optionally case-insensitive (gensim's `ok_vocab`).
struct VocabularyLookup {
    let ids: [String: Int]
    let caseInsensitive: Bool

    init(vectors: WordVectors, restrictTo: Int, caseInsensitive: Bool) {
        let limit = min(restrictTo, vectors.count)
        var ids = [String: Int](minimumCapacity: limit)
        // Reversed, so that the most frequent spelling of a case-folded word wins.
        for i in stride(from: limit - 1, through: 0, by: -1) {
            ids[caseInsensitive ? vectors.words[i].uppercased() : vectors.words[i]] = i
        }
        self.ids = ids
        self.caseInsensitive = caseInsensitive
    }

    func id(_ word: String) -> Int? { ids[caseInsensitive ? word.uppercased() : word] }
}

enum EvaluationFile {
    /// The lines of a UTF-8 text file with their 1-based numbers.
    static func lines(_ url: URL) throws -> [(Int, String)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw IOError.cannotRead(path: url.path, reason: error.localizedDescription) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw IOError.malformed(path: url.path, line: 1, column: 1, reason: "the file is not valid UTF-8")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset + 1, String($0.element)) }
    }
}
