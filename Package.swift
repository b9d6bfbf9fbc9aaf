// swift-tools-version:6.0
// Latent — representation learning in Swift on OpenBLAS and LAPACKE.
// Layers (arrows point down only; see docs/architecture.md):
//   latent (CLI) → LatentExperiments, Latent (umbrella)
//     → LatentModels → LatentNN, LatentText (word2vec over corpora)
//     → LatentDecomposition, LatentEval, LatentManifold, LatentPlot, LatentNN, LatentText → LatentIO → LatentCore → CLapack, CZlib
import PackageDescription

// `-fno-math-errno` for the C shims Swift's `squareRoot()` goes through: without it every square
// root carries a branch to libm's `sqrtf` (to set `errno`), which stops loops from vectorising.
let optimise: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
                                .unsafeFlags(["-Xcc", "-fno-math-errno"])]
// Targets moved to the Swift 6 language mode (issue 14); the package default below stays 5 for the rest.
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

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
        .library(name: "LatentDistributed", targets: ["LatentDistributed"]),
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
        // Header-only kernels for instructions beyond the x86-64 baseline (AVX2 + FMA), chosen at run time.
        .systemLibrary(name: "CKernels", path: "Modules/CKernels"),
        // Open MPI (Debian libopenmpi-dev); only LatentDistributed and the CLI link it.
        .systemLibrary(
            name: "CMPI", path: "Modules/CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(
            name: "CJPEG", path: "Modules/CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Modules/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // MARK: - Library layers
        .target(
            name: "LatentCore",
            dependencies: ["CLapack", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimise + swift6, linkerSettings: [.linkedLibrary("m")]),
        .target(name: "LatentIO", dependencies: ["LatentCore", "CZlib", "CJPEG", "CPNG"], swiftSettings: optimise + swift6),
        .target(name: "LatentDecomposition", dependencies: ["LatentCore"], swiftSettings: optimise + swift6),
        .target(
            name: "LatentExperiments",
            dependencies: ["LatentCore", "LatentIO", "LatentDecomposition", "LatentEval", "LatentManifold", "LatentModels", "LatentText",
                           .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: optimise + swift6),
        .target(name: "LatentEval", dependencies: ["LatentCore"], swiftSettings: optimise + swift6),
        .target(name: "Latent", dependencies: ["LatentCore", "LatentIO", "LatentDecomposition", "LatentEval", "LatentNN", "LatentPlot", "LatentManifold", "LatentText", "LatentModels"]),
        .target(name: "LatentPlot", dependencies: ["LatentCore", "LatentIO", "CZlib"], swiftSettings: optimise + swift6),
        .target(name: "LatentManifold", dependencies: ["LatentCore", "LatentDecomposition"], swiftSettings: optimise + swift6),
        .target(name: "LatentNN", dependencies: ["LatentCore", "LatentIO", "CKernels"], swiftSettings: optimise + swift6),
        .target(name: "LatentText", dependencies: ["LatentCore", "LatentIO"], swiftSettings: optimise + swift6),
        .target(name: "LatentModels", dependencies: ["LatentCore", "LatentIO", "LatentNN", "LatentText", "CKernels"], swiftSettings: optimise + swift6),
        // Scale-out over MPI: not in the `Latent` umbrella, so a program that never scales out never links Open MPI.
        .target(name: "LatentDistributed", dependencies: ["CMPI", "LatentCore", "LatentIO", "LatentNN", "LatentDecomposition"], swiftSettings: optimise + swift6),

        // MARK: - Command line
        .executableTarget(
            name: "latent",
            dependencies: ["Latent", "LatentExperiments", "LatentDistributed", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimise + swift6),

        // MARK: - Tests
        .target(name: "LatentTestSupport", dependencies: ["LatentCore", "LatentIO"], path: "Tests/LatentTestSupport"),
        .testTarget(name: "LatentCoreTests", dependencies: ["LatentCore", "LatentTestSupport"]),
        .testTarget(name: "LatentIOTests", dependencies: ["LatentIO", "LatentTestSupport"]),
        .testTarget(name: "LatentDecompositionTests", dependencies: ["LatentDecomposition", "LatentTestSupport"]),
        .testTarget(name: "LatentExperimentsTests", dependencies: ["LatentExperiments", "LatentModels", "LatentTestSupport"]),
        // Runs the built `latent` binary (.build/debug/latent) as a subprocess.
        .testTarget(name: "LatentCLITests", dependencies: ["LatentExperiments", "LatentTestSupport"]),
        .testTarget(name: "LatentEvalTests", dependencies: ["LatentEval", "LatentTestSupport"]),
        .testTarget(name: "LatentNNTests", dependencies: ["LatentNN", "LatentTestSupport"]),
        // End-to-end tests of the `latent` binary; depending on the executable makes SwiftPM build it first.
        .testTarget(name: "LatentCommandLineTests", dependencies: ["latent", "LatentIO", "LatentDecomposition", "LatentExperiments", "LatentModels", "LatentTestSupport"]),
        .testTarget(name: "LatentPlotTests", dependencies: ["LatentPlot", "LatentDecomposition", "LatentTestSupport"]),
        .testTarget(name: "LatentModelsTests", dependencies: ["LatentModels", "LatentText", "LatentTestSupport"]),
        .testTarget(name: "LatentManifoldTests", dependencies: ["LatentManifold", "LatentTestSupport"]),
        .testTarget(name: "LatentTextTests", dependencies: ["LatentText", "LatentTestSupport"]),
        // Scenarios run under `mpirun` by LatentDistributedTests (distributed vs single-process results).
        .executableTarget(name: "latent-mpi-check", dependencies: ["LatentDistributed", "LatentCore", "LatentNN", "LatentDecomposition"], path: "Tests/DistributedCheck"),
        .testTarget(name: "LatentDistributedTests", dependencies: ["latent-mpi-check", "latent", "LatentTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
