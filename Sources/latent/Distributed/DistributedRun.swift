import ArgumentParser
import Foundation
import Latent
import LatentDistributed

/// `--distributed`: the command runs as one rank of an MPI job (`mpirun -np N latent … --distributed`).
///
/// Rules every distributed command follows:
/// - It must be started by an MPI launcher (`mpirun`, or `srun` with PMI); otherwise a usage
///   error (exit 2) says how to start it.
/// - Every rank parses the same options and reads the same input; ranks check that they agree on
///   the data's shape and the options and stop together when they do not.
/// - Only rank 0 prints results and progress and writes files.
/// - A failure that every rank reaches together (ranks disagree, a rank could not read its input)
///   is printed once by rank 0 and every rank exits 1. Any other failure on one rank is printed
///   by that rank and ends the whole job (`MPI_Abort`), so no rank waits forever.
enum DistributedRun {
    /// An error a rank throws after its last collective (the other ranks were told to stop): MPI
    /// ends normally and the command fails with `error` as it would alone (message, exit code).
    struct AfterLastCollective: Error {
        let error: Error
    }

    /// Runs `body` as this process's rank, then ends MPI.
    /// - Parameters:
    ///   - what, command: the flag or file that asked for MPI and how to start the command, for
    ///     the usage error outside an MPI launch.
    static func run(what: String = "--distributed", command: String = "mpirun -np N latent … --distributed",
                    _ body: (Communicator) throws -> Void) throws {
        guard Communicator.isLaunchedByMPI else {
            throw UsageError("\(what): this process was not started by an MPI launcher; run it as `\(command)` (Debian: apt-get install openmpi-bin)")
        }
        let world: Communicator
        do { world = try Communicator.world() } catch { throw Failure("--distributed: MPI could not start: \(error)") }
        do {
            try body(world)
            try world.finalize()
        } catch let ended as AfterLastCollective {
            try? world.finalize()
            throw ended.error
        } catch let code as ExitCode {
            // the rank that stopped has said why (`Failures.guarded`); the others must not wait for it
            if code == .success { try? world.finalize(); throw code }
            world.abort(code: code.rawValue)
        } catch let error as DistributedError {
            // reached by every rank in the same collective: one message, a clean end
            if world.isRoot { StandardError.line("latent: \(error)") }
            try? world.finalize()
            throw ExitCode.failure
        } catch {
            // a usage error comes from the options, the same on every rank: rank 0 says it
            let usage = error is UsageError || error is ValidationError
            if world.isRoot || !usage {
                StandardError.line("latent: \(world.isRoot ? "" : "rank \(world.rank): ")\(Failures.message(for: error))")
            }
            world.abort(code: usage ? 2 : 1)
        }
    }

    /// `body` on every rank, its failure on any rank made collective (see `Communicator.collectively`).
    static func local<T>(_ world: Communicator, _ body: () throws -> T) throws -> T {
        try world.collectively(describe: Failures.message(for:), body)
    }
}
