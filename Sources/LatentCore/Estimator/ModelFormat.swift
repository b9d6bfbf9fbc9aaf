/// How a method's fitted models are saved in a model file and read back: the `model` object of
/// `latent … --save-model FILE` (JSON), which `latent embed` and `latent inspect` read. A method
/// whose descriptor has a format can be saved; `codable(_:wrap:)` builds one from the learner's
/// `Codable` fitted model.
public struct ModelFormat: Sendable {
    /// Writes the model's state (`FittedModel.state`) to `encoder`; throws when the model holds
    /// no state of this format's type.
    public let encode: @Sendable (_ model: FittedModel, _ encoder: any Encoder) throws -> Void
    /// Reads a state written by `encode`, checks it as a whole (`ModelFileError` naming the first
    /// inconsistent field) and wraps it as the method's fit would.
    public let decode: @Sendable (_ decoder: any Decoder) throws -> FittedModel

    /// A format from its two halves.
    public init(encode: @escaping @Sendable (_ model: FittedModel, _ encoder: any Encoder) throws -> Void,
                decode: @escaping @Sendable (_ decoder: any Decoder) throws -> FittedModel) {
        self.encode = encode
        self.decode = decode
    }

    /// The format of a `Codable` fitted model `M`: its own encoding; read back, `validate` checks
    /// it (throw `ModelFileError`) and `wrap` turns it into the `FittedModel` the method's fit
    /// returns (the same `wrap` the fit uses, so a loaded model describes and embeds as the fitted one).
    public static func codable<M: Codable & Sendable>(_ modelType: M.Type, validate: @escaping @Sendable (M) throws -> Void,
                                                      wrap: @escaping @Sendable (M) -> FittedModel) -> ModelFormat {
        ModelFormat(
            encode: { model, encoder in
                guard let state = model.state as? M else {
                    throw ModelFileError("the fitted model holds \(model.state.map { "\(type(of: $0))" } ?? "no state"), not \(M.self)")
                }
                try state.encode(to: encoder)
            },
            decode: { decoder in
                let state = try M(from: decoder)
                try validate(state)
                return wrap(state)
            })
    }
}

/// A model file whose content is inconsistent: a message naming the field, e.g.
/// `model.mean has 3 values, but model.components has 4 columns`.
public struct ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The whole message.
    public let description: String

    /// An error with `description` as its message.
    public init(_ description: String) { self.description = description }
}

/// The checks model formats are made of: each throws `ModelFileError` naming the field, so an
/// edited file is refused before `transform` could trap on it.
public enum ModelCheck {
    /// A non-empty matrix of finite numbers.
    public static func matrix(_ field: String, _ m: Matrix<Double>) throws {
        if m.rows < 1 || m.columns < 1 { throw ModelFileError("\(field) is \(m.rows)×\(m.columns); it must not be empty") }
        if let i = m.storage.firstIndex(where: { !$0.isFinite }) {
            throw ModelFileError("\(field) has \(m.storage[i]) at row \(i / m.columns + 1), column \(i % m.columns + 1); every number must be finite")
        }
    }

    /// A matrix of exactly `rows` × `columns` (and `matrix`'s checks); `reason` says why.
    public static func matrix(_ field: String, _ m: Matrix<Double>, rows: Int, columns: Int, because reason: String) throws {
        try matrix(field, m)
        if m.rows != rows || m.columns != columns {
            throw ModelFileError("\(field) is \(m.rows)×\(m.columns), expected \(rows)×\(columns) (\(reason))")
        }
    }

    /// `count` finite values; `reason` says where the count comes from.
    public static func vector(_ field: String, _ v: [Double], count: Int, because reason: String) throws {
        if v.count != count { throw ModelFileError("\(field) has \(v.count) values, but \(reason)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) { throw ModelFileError("\(field)[\(i)] is \(v[i]); every number must be finite") }
    }

    /// No negative value.
    public static func nonNegative(_ field: String, _ v: [Double]) throws {
        if let i = v.firstIndex(where: { $0 < 0 }) { throw ModelFileError("\(field)[\(i)] is \(v[i]); it must not be negative") }
    }

    /// A finite number.
    public static func number(_ field: String, _ x: Double) throws {
        if !x.isFinite { throw ModelFileError("\(field) is \(x); it must be a finite number") }
    }

    /// A whole number in `range`.
    public static func count(_ field: String, _ n: Int, _ range: ClosedRange<Int>) throws {
        if !range.contains(n) { throw ModelFileError("\(field) is \(n); it must lie in \(range.lowerBound)…\(range.upperBound)") }
    }

    /// A finite number ≥ 0.
    public static func nonNegative(_ field: String, _ x: Double) throws {
        if !(x.isFinite && x >= 0) { throw ModelFileError("\(field) is \(x); it must be a finite number ≥ 0") }
    }
}
