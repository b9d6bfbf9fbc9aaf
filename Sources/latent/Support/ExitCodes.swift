import ArgumentParser
import Foundation
import Latent
import Synchronization

/// A usage error found while running (after parsing): the command line asks for something that
/// cannot be done (an output that is an input, a folder that does not exist). Exit code 2, one
/// line, without the usage text.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension LatentCommand {
    /// The argument parser's `main`, with the exit codes of POSIX tools:
    /// - 2 for usage errors: unknown options, bad values, `ValidationError` from `validate()`,
    ///   `UsageError` from `run()`, `latent help NOSUCH`; the parser's usage lines follow the
    ///   message for parse errors only;
    /// - 1 for everything a run throws (bad data, failed fits): one line, no usage text — even a
    ///   `ValidationError` thrown by `run()`, since by then the options parsed and the data is at fault;
    /// - 0 for success, 130 when interrupted (`Interrupts`).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let unknown = unknownHelpTopic(arguments) {
            StandardError.line("latent: no command '\(MessageText.quoted(unknown))'; `latent --help` lists the commands")
            Foundation.exit(2)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardError.write(usageMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
        do {
            try command.run()
            Finalizers.runAll()
        } catch {
            Finalizers.runAll()
            switch error {
            case let e as UsageError:
                StandardError.line("latent: \(e.message)")
                Foundation.exit(2)
            case let e as ValidationError:
                StandardError.line("latent: \(e.message)")
                Foundation.exit(1)
            case is ExitCode, is CleanExit:
                exit(withError: error)
            case _ where String(reflecting: type(of: error)).hasPrefix("ArgumentParser."):
                exit(withError: error)   // e.g. `latent help pca`, which the parser answers by throwing
            default:
                StandardError.line("latent: \(Failures.message(for: error))")
                Foundation.exit(1)
            }
        }
    }

    /// `latent help a b` where `a b` is not a command path: the word that is not a command.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var current: ParsableCommand.Type = LatentCommand.self
        for word in arguments.dropFirst() where !word.hasPrefix("-") {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == word }) else { return word }
            current = next
        }
        return nil
    }

    /// `latent: <what is wrong>` on the first line, then the parser's usage lines.
    static func usageMessage(for error: Error) -> String {
        var lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("Error: ") { lines[0] = "latent: " + first.dropFirst(7) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Work to do when a command ends normally or with an error (not on a signal): e.g. checkpointing
/// a SQLite write-ahead log so the database is one self-contained file.
enum Finalizers {
    private static let actions = Mutex<[@Sendable () -> Void]>([])

    static func add(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
    }

    static func runAll() {
        let pending = actions.withLock { all in
            defer { all = [] }
            return all
        }
        for action in pending.reversed() { action() }
    }
}
