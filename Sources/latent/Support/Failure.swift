import ArgumentParser
import Foundation
import Latent
import Synchronization

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
        case let e as EstimatorError: return CLIWords.describe(e)
        case let e as LinearAlgebraError: return "linear algebra: \(e) (the data may be degenerate: constant, duplicate or collinear columns)"
        case let e as CustomStringConvertible: return e.description
        default: return String(describing: error)
        }
    }
}

extension Failures {
    /// Runs `body` (a fit or a transform of the data in `file`); a method's complaint about the
    /// data, or a LAPACK failure on it, is reported as being about `file`.
    static func about<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EstimatorError {
            throw Failure("\(MessageText.quoted(file, limit: 200)): \(message(for: error))")
        } catch let error as LinearAlgebraError {
            throw Failure("\(MessageText.quoted(file, limit: 200)): \(message(for: error))")
        }
    }
}

/// The library's errors in the command line's words: parameter names as options
/// (`maxIterations` → `--iterations` for t-SNE, `powerIterations` → `--power-iterations`),
/// Swift enum cases as option values (`.exact` → `--method exact`), methods as commands.
enum CLIWords {
    static func describe(_ error: EstimatorError) -> String {
        switch error {
        case let .invalidParameter(method, name, reason):
            return "\(command(method)): \(option(name, method: method)) \(translate(reason))"
        case let .tooFewSamples(method, samples, needed):
            return "\(command(method)): \(samples) rows, need at least \(needed)"
        case let .nonFinite(method, row, column):
            return "\(command(method)): row \(row + 1), column \(column + 1) is NaN or infinite"
        case let .featureMismatch(method, expected, got):
            return "\(command(method)): fitted on \(expected) feature columns, got \(got)"
        case let .invalidData(method, reason):
            return "\(command(method)): \(translate(reason))"
        }
    }

    /// `TSNE` → `tsne`, `FastICA` → `ica`, `KernelPCA` → `kpca`.
    static func command(_ method: String) -> String {
        let known = ["TSNE": "tsne", "FastICA": "ica", "KernelPCA": "kpca", "IncrementalPCA": "pca", "PCA": "pca", "NMF": "nmf",
                     "BernoulliRBM": "rbm", "DictionaryLearning": "dict", "MiniBatchDictionaryLearning": "dict", "KMeans": "cluster"]
        return known[method] ?? method.lowercased()
    }

    static func option(_ name: String, method: String) -> String {
        let overrides = ["TSNE.maxIterations": "--iterations", "TSNE.explorationIterations": "--iterations",
                         "KMeans.maxIterations": "--max-iterations", "KMeans.clusters": "--clusters"]
        if let o = overrides["\(method).\(name)"] { return o }
        if name == "maxIterations" { return "--max-iter" }
        if name == "tolerance" { return "--tol" }
        var out = "--"
        for c in name {
            if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    /// Swift spellings inside a reason, in CLI words.
    static func translate(_ reason: String) -> String {
        var text = reason
        for (api, cli) in [("(use .exact otherwise)", "(use --method exact otherwise)"), (".barnesHut", "--method barnes-hut"),
                           (".exact", "--method exact"), (".covarianceEigen", "--solver covariance-eigen"),
                           (".randomized", "--solver randomized"), (".full", "--solver full"),
                           ("explorationIterations", "the 250 early-exaggeration iterations"), ("allowNonFinite: true", "finite values")] {
            text = text.replacingOccurrences(of: api, with: cli)
        }
        return text
    }
}

/// Serialised writes to stderr (progress lines come from a timer thread too).
enum StandardError {
    private static let lock = Mutex(())

    /// Writes `text` followed by a newline.
    static func line(_ text: String) { write(text + "\n") }

    /// Writes `text` as is.
    static func write(_ text: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data(text.utf8)) }
    }
}

/// Standard output, where data and per-epoch lines go.
enum StandardOutput {
    /// Pushes `print`'s buffered lines out now (per-epoch lines in a pipe). `fflush(nil)` flushes
    /// every output stream; naming C's `stdout` is a global variable that Swift 6 refuses.
    static func flush() { fflush(nil) }
}
