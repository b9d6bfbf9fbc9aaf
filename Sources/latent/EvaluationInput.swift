import ArgumentParser
import Foundation
import Latent

/// Where `fewshot` and `probe` read a labelled training split and test split from: two data
/// files read alike by the shared reading flags (`DataFileOptions`), each with its labels from
/// `--label-column` or its own labels file; or the raw pixels of Fashion-MNIST.
///
/// Two files need two labels files, so the single-file `--labels` becomes `--train-labels` and
/// `--test-labels`; every other reading flag is the shared one and applies to both files.
struct LabelledSplits: ParsableArguments {
    @Option(help: "Training features: a data file as for the fitting commands' input (.csv/.tsv/.txt, .npy, IDX, fashion-mnist).")
    var train: String?

    @Option(help: ArgumentHelp("Integer labels of --train, one per row (.npy, IDX, or text with one per line); instead of --label-column.", valueName: "file"))
    var trainLabels: String?

    @Option(help: "Test features: a data file as --train (e.g. fashion-mnist:test), same width.")
    var test: String?

    @Option(help: ArgumentHelp("Integer labels of --test, one per row (.npy, IDX, or text with one per line); instead of --label-column.", valueName: "file"))
    var testLabels: String?

    @OptionGroup var reading: DataFileOptions

    @Flag(help: "Use raw Fashion-MNIST pixels (in [0, 1]) instead of files.")
    var fashionMnist = false

    @Option(help: "Folder holding Fashion-MNIST's .gz files.")
    var fashionMnistFolder = FashionMNIST.defaultFolder.path

    func validate() throws {
        if fashionMnist {
            if train != nil || test != nil || trainLabels != nil || testLabels != nil || reading.anyGiven {
                throw ValidationError("--fashion-mnist reads both splits itself; it takes none of --train, --test, their labels or the reading flags")
            }
            return
        }
        guard let train, let test else { throw ValidationError("give --train and --test (or --fashion-mnist)") }
        try reading.check(train, labels: trainLabels, labelsOption: "--train-labels")
        try reading.check(test, labels: testLabels, labelsOption: "--test-labels")
        for (path, labels, option) in [(train, trainLabels, "--train-labels"), (test, testLabels, "--test-labels")] {
            if case .fashionMNIST = DataFormat(path) { continue }
            if labels == nil && reading.labelColumn == nil {
                throw ValidationError("\(path) needs labels: give \(option) or --label-column")
            }
        }
    }

    /// The two splits as Float, with integer labels: integers as they are, other text labels as
    /// ids into the sorted distinct labels of both splits (`LabelEncoding`).
    func load() throws -> (train: Matrix<Float>, trainLabels: [Int], test: Matrix<Float>, testLabels: [Int]) {
        if fashionMnist {
            let folder = URL(fileURLWithPath: fashionMnistFolder)
            let train = try FashionMNIST.load(split: .train, folder: folder, as: Float.self)
            let test = try FashionMNIST.load(split: .test, folder: folder, as: Float.self)
            return (train.images, train.labels, test.images, test.labels)
        }
        let x = try reading.load(train!, labels: trainLabels, as: Float.self)
        let t = try reading.load(test!, labels: testLabels, as: Float.self)
        for data in [x, t] { try DataCheck.requireUsable(data.x, name: data.name) }
        guard x.x.columns == t.x.columns else {
            throw Failure("\(x.name) has \(x.x.columns) features, \(t.name) has \(t.x.columns)")
        }
        guard let y = x.labels?.strings, let ty = t.labels?.strings else { throw Failure("\(x.labels == nil ? x.name : t.name) has no labels") }
        let integers = (y + ty).compactMap { Int($0) }
        if integers.count == y.count + ty.count { return (x.x, Array(integers[..<y.count]), t.x, Array(integers[y.count...])) }
        let codes = LabelEncoding(y + ty).indices
        return (x.x, Array(codes[..<y.count]), t.x, Array(codes[y.count...]))
    }
}

/// Seconds since an arbitrary start, for the timings printed on stderr.
func secondsNow() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Writes one line to stderr (progress and timings never go to stdout).
func printError(_ line: String) {
    FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
}

/// A JSON line from an `Encodable` value.
func jsonLine<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
