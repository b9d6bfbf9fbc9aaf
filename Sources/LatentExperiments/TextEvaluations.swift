import Foundation
import LatentCore
import LatentIO
import LatentModels
import LatentText

/// The evaluations of corpus runs (word vectors): `word-similarity` and `analogies`, as
/// `latent word2vec evaluate` computes them (gensim's `evaluate_word_pairs` and
/// `evaluate_word_analogies`: case-insensitive, the 300000 most frequent words).
///
/// ```yaml
/// evaluations:
///   - word-similarity                          # WordSim-353 and SimLex-999 from defaultFolder
///   - analogies: my-questions.txt              # or name the file(s), relative to the batch file
/// ```
public enum TextEvaluations {
    /// Where the default evaluation files are: `$LATENT_TEXT_DATA` when set, else the project's
    /// shared data folder `/work/shared/data/text`.
    public static let defaultFolder: String = ProcessInfo.processInfo.environment["LATENT_TEXT_DATA"] ?? "/work/shared/data/text"

    /// `word-similarity`: Spearman's ρ between cosine similarities and human scores for each
    /// word-pair file (tab-separated `word1 word2 score`), and the share of pairs left out because
    /// a word has no vector. Metrics `<file>-spearman` and `<file>-oov` (the file's name without
    /// extension, e.g. `wordsim353-spearman`); ρ is left out when fewer than two pairs are in
    /// vocabulary. Default files: `wordsim353.tsv` and `simlex999.txt`.
    /// - Complexity: O(pairs · dimension) per file.
    public static let wordSimilarity = EvaluationSpec(
        name: "word-similarity", summary: "Spearman ρ of cosine similarities with human scores (WordSim-353, SimLex-999) and the share of pairs out of vocabulary",
        requirements: [.corpus],
        files: .init(defaults: ["wordsim353.tsv", "simlex999.txt"].map { defaultFolder + "/" + $0 }, allowsSeveral: true,
                     check: { _ = try WordPairEvaluation.pairs(in: $0) })
    ) { _, model, files in
        let vectors = try wordVectors(of: model, evaluation: "word-similarity")
        var metrics: [String: Double] = [:]
        for file in files {
            let e = try WordPairEvaluation(vectors: vectors, pairsFile: URL(fileURLWithPath: file))
            let prefix = metricName(fileStem(file))
            if let rho = e.spearman { metrics["\(prefix)-spearman"] = rho }
            metrics["\(prefix)-oov"] = e.outOfVocabularyRatio
        }
        return metrics
    }

    /// `analogies`: accuracy on analogy questions by 3CosAdd (Mikolov et al. 2013's Google file,
    /// `questions-words.txt`, by default): `analogies-accuracy` over all questions attempted,
    /// `analogies-oov` the share skipped for out-of-vocabulary words, and
    /// `analogies-<section>` the accuracy of each section with a question attempted.
    /// - Complexity: O(questions · min(300000, V) · dimension).
    public static let analogies = EvaluationSpec(
        name: "analogies", summary: "accuracy on analogy questions (3CosAdd; Google's questions-words.txt), overall and per section",
        requirements: [.corpus],
        files: .init(defaults: [defaultFolder + "/questions-words.txt"], allowsSeveral: false,
                     check: { _ = try AnalogyEvaluation.questions(in: $0) })
    ) { _, model, files in
        let vectors = try wordVectors(of: model, evaluation: "analogies")
        let e = try AnalogyEvaluation(vectors: vectors, questionsFile: URL(fileURLWithPath: files[0]))
        let total = e.total
        var metrics = ["analogies-oov": total.attempted + total.skipped == 0 ? 0 : Double(total.skipped) / Double(total.attempted + total.skipped)]
        if let accuracy = total.accuracy { metrics["analogies-accuracy"] = accuracy }
        for section in e.sections {
            if let accuracy = section.accuracy { metrics["analogies-\(metricName(section.name))"] = accuracy }
        }
        return metrics
    }

    /// The word vectors a corpus method's fitted model holds (`Word2VecModel` or `WordVectors` as its state).
    static func wordVectors(of model: FittedModel, evaluation: String) throws -> WordVectors {
        switch model.state {
        case let m as Word2VecModel: return m.vectors
        case let v as WordVectors: return v
        default: throw EstimatorError.invalidData(method: evaluation, reason: "the fitted model holds no word vectors")
        }
    }

    /// A file's name without folder and extension (`/data/WordSim353.tsv` → `WordSim353`).
    static func fileStem(_ path: String) -> String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }

    /// A name as a metric name: lower case, each run of characters other than letters and digits
    /// as one `-` (`WordSim353` → `wordsim353`, `gram1-adjective-to-adverb` unchanged).
    static func metricName(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isLetter || c.isNumber { out.append(c) } else if !out.isEmpty && out.last != "-" { out.append("-") }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty ? "file" : out
    }
}
