import ArgumentParser
import Latent

@main
struct LatentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latent",
        abstract: "Representation learning on OpenBLAS and LAPACKE.",
        version: LatentVersion.string,
        subcommands: [InfoCommand.self, TrainCommand.self, BenchCommand.self])
}
