import ArgumentParser

/// `latent data`: data sets and pictures made from photographs.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Make data from photographs: natural-image patches, and the ICA / dictionary filters learned on them.",
        subcommands: [PatchesCommand.self, NaturalFiltersCommand.self])
}
