import Foundation
import LatentCore
import LatentEval

/// A measurement taken on every fitted model of a batch, named in the batch file's `evaluations`.
/// Its metrics are stored with the run under the names `evaluate` returns.
public struct EvaluationSpec: Sendable {
    /// What an evaluation needs from the method or the dataset; checked before anything runs.
    public enum Requirement: Hashable, Sendable {
        /// The method can reconstruct its input (`MethodDescriptor.canReconstruct`).
        case reconstruction
        /// The dataset has labels (`label-column`).
        case labels
        /// The dataset carries its generative factors (`Dataset.groundTruth`: built-in `dsprites`).
        case groundTruth
        /// The dataset is a text corpus and the model holds word vectors (`word2vec`). Evaluations
        /// without it take rows of features and are refused on corpus datasets.
        case corpus
    }

    /// The files an evaluation reads besides the model (word pairs, analogy questions): those it
    /// reads when the batch names none, whether it takes several, and a check of one file's
    /// whole content, run when the batch file is read.
    public struct FileInput: Sendable {
        /// Absolute paths read when the batch file names no files.
        public let defaults: [String]
        /// Whether more than one file may be named.
        public let allowsSeveral: Bool
        /// Throws (naming the file and line) when a file's content is unusable.
        public let check: @Sendable (URL) throws -> Void

        /// A file input declaration.
        public init(defaults: [String], allowsSeveral: Bool, check: @escaping @Sendable (URL) throws -> Void) {
            self.defaults = defaults
            self.allowsSeveral = allowsSeveral
            self.check = check
        }
    }

    /// The name used in batch files.
    public let name: String
    /// One line saying what is measured.
    public let summary: String
    /// What the method and dataset must provide.
    public let requirements: Set<Requirement>
    /// Metrics of `model` on `dataset` (name → value); an evaluation with `files` reads its defaults.
    public let evaluate: @Sendable (_ dataset: Dataset, _ model: FittedModel) throws -> [String: Double]
    /// The files the evaluation reads, `nil` when it reads none.
    public let files: FileInput?
    /// For evaluations with `files`: the metrics with the files a batch names (absolute paths).
    public let evaluateFiles: (@Sendable (_ dataset: Dataset, _ model: FittedModel, _ files: [String]) throws -> [String: Double])?

    /// An evaluation declaration.
    public init(name: String, summary: String, requirements: Set<Requirement>,
                evaluate: @escaping @Sendable (_ dataset: Dataset, _ model: FittedModel) throws -> [String: Double]) {
        self.name = name
        self.summary = summary
        self.requirements = requirements
        self.evaluate = evaluate
        self.files = nil
        self.evaluateFiles = nil
    }

    /// An evaluation that reads files (`- name: FILE` or `- name: [FILE, …]` in a batch file;
    /// `files.defaults` when only its name is given).
    public init(name: String, summary: String, requirements: Set<Requirement>, files: FileInput,
                evaluate: @escaping @Sendable (_ dataset: Dataset, _ model: FittedModel, _ files: [String]) throws -> [String: Double]) {
        self.name = name
        self.summary = summary
        self.requirements = requirements
        self.files = files
        self.evaluateFiles = evaluate
        self.evaluate = { dataset, model in try evaluate(dataset, model, files.defaults) }
    }

    /// Metrics of `model` on `dataset`, reading `files` (absolute paths) when given and the
    /// evaluation reads files.
    public func evaluate(_ dataset: Dataset, _ model: FittedModel, files: [String]?) throws -> [String: Double] {
        if let files, let evaluateFiles { return try evaluateFiles(dataset, model, files) }
        return try evaluate(dataset, model)
    }
}

/// The evaluations a batch file may name.
///
/// `standard` has `reconstruction-error`, `explained-variance`, `fewshot`, `disentanglement`,
/// `word-similarity` and `analogies`. Other evaluations
/// plug in with `register` (label-based ones with `requirements: [.labels]`).
public struct EvaluationRegistry: Sendable {
    /// Evaluations by name.
    public private(set) var evaluations: [String: EvaluationSpec]

    /// A registry holding `evaluations`.
    public init(_ evaluations: [EvaluationSpec] = []) {
        self.evaluations = [:]
        for e in evaluations { register(e) }
    }

    /// Adds `evaluation`, replacing any of the same name.
    public mutating func register(_ evaluation: EvaluationSpec) { evaluations[evaluation.name] = evaluation }

    /// The evaluation called `name`, if registered.
    public subscript(name: String) -> EvaluationSpec? { evaluations[name] }

    /// Registered names, sorted.
    public var names: [String] { evaluations.keys.sorted() }

    /// `reconstruction-error`, `explained-variance`, `fewshot` and `disentanglement`, and for
    /// corpus runs `word-similarity` and `analogies`.
    public static let standard = EvaluationRegistry([reconstructionError, explainedVariance, fewShot, disentanglement,
                                                     TextEvaluations.wordSimilarity, TextEvaluations.analogies])

    /// `fewshot`: few-shot accuracy by the protocol of `FewShotEvaluation` (nearest class mean of
    /// centred, L2-normalised features; 20 episodes, episode seed 0 so every run of a batch sees the
    /// same episodes; shot counts larger than the smallest class's pool are left out). The dataset is split once, stratified and seeded, into a support pool (80%,
    /// where the n labelled examples per class come from) and queries (20%); the model was fitted
    /// on all rows without labels. Metrics `fewshot-<n>` and `fewshot-<n>-ci95` for n = 1, 2, 4, 8,
    /// accuracy as a fraction. - Complexity: one transform plus 80 GEMMs of queries × classes.
    public static let fewShot = EvaluationSpec(
        name: "fewshot", summary: "few-shot accuracy (n = 1, 2, 4, 8; nearest class mean) on a seeded 80/20 split",
        requirements: [.labels]
    ) { data, model in
        guard let labels = data.labels else { return [:] }
        let z = try model.transform(data.features)
        var pool = [Int](), queries = [Int]()
        var smallestPool = Int.max
        var rng = Xoshiro256StarStar(seed: 0)
        for label in Set(labels).sorted() {
            var rows = labels.indices.filter { labels[$0] == label }
            rng.shuffle(&rows)
            let cut = Swift.max(1, rows.count * 4 / 5)
            pool += rows[..<cut]
            queries += rows[cut...]
            smallestPool = Swift.min(smallestPool, cut)
        }
        // Shot counts that every class's pool can supply.
        let shots = [1, 2, 4, 8].filter { $0 <= smallestPool }
        guard !queries.isEmpty else {
            throw EstimatorError.invalidData(method: "fewshot", reason: "too few labelled rows for a query set")
        }
        let results = try FewShotEvaluation(shots: shots, episodes: 20, seed: 0).evaluate(
            trainFeatures: z.rows(at: pool), trainLabels: pool.map { labels[$0] },
            testFeatures: z.rows(at: queries), testLabels: queries.map { labels[$0] })
        var metrics: [String: Double] = [:]
        for r in results {
            metrics["fewshot-\(r.shots)"] = r.meanAccuracy
            metrics["fewshot-\(r.shots)-ci95"] = r.ci95
        }
        return metrics
    }

    /// `reconstruction-error`: the mean squared error `‖X − X̂‖²_F / (n·d)` of the model's
    /// reconstruction of the dataset. - Complexity: one transform and reconstruction, plus O(n·d).
    public static let reconstructionError = EvaluationSpec(
        name: "reconstruction-error", summary: "mean squared error of the reconstruction, ‖X − X̂‖²/(n·d)",
        requirements: [.reconstruction]
    ) { data, model in
        let x = data.features
        let sse = try squaredError(x, model)
        return ["reconstruction-error": sse / Double(Swift.max(1, x.count))]
    }

    /// `explained-variance`: `1 − ‖X − X̂‖²_F / ‖X − x̄‖²_F`, the fraction of the total variance the
    /// reconstruction keeps (for PCA with k components: the sum of the first k explained variance
    /// ratios). - Complexity: one transform and reconstruction, plus O(n·d).
    public static let explainedVariance = EvaluationSpec(
        name: "explained-variance", summary: "fraction of total variance kept, 1 − ‖X − X̂‖²/‖X − x̄‖²",
        requirements: [.reconstruction]
    ) { data, model in
        let x = data.features
        let sse = try squaredError(x, model)
        let total = x.centered().centered.storage.reduce(0) { $0 + $1 * $1 }
        guard total > 0 else { throw EstimatorError.invalidData(method: "explained-variance", reason: "the data has zero variance") }
        return ["explained-variance": 1 - sse / total]
    }

    /// `‖X − X̂‖²_F` for the model's reconstruction.
    static func squaredError(_ x: Matrix<Double>, _ model: FittedModel) throws -> Double {
        guard let reconstruct = model.reconstruct else { throw EstimatorError.invalidData(method: "reconstruction", reason: "the fitted model cannot reconstruct its input") }
        let xHat = try reconstruct(x)
        precondition(xHat.rows == x.rows && xHat.columns == x.columns,
                     "reconstruction \(xHat.shapeDescription) for data \(x.shapeDescription)")
        return x.storage.withUnsafeBufferPointer { a in
            xHat.storage.withUnsafeBufferPointer { b in
                var total = 0.0
                for i in 0..<a.count { let e = a[i] - b[i]; total += e * e }
                return total
            }
        }
    }
}
