import LatentCore

/// A measurement taken on every fitted model of a batch, named in the batch file's `evaluations`.
/// Its metrics are stored with the run under the names `evaluate` returns.
public struct EvaluationSpec: Sendable {
    /// What an evaluation needs from the method or the dataset; checked before anything runs.
    public enum Requirement: Hashable, Sendable {
        /// The method can reconstruct its input (`MethodSpec.canReconstruct`).
        case reconstruction
        /// The dataset has labels (`label-column`).
        case labels
    }

    /// The name used in batch files.
    public let name: String
    /// One line saying what is measured.
    public let summary: String
    /// What the method and dataset must provide.
    public let requirements: Set<Requirement>
    /// Metrics of `model` on `dataset` (name → value).
    public let evaluate: @Sendable (_ dataset: Dataset, _ model: FittedModel) throws -> [String: Double]

    /// An evaluation declaration.
    public init(name: String, summary: String, requirements: Set<Requirement>,
                evaluate: @escaping @Sendable (_ dataset: Dataset, _ model: FittedModel) throws -> [String: Double]) {
        self.name = name
        self.summary = summary
        self.requirements = requirements
        self.evaluate = evaluate
    }
}

/// The evaluations a batch file may name.
///
/// `standard` has `reconstruction-error` and `explained-variance`. Label-based evaluations
/// (few-shot accuracy, linear probes) plug in with `register` and `requirements: [.labels]`.
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

    /// `reconstruction-error` and `explained-variance`.
    public static let standard = EvaluationRegistry([reconstructionError, explainedVariance])

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
        guard total > 0 else { throw EvaluationError.degenerate(evaluation: "explained-variance", reason: "the data has zero variance") }
        return ["explained-variance": 1 - sse / total]
    }

    /// `‖X − X̂‖²_F` for the model's reconstruction.
    static func squaredError(_ x: Matrix<Double>, _ model: FittedModel) throws -> Double {
        guard let reconstruct = model.reconstruct else { throw EvaluationError.cannotReconstruct }
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

/// An evaluation that could not be computed.
public enum EvaluationError: Error, Equatable, CustomStringConvertible {
    /// The model has no reconstruction (the batch parser normally rejects this before running).
    case cannotReconstruct
    /// The data makes the metric undefined.
    case degenerate(evaluation: String, reason: String)

    /// The reason, for messages and the run store.
    public var description: String {
        switch self {
        case .cannotReconstruct: return "the fitted model cannot reconstruct its input"
        case let .degenerate(evaluation, reason): return "\(evaluation): \(reason)"
        }
    }
}
