import ArgumentParser
import Latent

/// `latent info`: versions, BLAS configuration and thread counts.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print versions, BLAS configuration and thread counts.")

    func run() throws {
        print("latent \(LatentVersion.string)")
        print("BLAS: \(Parallel.blasConfiguration)")
        print("BLAS core: \(Parallel.blasCoreName)")
        print("BLAS threads: \(Parallel.blasThreadCount)")
        print("Latent threads: \(Parallel.threadCount)")
    }
}
