/// A checkpoint file is well formed but does not fit what it is loaded into. Every case names the
/// file and, where there is one, the tensor or metadata key. (Damaged bytes are `IOError.corrupt`.)
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The model or optimizer needs a tensor the file lacks.
    case missingTensor(path: String, name: String)
    /// The file holds a model tensor the model does not have.
    case unexpectedTensor(path: String, name: String)
    /// A tensor's shape differs from the parameter's.
    case shapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    /// A tensor is stored in another element type (e.g. `F64` loaded into a `Float` model).
    case dtypeMismatch(path: String, name: String, expected: String, found: String)
    /// A metadata entry is missing or unreadable, or the file is not a Latent checkpoint of this version.
    case badMetadata(path: String, key: String, reason: String)
    /// The optimizer state does not fit the optimizer.
    case optimizerState(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingTensor(path, name): return "\(path): no tensor \"\(name)\""
        case let .unexpectedTensor(path, name): return "\(path): tensor \"\(name)\" is not part of the model"
        case let .shapeMismatch(path, name, expected, found): return "\(path): tensor \"\(name)\" has shape \(found), expected \(expected)"
        case let .dtypeMismatch(path, name, expected, found): return "\(path): tensor \"\(name)\" is \(found), expected \(expected)"
        case let .badMetadata(path, key, reason): return "\(path): metadata \"\(key)\": \(reason)"
        case let .optimizerState(path, reason): return "\(path): optimizer state: \(reason)"
        }
    }
}
