import ArgumentParser
import Foundation

extension LatentCommand {
    /// The argument parser's `main`, with usage errors (unknown options, bad values,
    /// `ValidationError`) exiting with code 2 as POSIX tools do, instead of `EX_USAGE` (64).
    /// Run failures exit with 1 (see `Failures.guarded`), success with 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardError.write(usageMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// `latent: <what is wrong>` on the first line, then the parser's usage lines.
    static func usageMessage(for error: Error) -> String {
        var lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("Error: ") { lines[0] = "latent: " + first.dropFirst(7) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
