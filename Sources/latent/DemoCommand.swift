import ArgumentParser
import Foundation
import Latent

/// `latent demo`: the headline job on Fashion-MNIST with built-in defaults.
///
/// Now: loads the data set, prints its shape and class counts, the BLAS in use, and the top 10
/// singular values of the centred training images (PCA by the covariance/`syrk` path).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the headline experiment on Fashion-MNIST (installed by scripts/install-deps).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Folder holding the Fashion-MNIST IDX .gz files.")
    var data: String = FashionMNIST.defaultFolder.path

    func run() throws {
        global.apply()
        let folder = URL(fileURLWithPath: data)
        let clock = Timing.now()
        let train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train, folder: folder)
        let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: folder)
        print("Fashion-MNIST from \(folder.path)")
        print("  train: \(train.images.rows) × \(train.images.columns), test: \(test.images.rows) × \(test.images.columns), pixels scaled to [0, 1]")
        print("  class counts (train / test):")
        for (label, name) in FashionMNIST.classNames.enumerated() {
            let a = train.labels.filter { $0 == label }.count, b = test.labels.filter { $0 == label }.count
            print("    \(label) \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(a) / \(b)")
        }
        print("BLAS: \(Parallel.blasConfiguration)")
        print("  core \(Parallel.blasCoreName), \(Parallel.blasThreadCount) BLAS threads, \(Parallel.threadCount) Latent threads")
        let pca = try PCA<Float>(components: 10, solver: .covarianceEigen).fit(train.images)
        let values = pca.singularValues.map { String(format: "%.2f", Double($0)) }.joined(separator: " ")
        print("Top 10 singular values of the centred training images:")
        print("  \(values)")
        let ratio = pca.explainedVarianceRatio.reduce(0, +)
        print(String(format: "  (they explain %.1f%% of the pixel variance)", Double(ratio) * 100))
        FileHandle.standardError.write(Data(String(format: "demo finished in %.1f s\n", Timing.now() - clock).utf8))
    }
}
