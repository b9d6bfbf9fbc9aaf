import Foundation

/// A JSON value for options and summaries. Objects print with sorted keys.
indirect enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .number(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    /// Text for human-readable listings: strings bare, numbers in shortest form.
    var text: String {
        switch self {
        case .null: return "none"
        case let .bool(b): return b ? "yes" : "no"
        case let .int(i): return String(i)
        case let .number(d): return Summary.format(d)
        case let .string(s): return s
        case let .array(a): return a.map(\.text).joined(separator: ", ")
        case let .object(o): return o.keys.sorted().map { "\($0)=\(o[$0]!.text)" }.joined(separator: ", ")
        }
    }

    /// Pretty-printed JSON with sorted keys; NaN and infinities as the strings "nan", "inf", "-inf".
    func serialized() throws -> String {
        String(decoding: try JSON.encoder().encode(self), as: UTF8.self)
    }
}

extension Optional where Wrapped == Int {
    var json: JSONValue { map(JSONValue.int) ?? .null }
}

extension Optional where Wrapped == Double {
    var json: JSONValue { map(JSONValue.number) ?? .null }
}

/// The JSON coders the CLI uses everywhere (model files and summaries).
enum JSON {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
