/// A method's declaration of one hyperparameter: its name, kind (with the allowed range or
/// choices), default value and a one-line help text. Batch files are checked against these
/// declarations before anything runs.
public struct ParameterSpec: Sendable {
    /// What values a parameter takes.
    public enum Kind: Sendable, Equatable {
        /// A whole number in `min...max` (either bound optional).
        case int(min: Int?, max: Int?)
        /// A real number in `min...max` (either bound optional); YAML integers are accepted.
        case double(min: Double?, max: Double?)
        /// `true` or `false`.
        case bool
        /// One of `choices`, or any text when `choices` is empty.
        case string(choices: [String])
    }

    /// The name used in batch files (`components`, `whiten`, `solver`).
    public let name: String
    /// The kind and allowed values.
    public let kind: Kind
    /// The value used when a batch file leaves the parameter out.
    public let defaultValue: ParameterValue
    /// A one-line description for error messages and documentation.
    public let help: String
    /// For text parameters with a syntax of their own (`28x28`, `32,64`): why a text is refused,
    /// or `nil`. Batch files and `latent fit` apply it with the kind's checks, at parse time.
    public let textCheck: (@Sendable (String) -> String?)?

    /// A parameter declaration; the default must itself be valid for `kind` and `textCheck`.
    public init(name: String, kind: Kind, default defaultValue: ParameterValue, help: String = "",
                textCheck: (@Sendable (String) -> String?)? = nil) {
        self.name = name
        self.kind = kind
        self.help = help
        self.textCheck = textCheck
        if case let .failure(reason) = Self.check(defaultValue, kind: kind, textCheck: textCheck) {
            preconditionFailure("ParameterSpec \(name): default \(defaultValue) invalid: \(reason)")
        }
        if case .double = kind, case let .int(v) = defaultValue {
            self.defaultValue = .double(Double(v))
        } else {
            self.defaultValue = defaultValue
        }
    }

    /// An integer parameter, optionally bounded.
    public static func int(_ name: String, default value: Int, min: Int? = nil, max: Int? = nil, help: String = "") -> ParameterSpec {
        ParameterSpec(name: name, kind: .int(min: min, max: max), default: .int(value), help: help)
    }

    /// A real parameter, optionally bounded.
    public static func double(_ name: String, default value: Double, min: Double? = nil, max: Double? = nil, help: String = "") -> ParameterSpec {
        ParameterSpec(name: name, kind: .double(min: min, max: max), default: .double(value), help: help)
    }

    /// A flag.
    public static func bool(_ name: String, default value: Bool, help: String = "") -> ParameterSpec {
        ParameterSpec(name: name, kind: .bool, default: .bool(value), help: help)
    }

    /// Text whose syntax `check` states (a reason for a refused text, `nil` for a good one).
    public static func text(_ name: String, default value: String, help: String = "", check: @escaping @Sendable (String) -> String?) -> ParameterSpec {
        ParameterSpec(name: name, kind: .string(choices: []), default: .string(value), help: help, textCheck: check)
    }

    /// A word from a fixed list.
    public static func choice(_ name: String, _ choices: [String], default value: String, help: String = "") -> ParameterSpec {
        ParameterSpec(name: name, kind: .string(choices: choices), default: .string(value), help: help)
    }

    /// `name (integer ≥ 1, default 2): help` — one line of a method listing; `flag` prefixes the
    /// name (`--` on the command line).
    public func usage(flag: String = "") -> String {
        func range(_ lo: String?, _ hi: String?) -> String {
            switch (lo, hi) {
            case let (l?, h?): return " in \(l)...\(h)"
            case let (l?, nil): return " ≥ \(l)"
            case let (nil, h?): return " ≤ \(h)"
            default: return ""
            }
        }
        let kindText: String
        switch kind {
        case let .int(lo, hi): kindText = "integer" + range(lo.map { "\($0)" }, hi.map { "\($0)" })
        case let .double(lo, hi): kindText = "number" + range(lo.map { "\($0)" }, hi.map { "\($0)" })
        case .bool: kindText = "true/false"
        case let .string(choices): kindText = choices.isEmpty ? "text" : choices.joined(separator: "|")
        }
        return "\(flag)\(name) (\(kindText), default \(defaultValue))\(help.isEmpty ? "" : ": \(help)")"
    }

    /// The value converted to this parameter's kind (integers widen to reals), or why it is not
    /// allowed, e.g. `"must be at least 1, got 0"`.
    public func validate(_ value: ParameterValue) -> Result<ParameterValue, ParameterError> {
        switch Self.check(value, kind: kind, textCheck: textCheck) {
        case .failure(let e): return .failure(e)
        case .success:
            if case .double = kind, case let .int(v) = value { return .success(.double(Double(v))) }
            return .success(value)
        }
    }

    /// Why a parameter value was refused.
    public struct ParameterError: Error, Equatable, CustomStringConvertible {
        /// The reason, e.g. `must be an integer, got 'two'`.
        public let description: String

        /// A refusal with `description` as its reason.
        public init(description: String) { self.description = description }
    }

    private static func check(_ value: ParameterValue, kind: Kind, textCheck: (@Sendable (String) -> String?)?) -> Result<Void, ParameterError> {
        if case let .string(text) = value, case .string = kind, let problem = textCheck?(text) {
            return .failure(ParameterError(description: problem))
        }
        return check(value, kind: kind)
    }

    private static func check(_ value: ParameterValue, kind: Kind) -> Result<Void, ParameterError> {
        func fail(_ s: String) -> Result<Void, ParameterError> { .failure(ParameterError(description: s)) }
        switch (kind, value) {
        case let (.int(lo, hi), .int(v)):
            if let lo, v < lo { return fail("must be at least \(lo), got \(v)") }
            if let hi, v > hi { return fail("must be at most \(hi), got \(v)") }
            return .success(())
        case (.int, _):
            return fail("must be an integer, got '\(value)'")
        case let (.double(lo, hi), .int(i)):
            return check(.double(Double(i)), kind: .double(min: lo, max: hi))
        case let (.double(lo, hi), .double(v)):
            if !v.isFinite { return fail("must be a finite number, got \(v)") }
            if let lo, v < lo { return fail("must be at least \(ParameterValue.format(lo)), got \(ParameterValue.format(v))") }
            if let hi, v > hi { return fail("must be at most \(ParameterValue.format(hi)), got \(ParameterValue.format(v))") }
            return .success(())
        case (.double, _):
            return fail("must be a number, got '\(value)'")
        case (.bool, .bool):
            return .success(())
        case (.bool, _):
            return fail("must be true or false, got '\(value)'")
        case let (.string(choices), .string(v)):
            if !choices.isEmpty && !choices.contains(v) {
                return fail("must be one of \(choices.joined(separator: ", ")), got '\(v)'")
            }
            return .success(())
        case let (.string(choices), _):
            return fail(choices.isEmpty ? "must be text, got '\(value)'" : "must be one of \(choices.joined(separator: ", ")), got '\(value)'")
        }
    }
}
