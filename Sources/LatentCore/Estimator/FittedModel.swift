/// What a method produced on one run, in the form the evaluations use: a map from samples to
/// representations, optionally a map back to the input space, the method's own metrics (e.g. its
/// fit report) and named matrices worth saving (components, dictionary atoms, …).
///
/// Any fitted transformer converts with one call: `FittedModel(pcaModel)`. A method's
/// `MethodDescriptor.fit` returns one.
public struct FittedModel: Sendable {
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

    /// A fitted model from closures.
    public init(outputFeatures: Int,
                transform: @escaping @Sendable (Matrix<Double>) throws -> Matrix<Double>,
                reconstruct: (@Sendable (Matrix<Double>) throws -> Matrix<Double>)? = nil,
                metrics: [String: Double] = [:], artifacts: [String: Matrix<Double>] = [:]) {
        self.outputFeatures = outputFeatures
        self.transform = transform
        self.reconstruct = reconstruct
        self.metrics = metrics
        self.artifacts = artifacts
    }

    /// Wraps a fitted transformer that can map back (`inverseTransform(transform(x))` reconstructs).
    /// - Parameter report: an iterative fit's report, recorded as the metrics `fit-iterations`,
    ///   `fit-converged` (1 or 0) and `fit-final-change`.
    public init<M: InvertibleTransformer>(_ model: M, report: FitReport? = nil, metrics: [String: Double] = [:],
                                          artifacts: [String: Matrix<Double>] = [:]) where M.Scalar == Double {
        self.init(outputFeatures: model.outputFeatures,
                  transform: { try model.transform($0) },
                  reconstruct: { try model.inverseTransform(model.transform($0)) },
                  metrics: metrics.merging(FittedModel.metrics(of: report)) { a, _ in a }, artifacts: artifacts)
    }

    /// Wraps a fitted transformer that cannot map back (no reconstruction evaluations).
    public init<M: FittedTransformer>(_ model: M, report: FitReport? = nil, metrics: [String: Double] = [:],
                                      artifacts: [String: Matrix<Double>] = [:]) where M.Scalar == Double {
        self.init(outputFeatures: model.outputFeatures, transform: { try model.transform($0) }, reconstruct: nil,
                  metrics: metrics.merging(FittedModel.metrics(of: report)) { a, _ in a }, artifacts: artifacts)
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
