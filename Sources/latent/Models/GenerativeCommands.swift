import ArgumentParser
import Foundation
import Latent

/// Options shared by the commands that draw pictures with a trained VAE.
struct VAEPictureOptions: ParsableArguments {
    @Option(help: "A VAE model file written by `latent train vae`.")
    var model: String
    @Option(help: "The PNG file to write.")
    var output: String
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try OutputSafety.validate(inputs: [.file("--model", model)], outputs: [.file("--output", output)])
    }

    /// The model and the side of its (one-channel, square) images.
    func load() throws -> (FittedVariationalAutoencoder<Float>, (height: Int, width: Int)) {
        let vae = try FittedVariationalAutoencoder<Float>.load(from: URL(fileURLWithPath: model))
        if case let .convolutional(c, h, w, _) = vae.configuration.architecture, c == 1 { return (vae, (h, w)) }
        let side = Int(Double(vae.inputSize).squareRoot())
        guard side * side == vae.inputSize else { throw Failure("\(model): \(vae.inputSize) features are not a square one-channel image") }
        return (vae, (side, side))
    }
}

/// `latent sample`: images decoded from codes drawn from the prior.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "Decode samples from a VAE's prior into a PNG grid.")
    @OptionGroup var options: VAEPictureOptions
    @Option(parsing: .unconditional, help: "Number of samples.")
    var count: Int = 64
    @Option(parsing: .unconditional, help: "Images per grid row.")
    var columns: Int = 8

    func validate() throws {
        if count < 1 || columns < 1 { throw ValidationError("--count and --columns must be at least 1") }
    }

    func run() throws {
        options.global.apply()
        try Failures.guarded {
            let (vae, side) = try options.load()
            try writeImageGrid(vae.sample(count: count, seed: options.global.seed), side: side, columns: columns, to: options.output)
            stderr("wrote \(options.output)")
        }
    }
}

/// `latent interpolate`: decoded codes along a path between the codes of two images.
struct InterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate",
        abstract: "Interpolate between pairs of test images in a VAE's code space (linear or slerp), one row per pair.")
    @OptionGroup var options: VAEPictureOptions
    @Option(help: ArgumentHelp("The images: fashion-mnist (its test split), dsprites (indices into the full grid), or a data file of images, one per row (indices of its rows).", valueName: "fashion-mnist|dsprites|FILE"))
    var dataset: AutoencoderDataset = .named(.fashionMNIST)
    @Option(help: "Folder holding the Fashion-MNIST files.")
    var dataFolder: String?
    @OptionGroup var file: ImageFileOptions
    @Option(help: "Pairs of image indices, e.g. 0:1,2:3.")
    var pairs: String = "0:1"
    @Option(parsing: .unconditional, help: "Images per path, both ends included.")
    var steps: Int = 10
    @Option(help: "Path: linear or spherical (slerp).")
    var path: LatentPaths.Interpolation = .linear

    func validate() throws {
        if steps < 2 { throw ValidationError("--steps must be at least 2, got \(steps)") }
        _ = try parsedPairs()
        try file.validate(dataset, dataFolder: dataFolder, output: options.output, otherInputs: [.file("--model", options.model)])
    }

    func parsedPairs() throws -> [(Int, Int)] {
        try pairs.split(separator: ",").map { part in
            let ends = part.split(separator: ":").map { Int($0) }
            guard ends.count == 2, let a = ends[0], let b = ends[1], a >= 0, b >= 0 else {
                throw ValidationError("--pairs must look like 0:1,2:3, got \"\(pairs)\"")
            }
            return (a, b)
        }
    }

    func run() throws {
        options.global.apply()
        try Failures.guarded {
            let (vae, side) = try options.load()
            let pairs = try parsedPairs()
            let images = try pictures(pairs.flatMap { [$0.0, $0.1] })
            guard images.columns == vae.inputSize else {
                throw Failure("\(dataset): images have \(images.columns) values, the model \(options.model) takes \(vae.inputSize)")
            }
            let codes = vae.encode(images)
            var rows: [Float] = []
            for p in pairs.indices {
                let a = Array(codes.storage[(2 * p * codes.columns)..<((2 * p + 1) * codes.columns)])
                let b = Array(codes.storage[((2 * p + 1) * codes.columns)..<((2 * p + 2) * codes.columns)])
                rows += vae.decode(LatentPaths.interpolate(from: a, to: b, steps: steps, path: path)).storage
            }
            try writeImageGrid(Matrix(rows: pairs.count * steps, columns: vae.inputSize, storage: rows), side: side, columns: steps, to: options.output)
            stderr("wrote \(options.output)")
        }
    }

    func pictures(_ indices: [Int]) throws -> Matrix<Float> {
        switch dataset {
        case let .file(path):
            let all = try file.images(path).images
            if let bad = indices.first(where: { $0 >= all.rows }) { throw Failure("\(path): image index \(bad) is outside its \(all.rows) rows (indices count from 0)") }
            return all.rows(at: indices)
        case .named(.dsprites):
            if let bad = indices.first(where: { $0 >= DSprites.count }) { throw Failure("image index \(bad) is outside dSprites' \(DSprites.count)") }
            return DSprites.images(indices)
        case .named(.fashionMNIST):
            let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: dataFolder.map { URL(fileURLWithPath: $0) } ?? FashionMNIST.defaultFolder)
            if let bad = indices.first(where: { $0 >= test.images.rows }) { throw Failure("image index \(bad) is outside the \(test.images.rows) test images") }
            return Matrix(rows: indices.count, columns: test.images.columns) { test.images[indices[$0], $1] }
        }
    }
}

/// `latent traverse`: one row per code dimension, swept from −range·σ to +range·σ around a code.
struct TraverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traverse",
        abstract: "Latent traversals of a VAE: one row per code dimension, swept over ±range around the prior's centre or an image's code.")
    @OptionGroup var options: VAEPictureOptions
    @Option(parsing: .unconditional, help: "Sweep around the code of this dSprites image index instead of the prior's centre (0).")
    var dspritesIndex: Int?
    @Option(parsing: .unconditional, help: "Images per row.")
    var steps: Int = 9
    @Option(parsing: .unconditional, help: "Half-width of the sweep in prior standard deviations.")
    var range: Double = 3

    func validate() throws {
        if steps < 2 { throw ValidationError("--steps must be at least 2, got \(steps)") }
        if !(range > 0 && range.isFinite) { throw ValidationError("--range must be positive, got \(range)") }
        if let i = dspritesIndex, i < 0 || i >= DSprites.count { throw ValidationError("--dsprites-index must be in 0..<\(DSprites.count), got \(i)") }
    }

    func run() throws {
        options.global.apply()
        try Failures.guarded {
            let (vae, side) = try options.load()
            let centre = try dspritesIndex.map { i -> [Float] in
                guard vae.inputSize == DSprites.imageSize * DSprites.imageSize else { throw Failure("\(options.model) is not a 64 × 64 (dSprites) model") }
                return vae.encode(DSprites.images([i])).storage
            } ?? [Float](repeating: 0, count: vae.codeSize)
            try writeImageGrid(vae.decode(LatentPaths.traversal(centre: centre, steps: steps, range: range)), side: side, columns: steps, to: options.output)
            stderr("wrote \(options.output)")
        }
    }
}

extension LatentPaths.Interpolation: ExpressibleByArgument {}
