import ArgumentParser
import Foundation
import Latent
import LatentDistributed

/// `--distributed` for the `latent train …` commands whose model builds its own `Trainer`
/// (autoencoder, vae, simclr, rotation, context, inpainting, colorization, cpc, gpt, bert,
/// in-context): the one piece that makes them data-parallel. With the flag, the command runs as
/// one rank of an MPI job (`DistributedRun`) with `DataParallelism` bound to every trainer it
/// builds (`TrainingDistributionScope`): each rank trains on its shard of every batch, gradients
/// are all-reduced, only rank 0 writes the checkpoint (with the number of ranks), and a resumed
/// checkpoint is read by rank 0 and sent to all.
///
/// Output: the ranks compute the same results, so on every rank but 0 standard output goes to
/// /dev/null; progress and errors on standard error come from every rank (`mpirun --tag-output`
/// tells them apart). Files other than the checkpoint are written where the command's body says
/// `writesFiles` (rank 0).
struct DistributedTrainingOption: ParsableArguments {
    @Flag(help: "Run as one rank of an MPI job (`mpirun -np N latent train … --distributed`): each rank trains on its shard of every batch, gradients all-reduced; rank 0 writes the files and prints the results.")
    var distributed = false

    /// Runs `body` alone (`writesFiles` true), or with `--distributed` as this rank of an MPI job
    /// with data parallelism bound for `body`'s duration; rank 0 ends with the cost of the
    /// gradient all-reduces on standard error.
    func run(_ body: (_ writesFiles: Bool) throws -> Void) throws {
        guard distributed else { return try body(true) }
        try DistributedRun.run { world in
            if !world.isRoot { Self.silenceStandardOutput() }
            let parallelism = DataParallelism(communicator: world)
            try TrainingDistributionScope.$current.withValue(parallelism) { try body(world.isRoot) }
            let cost = parallelism.communication
            if world.isRoot {
                StandardError.line("all-reduce of the gradients over \(world.size) ranks: \(format(cost.seconds, 2)) s over \(cost.steps) steps "
                                   + "(\(cost.bytesPerStep) bytes each, bucketed and non-blocking)")
            }
        }
    }

    /// Points standard output at /dev/null (a rank other than 0 prints the same results).
    private static func silenceStandardOutput() {
        StandardOutput.flush()
        let null = open("/dev/null", O_WRONLY)
        guard null >= 0 else { return }
        dup2(null, STDOUT_FILENO)
        close(null)
    }
}
