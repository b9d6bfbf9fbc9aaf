/// One hyperparameter value of a run: an integer, a real number, a flag or a word.
///
/// Values are stored in the run store as canonical JSON (see `Parameters.canonicalJSON`), so two
/// runs with the same parameters always have byte-identical parameter text.
public enum ParameterValue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A whole number (`components: 3`).
    case int(Int)
    /// A real number (`alpha: 0.5`).
    case double(Double)
    /// A flag (`whiten: true`).
    case bool(Bool)
    /// A word (`solver: eigen`).
    case string(String)

    /// The value as YAML or a person would write it: `3`, `0.5`, `true`, `lasso`.
    public var description: String {
        switch self {
        case let .int(v): return String(v)
        case let .double(v): return ParameterValue.format(v)
        case let .bool(v): return v ? "true" : "false"
        case let .string(v): return v
        }
    }

    /// The shortest decimal text that reads back as the same `Double` (`0.1`, `2.0`, `1e-06`).
    public static func format(_ v: Double) -> String { "\(v)" }

    /// Reads a JSON scalar: a boolean, an integer, a real number or a string, tried in that order.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        self = .string(try c.decode(String.self))
    }

    /// Writes the value as a JSON scalar.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .int(v): try c.encode(v)
        case let .double(v): try c.encode(v)
        case let .bool(v): try c.encode(v)
        case let .string(v): try c.encode(v)
        }
    }
}

/// A method's full set of hyperparameters by name (every declared parameter present, defaults
/// filled in by `MethodDescriptor.resolve`).
public typealias Parameters = [String: ParameterValue]

extension Dictionary where Key == String, Value == ParameterValue {
    /// `name=value` pairs sorted by name, comma separated: `center=true, components=2`.
    public var summary: String {
        keys.sorted().map { "\($0)=\(self[$0]!)" }.joined(separator: ", ")
    }

    /// The integer parameter `name`. Stops (programmer error) when the method did not declare it
    /// as an integer: `MethodDescriptor.resolve` guarantees declared kinds.
    public func int(_ name: String) -> Int {
        guard case let .int(v)? = self[name] else { preconditionFailure("parameter \(name) is \(String(describing: self[name])), not an int") }
        return v
    }

    /// The real parameter `name` (integers widen). Stops when it is missing or not numeric.
    public func double(_ name: String) -> Double {
        switch self[name] {
        case let .double(v)?: return v
        case let .int(v)?: return Double(v)
        default: preconditionFailure("parameter \(name) is \(String(describing: self[name])), not a number")
        }
    }

    /// The flag parameter `name`. Stops when it is missing or not a flag.
    public func bool(_ name: String) -> Bool {
        guard case let .bool(v)? = self[name] else { preconditionFailure("parameter \(name) is \(String(describing: self[name])), not a bool") }
        return v
    }

    /// The word parameter `name`. Stops when it is missing or not a word.
    public func string(_ name: String) -> String {
        guard case let .string(v)? = self[name] else { preconditionFailure("parameter \(name) is \(String(describing: self[name])), not a string") }
        return v
    }
}
