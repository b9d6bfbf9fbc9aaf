import Foundation
import Latent

extension Summary {
    /// Adds what a fitted model of `method` is: the method, its shapes and the description its
    /// descriptor built (explained variance for PCA, a fit report for ICA, …).
    mutating func describe(_ model: FittedModel, method: MethodDescriptor) {
        field("method", "method", .string(method.name))
        if let d = model.inputFeatures { field("inputFeatures", "input features", .int(d)) }
        field("outputFeatures", "output features", .int(model.outputFeatures))
        for item in model.description.items {
            switch item {
            case let .field(key, label, value):
                field(key, label, JSONValue(value))
            case let .table(key, title, headers, keys, rows):
                table(key, title: title, headers: headers, keys: keys, rows: rows.map { $0.map(JSONValue.init) })
            }
        }
    }
}

extension JSONValue {
    /// The JSON form of a description value.
    init(_ value: ModelDescription.Value) {
        switch value {
        case let .int(i): self = .int(i)
        case let .number(x): self = .number(x)
        case let .bool(b): self = .bool(b)
        case let .text(s): self = .string(s)
        case .none: self = .null
        }
    }
}
