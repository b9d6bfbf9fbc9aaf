import ArgumentParser
import Foundation
import Latent
import LatentExperiments

/// `latent fit METHOD INPUT [--PARAMETER VALUE]…`: any method in `Methods.registry`, with flags,
/// defaults, ranges and help derived from its descriptor — the same parameters, words and
/// defaults as `method: METHOD` in a batch file. The output, model file and summary are those of
/// the method's own subcommand (`FitCommand`); a method registered with one descriptor (and a
/// `ModelFormat`) is fitted, saved, embedded and inspected with no code here.
struct FitMethodCommand: ParsableCommand, FitCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "fit",
            abstract: "Fit any method by name, with the parameters of its batch-file description.",
            discussion: """
            Examples:
              latent fit pca data.csv --components 3 --whiten -o z.csv
              latent fit vae images.npy --code-size 8 --beta 4 -o codes.npy

            The method's parameters follow INPUT, as --name value (--flag or --no-flag for
            true/false). Methods and their parameters (default, range):

            \(methodsHelp(Methods.registry))
            """)
    }

    @Argument(help: ArgumentHelp("The method (see the list below).", valueName: "method"))
    var methodName: String

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Run") var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The method's parameters, after INPUT: --name value.", valueName: "parameters"))
    var parameterArguments: [String] = []

    var method: MethodDescriptor { Methods.registry[methodName]! }

    func validate() throws {
        guard let method = Methods.registry[methodName] else {
            throw ValidationError("unknown method '\(methodName)'; methods: \(Methods.registry.names.joined(separator: ", "))")
        }
        if method.input == .corpus {
            let command = method.name == "word2vec" ? "latent word2vec train" : "latent train \(method.name)"
            throw ValidationError("\(method.name) learns from a text corpus, not rows of features: use `\(command)` or a batch file with a corpus dataset")
        }
        if output.saveModel != nil && method.format == nil {
            throw ValidationError("--save-model: \(method.name) models cannot be saved in a model file (the method has no model format)")
        }
        _ = try parameters(of: method)
    }

    /// The method's parameters: the flags given, converted to their declared kinds and checked
    /// against their ranges, the rest at their defaults.
    func parameters(of method: MethodDescriptor) throws -> Parameters {
        var values = method.defaults
        var rest = parameterArguments[...]
        while let word = rest.popFirst() {
            guard word.hasPrefix("--"), word.count > 2 else {
                throw ValidationError("unexpected '\(word)'; \(method.name)'s parameters are given as --name value after INPUT")
            }
            var name = String(word.dropFirst(2)), text: String?
            if let eq = name.firstIndex(of: "=") { text = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
            var negated = false
            if method.parameter(named: name) == nil, name.hasPrefix("no-"), case .bool? = method.parameter(named: String(name.dropFirst(3)))?.kind {
                name = String(name.dropFirst(3)); negated = true
            }
            guard let spec = method.parameter(named: name) else {
                throw ValidationError("\(method.name) has no parameter --\(name); parameters: \(method.parameters.map { "--" + $0.name }.joined(separator: ", "))")
            }
            let value: ParameterValue
            switch spec.kind {
            case .bool:
                if text == nil, let next = rest.first, ["true", "false"].contains(next) { text = rest.popFirst() }
                guard text == nil || ["true", "false"].contains(text!), !(negated && text != nil) else {
                    throw ValidationError("--\(name) is a flag: give --\(name), --no-\(name) or --\(name) true|false")
                }
                value = .bool(text.map { $0 == "true" } ?? !negated)
            default:
                if text == nil { text = rest.popFirst() }
                guard let text else { throw ValidationError("--\(name) needs a value") }
                switch spec.kind {
                case .int: value = Int(text).map(ParameterValue.int) ?? .string(text)
                case .double: value = Double(text).map(ParameterValue.double) ?? .string(text)
                default: value = .string(text)
                }
            }
            switch spec.validate(value) {
            case .success(let v): values[name] = v
            case .failure(let e): throw ValidationError("--\(name) \(e)")
            }
        }
        if let reason = method.checkParameters?(values) { throw ValidationError(reason) }
        return values
    }

    var recordedOptions: [String: JSONValue] {
        var o = (try? parameters(of: method))?.mapValues(JSONValue.init) ?? [:]
        o["seed"] = .string(String(global.seed))
        return o
    }

    func fit(_ x: Matrix<Double>, progress: Progress) throws -> FittedModel {
        let p = try parameters(of: method)
        return try progress.timed("fitting \(method.name)") { try method.fit(x, p, global.seed) }.0
    }

    func run() throws { try runFit() }

    /// Every rows method (what `latent fit` takes) with its summary and parameters, one line each (`ParameterSpec.usage`).
    static func methodsHelp(_ registry: MethodRegistry) -> String {
        registry.names.filter { registry[$0]!.input == .rows }.map { name in
            let m = registry[name]!
            let lines = m.parameters.map { "    " + $0.usage(flag: "--") }
            return (["  \(name): \(m.summary)\(m.format == nil ? "" : " [--save-model]")"] + lines).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

extension JSONValue {
    /// The JSON form of a parameter value.
    init(_ value: ParameterValue) {
        switch value {
        case let .int(i): self = .int(i)
        case let .double(x): self = .number(x)
        case let .bool(b): self = .bool(b)
        case let .string(s): self = .string(s)
        }
    }
}
