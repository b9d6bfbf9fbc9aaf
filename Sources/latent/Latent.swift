import ArgumentParser
import Latent

@main
struct LatentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latent",
        abstract: "Representation learning on OpenBLAS and LAPACKE.",
        discussion: """
        Fit a method on a CSV, .npy or IDX file and write the embedding:
          latent pca data.csv --components 10 --output scores.csv --save-model pca.json
          latent embed --model pca.json new.csv --output new-scores.csv
          latent inspect pca.json

        Every method computes in float64 (Double).
        Progress and notes go to stderr (--quiet silences them; when stderr is
        not a terminal, a plain line every LATENT_PROGRESS_INTERVAL seconds, 5);
        summaries, --json and embed's CSV go to stdout.
        Exit codes: 0 success, 1 bad data or a failed run, 2 a usage error.
        """,
        version: LatentVersion.string,
        subcommands: [FitMethodCommand.self, PCACommand.self, KernelPCACommand.self, ICACommand.self, DictionaryCommand.self, NMFCommand.self,
                      RBMCommand.self, EmbedCommand.self, InspectCommand.self, FewShotCommand.self, ProbeCommand.self,
                      ClusterCommand.self, TSNECommand.self, PlotCommand.self, TrainCommand.self, BatchCommand.self, RunsCommand.self, DemoCommand.self, InfoCommand.self,
                      BenchCommand.self, SampleCommand.self, InterpolateCommand.self, TraverseCommand.self, DisentanglementCommand.self,
                      Word2VecCommand.self,
                      DataCommand.self, GenerateCommand.self, TokenizeCommand.self, EncodeCommand.self])
}
