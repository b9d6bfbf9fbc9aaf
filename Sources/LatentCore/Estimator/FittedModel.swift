/// What a method produced on one run, in the form the evaluations use: a map from samples to
/// representations, optionally a map back to the input space, the method's own metrics (e.g. its
/// fit report) and named matrices worth saving (components, dictionary atoms, …).
///
/// Any fitted transformer converts with one call: `FittedModel(pcaModel)`. A method's
/// `MethodDescriptor.fit` returns one; a method with a `ModelFormat` saves its `state` in model
/// files and reads it back into the same `FittedModel`.
public struct FittedModel: Sendable {
    /// Number of input features `transform` takes; `nil` when the model does not say.
    public let inputFeatures: Int?
    /// Number of output features of `transform`.
    public let outputFeatures: Int
    /// Representations of the rows of `x` (n × d → n × outputFeatures).
    public let transform: @Sendable (Matrix<Double>) throws -> Matrix<Double>
    /// Reconstructions `x̂` of the rows of `x` (n × d → n × d): decode(encode(x)); `nil` when the
    /// method cannot map back.
    public let reconstruct: (@Sendable (Matrix<Double>) throws -> Matrix<Double>)?
    /// Metrics the method reports itself (iterations, final objective, …), stored with the run.
    public let metrics: [String: Double]
    /// Matrices to save as run artifacts when the batch asks for them (name → matrix).
    public let artifacts: [String: Matrix<Double>]
    /// What the model is (shapes aside), for `latent inspect` and a fit's summary.
    public let description: ModelDescription
    /// The learner's own fitted model (e.g. a `PCAModel<Double>`), which a `ModelFormat` saves;
    /// `nil` for models built from closures alone.
    public let state: (any Sendable)?

    /// A fitted model from closures.
    public init(inputFeatures: Int? = nil, outputFeatures: Int,
                transform: @escaping @Sendable (Matrix<Double>) throws -> Matrix<Double>,
                reconstruct: (@Sendable (Matrix<Double>) throws -> Matrix<Double>)? = nil,
                metrics: [String: Double] = [:], artifacts: [String: Matrix<Double>] = [:],
                description: ModelDescription = ModelDescription(), state: (any Sendable)? = nil) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        self.transform = transform
        self.reconstruct = reconstruct
        self.metrics = metrics
        self.artifacts = artifacts
        self.description = description
        self.state = state
    }

    /// A `transform` that looks up rows of `table` by id: an n × 1 column of ids in
    /// `0..<table.rows` → their n × `table.columns` rows (word2vec's word vectors, a language
    /// model's token embedding). Stops (programmer error) for more than one column; throws
    /// `EstimatorError.invalidData` naming `method`, the row and `what` for an id out of range.
    public static func rowLookup(_ table: Matrix<Double>, method: String,
                                 what: String) -> @Sendable (Matrix<Double>) throws -> Matrix<Double> {
        { ids in
            precondition(ids.columns == 1, "\(method) transform: \(what)s must be an n × 1 column, got \(ids.shapeDescription)")
            let rows = try (0..<ids.rows).map { i -> Int in
                let id = ids[i, 0]
                guard id == id.rounded(), id >= 0, id < Double(table.rows) else {
                    throw EstimatorError.invalidData(method: method, reason: "row \(i + 1): \(id) is not a \(what) in 0..<\(table.rows)")
                }
                return Int(id)
            }
            return table.rows(at: rows)
        }
    }

    /// Wraps a fitted transformer that can map back (`inverseTransform(transform(x))` reconstructs).
    /// - Parameter report: an iterative fit's report, recorded as the metrics `fit-iterations`,
    ///   `fit-converged` (1 or 0) and `fit-final-change`.
    /// The model itself is the `state` a `ModelFormat` saves.
    public init<M: InvertibleTransformer>(_ model: M, report: FitReport? = nil, metrics: [String: Double] = [:],
                                          artifacts: [String: Matrix<Double>] = [:],
                                          description: ModelDescription = ModelDescription()) where M.Scalar == Double {
        self.init(inputFeatures: model.inputFeatures, outputFeatures: model.outputFeatures,
                  transform: { try model.transform($0) },
                  reconstruct: { try model.inverseTransform(model.transform($0)) },
                  metrics: metrics.merging(FittedModel.metrics(of: report)) { a, _ in a }, artifacts: artifacts,
                  description: description, state: model)
    }

    /// Wraps a fitted transformer that cannot map back (no reconstruction evaluations).
    public init<M: FittedTransformer>(_ model: M, report: FitReport? = nil, metrics: [String: Double] = [:],
                                      artifacts: [String: Matrix<Double>] = [:],
                                      description: ModelDescription = ModelDescription()) where M.Scalar == Double {
        self.init(inputFeatures: model.inputFeatures, outputFeatures: model.outputFeatures, transform: { try model.transform($0) },
                  reconstruct: nil, metrics: metrics.merging(FittedModel.metrics(of: report)) { a, _ in a }, artifacts: artifacts,
                  description: description, state: model)
    }

    /// `fit-iterations`, `fit-converged` (1/0) and `fit-final-change` from a fit report (empty for `nil`).
    public static func metrics(of report: FitReport?) -> [String: Double] {
        guard let report else { return [:] }
        var m: [String: Double] = ["fit-iterations": Double(report.iterations), "fit-converged": report.converged ? 1 : 0]
        if report.finalChange.isFinite { m["fit-final-change"] = report.finalChange }
        if let last = report.objective.last, last.isFinite { m["fit-objective"] = last }
        return m
    }
}
