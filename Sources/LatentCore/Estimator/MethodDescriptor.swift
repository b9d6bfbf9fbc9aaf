/// A representation-learning method described once: its name, what it computes, its
/// hyperparameters (kind, default, range, help) and how to fit it. Batch files (`method:` and its
/// keys), `latent fit` (its flags and help), model files (`format`), `latent inspect`, `latent
/// batch` and the method listings derive from this one value; the descriptor of a
/// learner lives beside it (`PCA/PCA+Descriptor.swift`, …) and is registered with one line in
/// `MethodRegistry.standard` (LatentExperiments).
///
/// Parameter names are kebab-case (`max-iter`, `batch-size`), the same words as the `latent`
/// subcommands' flags. Defaults are ours and stated once, in the descriptor; where they differ
/// from scikit-learn's, the parameter's help says so and why.
///
/// `fit` runs on a worker thread (possibly several at once), must not print, and reports bad
/// parameters for the data at hand (e.g. more components than features) by throwing.
public struct MethodDescriptor: Sendable {
    /// The name used in batch files and on the command line (`pca`, `kpca`, `dict`, …).
    public let name: String
    /// One line saying what the method computes.
    public let summary: String
    /// Declared hyperparameters; batch files may set only these.
    public let parameters: [ParameterSpec]
    /// Whether `fit` returns models with `reconstruct` (needed by reconstruction evaluations).
    public let canReconstruct: Bool
    /// How fitted models are saved in model files and read back; `nil` when they cannot be
    /// (`latent fit … --save-model` refuses).
    public let format: ModelFormat?
    /// The prefix of output column names (`pc` gives `pc1`, `pc2`, …).
    public let columnPrefix: String
    /// Learns from `x` (n samples × d features, Double) with the resolved `parameters` (every
    /// declared name present, of its declared kind) and the run's `seed`.
    public let fit: @Sendable (_ x: Matrix<Double>, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel
    /// What the method learns from; `.rows` for every method declared with `fit`.
    public let input: MethodInput
    /// Whether the fitted models of a `.corpus` method hold word vectors (word2vec), which the
    /// text evaluations (word similarity, analogies) measure; language models' do not.
    public let givesWordVectors: Bool
    /// For `.corpus` methods: learns from the corpus file with the resolved `parameters` and the
    /// run's `seed`; `nil` for `.rows` methods.
    public let fitCorpus: (@Sendable (_ corpus: CorpusSource, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel)?
    /// Why a whole parameter set is refused when single values pass their ranges (e.g. a final
    /// learning rate above the initial one), or `nil`; batch files apply it to every grid point
    /// when they are read.
    public let checkParameters: (@Sendable (Parameters) -> String?)?

    /// A method declaration. Parameter names must be distinct.
    public init(name: String, summary: String, parameters: [ParameterSpec], canReconstruct: Bool,
                format: ModelFormat? = nil, columnPrefix: String = "z",
                fit: @escaping @Sendable (_ x: Matrix<Double>, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel) {
        self.init(name: name, summary: summary, parameters: parameters, canReconstruct: canReconstruct, format: format,
                  columnPrefix: columnPrefix, fit: fit, input: .rows, givesWordVectors: false, fitCorpus: nil, checkParameters: nil)
    }

    /// A method that learns from a text corpus (`input` is `.corpus`). Its `fit` on rows throws
    /// `EstimatorError.invalidData`; batch files refuse such pairings before anything runs.
    public init(name: String, summary: String, parameters: [ParameterSpec], columnPrefix: String = "z",
                givesWordVectors: Bool = true, checkParameters: (@Sendable (Parameters) -> String?)? = nil,
                fitCorpus: @escaping @Sendable (_ corpus: CorpusSource, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel) {
        self.init(name: name, summary: summary, parameters: parameters, canReconstruct: false, format: nil, columnPrefix: columnPrefix,
                  fit: { _, _, _ in throw EstimatorError.invalidData(method: name, reason: "it learns from a text corpus, not from rows of features") },
                  input: .corpus, givesWordVectors: givesWordVectors, fitCorpus: fitCorpus, checkParameters: checkParameters)
    }

    private init(name: String, summary: String, parameters: [ParameterSpec], canReconstruct: Bool, format: ModelFormat?, columnPrefix: String,
                 fit: @escaping @Sendable (_ x: Matrix<Double>, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel,
                 input: MethodInput, givesWordVectors: Bool,
                 fitCorpus: (@Sendable (_ corpus: CorpusSource, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel)?,
                 checkParameters: (@Sendable (Parameters) -> String?)?) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "MethodDescriptor \(name): duplicate parameter names")
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.canReconstruct = canReconstruct
        self.format = format
        self.columnPrefix = columnPrefix
        self.fit = fit
        self.input = input
        self.givesWordVectors = givesWordVectors
        self.fitCorpus = fitCorpus
        self.checkParameters = checkParameters
    }

    /// The declaration of parameter `name`, if the method has one.
    public func parameter(named name: String) -> ParameterSpec? { parameters.first { $0.name == name } }

    /// Every parameter at its default.
    public var defaults: Parameters {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) })
    }

    /// The default of parameter `name`, for front ends that spell their own options (the CLI's
    /// flags take their defaults from here). Stops (programmer error) for an undeclared name.
    public func defaultValue(_ name: String) -> ParameterValue {
        guard let spec = parameter(named: name) else { preconditionFailure("method \(self.name) has no parameter \(name)") }
        return spec.defaultValue
    }

    /// `given` completed with defaults and converted to the declared kinds.
    /// - Throws: `MethodDescriptor.ResolveError` naming the first unknown or invalid parameter.
    public func resolve(_ given: [String: ParameterValue]) throws -> Parameters {
        var result = defaults
        for name in given.keys.sorted() {
            guard let spec = parameter(named: name) else {
                throw ResolveError(parameter: name, message: unknownParameterMessage(name))
            }
            switch spec.validate(given[name]!) {
            case .success(let v): result[name] = v
            case .failure(let e): throw ResolveError(parameter: name, message: "parameter '\(name)' of method '\(self.name)' \(e)")
            }
        }
        return result
    }

    /// "method 'x' has no parameter 'y'; parameters: a, b".
    public func unknownParameterMessage(_ name: String) -> String {
        let known = parameters.map(\.name).sorted()
        return "method '\(self.name)' has no parameter '\(name)'; parameters: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))"
    }

    /// A parameter that `resolve` refused, with a message naming the method and parameter.
    public struct ResolveError: Error, Equatable, CustomStringConvertible {
        /// The parameter's name.
        public let parameter: String
        /// The whole message.
        public let message: String
        /// The message.
        public var description: String { message }

        /// A refusal of `parameter` with the whole `message`.
        public init(parameter: String, message: String) {
            self.parameter = parameter
            self.message = message
        }
    }
}
