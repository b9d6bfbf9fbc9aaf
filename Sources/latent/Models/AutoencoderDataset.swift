import ArgumentParser
import Foundation
import Latent

/// `--dataset` of `latent train autoencoder|vae`: a named image data set (`fashion-mnist`,
/// `dsprites`), or a data file of images, one per row, pixels in [0, 1] (CSV, `.npy` or IDX, read
/// by the same readers and options as the fitting commands' input).
enum AutoencoderDataset: ExpressibleByArgument, CustomStringConvertible {
    case named(ModelDataset)
    case file(String)

    init?(argument: String) {
        self = ModelDataset(rawValue: argument).map(Self.named) ?? .file(argument)
    }

    var description: String {
        switch self {
        case let .named(d): return d.rawValue
        case let .file(path): return path
        }
    }

    static var allValueStrings: [String] { ModelDataset.allCases.map(\.rawValue) + ["FILE"] }
}

/// How a `--dataset FILE` is read and cut into images: its labels file and the shared reading
/// flags (`DataFileOptions`), as every command that reads a data file takes them, and the image
/// shape. Labels (from `--labels` or `--label-column`) are read and checked, not trained on; a
/// label column is left out of the pixels.
struct ImageFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("--dataset FILE: a file of integer labels, one per row (.npy, IDX, or text with one per line); read and checked, not trained on.", valueName: "file"))
    var labels: String?
    @OptionGroup var reading: DataFileOptions
    @Option(help: ArgumentHelp("--dataset FILE: the image shape HxW or CxHxW of each row (default: square, 1 channel).", valueName: "shape"))
    var imageShape: String?

    /// Whether any file-only option was given (refused with a named data set).
    var anyGiven: Bool { reading.anyGiven || labels != nil || imageShape != nil }

    /// The parsed `--image-shape`, or nil when not given. Throws `ValidationError` when malformed.
    func parsedShape() throws -> (channels: Int, height: Int, width: Int)? {
        guard let imageShape else { return nil }
        let parts = imageShape.lowercased().split(separator: "x").map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 1 << 20 }) else {
            throw ValidationError("--image-shape must be HxW or CxHxW with positive sizes, got '\(imageShape)'")
        }
        let p = parts.map { $0! }
        return p.count == 2 ? (1, p[0], p[1]) : (p[0], p[1], p[2])
    }

    /// The image shape of rows of `features` values: `--image-shape` (which must multiply out to
    /// `features`), or a square single-channel image when `features` is a square number.
    func shape(features: Int, file: String) throws -> (channels: Int, height: Int, width: Int) {
        if let s = try parsedShape() {
            guard s.channels * s.height * s.width == features else {
                throw Failure("\(file): rows have \(features) values, but --image-shape \(imageShape!) needs \(s.channels * s.height * s.width)")
            }
            return s
        }
        let side = Int(Double(features).squareRoot().rounded())
        guard side * side == features else {
            throw Failure("\(file): rows have \(features) values, not a square image; give --image-shape HxW or CxHxW")
        }
        return (1, side, side)
    }

    /// Training and test images of a file: every row checked (finite, in [0, 1]), then cut by
    /// `seed` into a test set of ⌈n/6⌉ rows and a training set of the rest (its first `limit`).
    /// - Throws: `Failure`/`IOError` naming the file and the row and column of a bad value.
    func load(_ path: String, limit: Int?, seed: UInt64) throws -> (train: Matrix<Float>, test: Matrix<Float>, shape: (channels: Int, height: Int, width: Int)) {
        let (x, dimensions) = try images(path)
        guard x.rows >= 2 else { throw Failure("\(path): \(x.rows) row; at least 2 are needed (training and test)") }
        var rng = Xoshiro256StarStar(seed: seed)
        let order = rng.permutation(x.rows)
        let testCount = (x.rows + 5) / 6
        let trainRows = Array(order.dropFirst(testCount).prefix(limit ?? Int.max))
        return (x.rows(at: trainRows), x.rows(at: Array(order.prefix(testCount))), dimensions)
    }

    /// Every image of a file, one per row, in file order, after checking every value (finite, in
    /// [0, 1]), and their shape.
    /// - Throws: `Failure`/`IOError` naming the file and the row and column of a bad value.
    func images(_ path: String) throws -> (images: Matrix<Float>, shape: (channels: Int, height: Int, width: Int)) {
        let data = try reading.load(path, labels: labels, as: Float.self)
        try DataCheck.requireUsable(data.x, name: path)
        let columns = data.x.columns
        if let i = data.x.storage.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw Failure("\(MessageText.quoted(path, limit: 200)): row \(i / columns + 1), column \(i % columns + 1): \(data.x.storage[i]) is outside [0, 1] (the decoders model pixels in [0, 1]; IDX bytes need --scale)")
        }
        let dimensions = try self.shape(features: columns, file: path)
        return (data.x, dimensions)
    }

    /// Checks the options for `dataset` (command-line validation, exit 2): file-only options only
    /// with a file, a readable format and a well-formed shape for a file, and `output` not an input.
    func validate(_ dataset: AutoencoderDataset, dataFolder: String?, output: String, otherInputs: [OutputSafety.Named?] = []) throws {
        switch dataset {
        case .named:
            if anyGiven {
                throw ValidationError("--labels, --image-shape and the reading flags (--header, --delimiter, --label-column, --drop-columns, --scale, --rows) are for --dataset FILE")
            }
            try OutputSafety.validate(inputs: otherInputs, outputs: [.file("--output", output)])
        case let .file(path):
            if dataFolder != nil { throw ValidationError("--data-folder is for --dataset fashion-mnist") }
            do {
                try reading.check(path, labels: labels, labelsOption: "--labels")
            } catch let error as ValidationError {
                throw ValidationError("--dataset \(path): \(error.message)")
            }
            _ = try parsedShape()
            try OutputSafety.validate(inputs: otherInputs + [.file("--dataset", path), .file("--labels", labels)], outputs: [.file("--output", output)])
        }
    }
}
