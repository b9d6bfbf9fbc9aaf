// swift-tools-version:6.0
// Latent — representation learning in Swift on OpenBLAS and LAPACKE.
// Layers (arrows point down only; see docs/architecture.md):
//   latent (CLI) → LatentExperiments, Latent (umbrella)
//     → LatentModels → LatentNN, LatentText (word2vec over corpora)
//     → LatentDecomposition, LatentEval, LatentManifold, LatentPlot, LatentNN, LatentText → LatentIO → LatentCore → CLapack, CZlib
import PackageDescription

let optimise: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "Latent",
    products: [
        .library(name: "Latent", targets: ["Latent"]),
        .library(name: "LatentCore", targets: ["LatentCore"]),
        .library(name: "LatentIO", targets: ["LatentIO"]),
        .library(name: "LatentNN", targets: ["LatentNN"]),
        .library(name: "LatentText", targets: ["LatentText"]),
        .library(name: "LatentModels", targets: ["LatentModels"]),
        .executable(name: "latent", targets: ["latent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: - C libraries from Debian
        .systemLibrary(
            name: "CLapack", path: "Modules/CLapack", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Modules/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CJPEG", path: "Modules/CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Modules/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // MARK: - Library layers
        .target(
            name: "LatentCore",
            dependencies: ["CLapack", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimise, linkerSettings: [.linkedLibrary("m")]),
        .target(name: "LatentIO", dependencies: ["LatentCore", "CZlib", "CJPEG", "CPNG"], swiftSettings: optimise),
        .target(name: "LatentDecomposition", dependencies: ["LatentCore"], swiftSettings: optimise),
        .target(
            name: "LatentExperiments",
            dependencies: ["LatentCore", "LatentIO", "LatentDecomposition", "LatentEval",
                           .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: optimise),
        .target(name: "LatentEval", dependencies: ["LatentCore"], swiftSettings: optimise),
        .target(name: "Latent", dependencies: ["LatentCore", "LatentIO", "LatentDecomposition", "LatentEval", "LatentNN", "LatentPlot", "LatentManifold", "LatentText", "LatentModels"]),
        .target(name: "LatentPlot", dependencies: ["LatentCore", "LatentIO", "CZlib"], swiftSettings: optimise),
        .target(name: "LatentManifold", dependencies: ["LatentCore", "LatentDecomposition"], swiftSettings: optimise),
        .target(name: "LatentNN", dependencies: ["LatentCore", "LatentIO"], swiftSettings: optimise),
        .target(name: "LatentText", dependencies: ["LatentCore", "LatentIO"], swiftSettings: optimise),
        .target(name: "LatentModels", dependencies: ["LatentCore", "LatentIO", "LatentNN", "LatentText"], swiftSettings: optimise),

        // MARK: - Command line
        .executableTarget(
            name: "latent",
            dependencies: ["Latent", "LatentExperiments", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimise),

        // MARK: - Tests
        .target(name: "LatentTestSupport", dependencies: ["LatentCore", "LatentIO"], path: "Tests/LatentTestSupport"),
        .testTarget(name: "LatentCoreTests", dependencies: ["LatentCore", "LatentTestSupport"]),
        .testTarget(name: "LatentIOTests", dependencies: ["LatentIO", "LatentTestSupport"]),
        .testTarget(name: "LatentDecompositionTests", dependencies: ["LatentDecomposition", "LatentTestSupport"]),
        .testTarget(name: "LatentExperimentsTests", dependencies: ["LatentExperiments", "LatentTestSupport"]),
        // Runs the built `latent` binary (.build/debug/latent) as a subprocess.
        .testTarget(name: "LatentCLITests", dependencies: ["LatentExperiments", "LatentTestSupport"]),
        .testTarget(name: "LatentEvalTests", dependencies: ["LatentEval", "LatentTestSupport"]),
        .testTarget(name: "LatentNNTests", dependencies: ["LatentNN", "LatentTestSupport"]),
        // End-to-end tests of the `latent` binary; depending on the executable makes SwiftPM build it first.
        .testTarget(name: "LatentCommandLineTests", dependencies: ["latent", "LatentIO", "LatentDecomposition", "LatentTestSupport"]),
        .testTarget(name: "LatentPlotTests", dependencies: ["LatentPlot", "LatentDecomposition", "LatentTestSupport"]),
        .testTarget(name: "LatentModelsTests", dependencies: ["LatentModels", "LatentText", "LatentTestSupport"]),
        .testTarget(name: "LatentManifoldTests", dependencies: ["LatentManifold", "LatentTestSupport"]),
        .testTarget(name: "LatentTextTests", dependencies: ["LatentText", "LatentTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
