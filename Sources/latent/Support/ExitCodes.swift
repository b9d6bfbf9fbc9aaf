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
                StandardError.write(fullMessage(for: error) + "\n")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
