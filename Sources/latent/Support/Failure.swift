import ArgumentParser
import Foundation
import Latent

/// A run failure the CLI reports as one line (`latent: <message>`) with exit code 1: bad data,
/// a missing file, a model that does not fit the input, a fit that failed.
struct Failure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

enum Failures {
    /// Runs `body`; library and I/O errors become one clean line on stderr and exit code 1.
    /// `ValidationError` and `CleanExit` pass through to the argument parser (exit code 2 / 0).
    static func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch let error as UsageError {
            throw error
        } catch {
            StandardError.line("latent: \(message(for: error))")
            throw ExitCode.failure
        }
    }

    /// The one-line text of an error, without Swift's enum dump.
    static func message(for error: Error) -> String {
        switch error {
        case let e as Failure: return e.message
        case let e as UsageError: return e.message
        case let e as ValidationError: return e.message
        case let e as IOError: return e.description
        case let e as EstimatorError: return e.description
        case let e as LinearAlgebraError: return "linear algebra: \(e)"
        case let e as CustomStringConvertible: return e.description
        default: return String(describing: error)
        }
    }
}

/// Serialised writes to stderr (progress lines come from a timer thread too).
enum StandardError {
    private static let lock = NSLock()

    /// Writes `text` followed by a newline.
    static func line(_ text: String) { write(text + "\n") }

    /// Writes `text` as is.
    static func write(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
