import Foundation

/// A problem reading or writing a data file. Every case names the file, and where it applies
/// the line and column (1-based) or byte offset of the problem.
public enum IOError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file could not be written.
    case cannotWrite(path: String, reason: String)
    /// Text input is malformed at `line`, `column`.
    case malformed(path: String, line: Int, column: Int, reason: String)
    /// Binary input is malformed at byte `offset`.
    case corrupt(path: String, offset: Int, reason: String)
    /// The file is well formed but holds something Latent does not read (a dtype, an order, …).
    case unsupported(path: String, reason: String)

    /// One line: the path, where in the file (line:column or byte offset), then the reason.
    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read: \(reason)"
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        case let .malformed(path, line, column, reason): return "\(path):\(line):\(column): \(reason)"
        case let .corrupt(path, offset, reason): return "\(path): byte \(offset): \(reason)"
        case let .unsupported(path, reason): return "\(path): unsupported: \(reason)"
        }
    }

    /// The same line as `description`, so `localizedDescription` shows it too.
    public var errorDescription: String? { description }
}
