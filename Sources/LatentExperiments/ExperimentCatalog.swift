import LatentCore

/// Everything a batch file may name: methods, evaluations and data sources. Batch files are
/// checked against a catalog before anything runs.
public struct ExperimentCatalog: Sendable {
    /// Methods by name.
    public var methods: MethodRegistry
    /// Evaluations by name.
    public var evaluations: EvaluationRegistry
    /// File formats and built-in datasets.
    public var datasets: DatasetRegistry
    /// The methods a batch marked `distributed: true` may name, each with a check of a grid point
    /// (`nil` when the point can run distributed, otherwise why not). Empty here: a distributed fit
    /// needs MPI, which this module does not link; `latent batch` registers the methods it fits
    /// over MPI ranks (`pca`) together with the fitter that runs them.
    public var distributedMethods: [String: @Sendable (Parameters) -> String?] = [:]

    /// A catalog of the given registries.
    public init(methods: MethodRegistry = .standard, evaluations: EvaluationRegistry = .standard,
                datasets: DatasetRegistry = .standard) {
        self.methods = methods
        self.evaluations = evaluations
        self.datasets = datasets
    }

    /// The standard registries of this module.
    public static let standard = ExperimentCatalog()

    /// The evaluations a run of `method` on `dataset` gets when the batch file names none: every
    /// registered evaluation whose requirements they meet, sorted by name; on a corpus dataset
    /// (`isCorpus`) exactly the corpus evaluations.
    public func defaultEvaluations(for method: MethodDescriptor, hasLabels: Bool, hasGroundTruth: Bool = false,
                                   isCorpus: Bool = false) -> [String] {
        evaluations.names.filter { name in
            let e = evaluations[name]!
            return (!e.requirements.contains(.reconstruction) || method.canReconstruct)
                && (!e.requirements.contains(.labels) || hasLabels)
                && (!e.requirements.contains(.groundTruth) || hasGroundTruth)
                && e.requirements.contains(.corpus) == isCorpus
                && (!e.requirements.contains(.corpus) || method.givesWordVectors)
        }
    }
}
