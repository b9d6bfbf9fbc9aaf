/// A representation-learning method as batch files see it: a name, declared hyperparameters and
/// a `fit` function that learns from a dataset and returns a `FittedModel` for the evaluations.
///
/// `fit` runs on a worker thread (possibly several at once with `--jobs`), must not print, and
/// reports bad parameters for the data at hand (e.g. more components than features) by throwing;
/// the run is then recorded as failed with the error's text and the batch goes on.
public struct MethodSpec: Sendable {
    /// The name used in batch files (`truncated-svd`, `pca`, …).
    public let name: String
    /// One line saying what the method computes.
    public let summary: String
    /// Declared hyperparameters; batch files may set only these.
    public let parameters: [ParameterSpec]
    /// Whether `fit` returns models with `reconstruct` (needed by reconstruction evaluations).
    public let canReconstruct: Bool
    /// Learns from `dataset` with the resolved `parameters` (every declared name present, of its
    /// declared kind) and the run's `seed`.
    public let fit: @Sendable (_ dataset: Dataset, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel

    /// A method declaration. Parameter names must be distinct.
    public init(name: String, summary: String, parameters: [ParameterSpec], canReconstruct: Bool,
                fit: @escaping @Sendable (_ dataset: Dataset, _ parameters: Parameters, _ seed: UInt64) throws -> FittedModel) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "MethodSpec \(name): duplicate parameter names")
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.canReconstruct = canReconstruct
        self.fit = fit
    }

    /// The declaration of parameter `name`, if the method has one.
    public func parameter(named name: String) -> ParameterSpec? { parameters.first { $0.name == name } }

    /// Every parameter at its default.
    public var defaults: Parameters {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) })
    }

    /// `given` completed with defaults and converted to the declared kinds.
    /// - Throws: `MethodSpec.ResolveError` naming the first unknown or invalid parameter.
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
    func unknownParameterMessage(_ name: String) -> String {
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
    }
}
