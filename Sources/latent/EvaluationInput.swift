import ArgumentParser
import Foundation
import Latent

/// Where `fewshot` and `probe` read a labelled training split and test split from: four files
/// (features as `.npy` or `.csv`, labels as integer `.npy`, or a CSV label column), or the raw
/// pixels of Fashion-MNIST.
struct LabelledSplits: ParsableArguments {
    @Option(help: "Training features: .npy (rows = samples) or .csv.")
    var train: String?

    @Option(help: "Training labels: integer .npy (omit when --label-column names a CSV column).")
    var trainLabels: String?

    @Option(help: "Test features: .npy or .csv, same width as --train.")
    var test: String?

    @Option(help: "Test labels: integer .npy (omit when --label-column names a CSV column).")
    var testLabels: String?

    @Option(help: "For CSV features: the column that holds the labels (header name or 1-based number).")
    var labelColumn: String?

    @Flag(help: "Use raw Fashion-MNIST pixels (in [0, 1]) instead of files.")
    var fashionMnist = false

    @Option(help: "Folder holding Fashion-MNIST's .gz files.")
    var fashionMnistFolder = FashionMNIST.defaultFolder.path

    func validate() throws {
        if fashionMnist { return }
        guard train != nil, test != nil else { throw Failure("give --train and --test (or --fashion-mnist)") }
        if labelColumn == nil && (trainLabels == nil || testLabels == nil) {
            throw Failure("give --train-labels and --test-labels, or --label-column for CSV features")
        }
    }

    /// The four arrays, as Float.
    func load() throws -> (train: Matrix<Float>, trainLabels: [Int], test: Matrix<Float>, testLabels: [Int]) {
        if fashionMnist {
            let folder = URL(fileURLWithPath: fashionMnistFolder)
            let train = try FashionMNIST.load(split: .train, folder: folder, as: Float.self)
            let test = try FashionMNIST.load(split: .test, folder: folder, as: Float.self)
            return (train.images, train.labels, test.images, test.labels)
        }
        let (x, xNames) = try Self.features(train!, labelColumn: labelColumn)
        let (t, tNames) = try Self.features(test!, labelColumn: labelColumn)
        guard x.columns == t.columns else {
            throw Failure("\(train!) has \(x.columns) features, \(test!) has \(t.columns)")
        }
        if let trainLabels, let testLabels {
            let (y, ty) = (try NPY.readIntegers(URL(fileURLWithPath: trainLabels)), try NPY.readIntegers(URL(fileURLWithPath: testLabels)))
            guard y.count == x.rows, ty.count == t.rows else {
                throw Failure("\(x.rows) training rows with \(y.count) labels, \(t.rows) test rows with \(ty.count) labels")
            }
            return (x, y, t, ty)
        }
        guard let xNames, let tNames else { throw Failure("--label-column needs CSV features") }
        // Integer labels keep their values; other strings become indices in sorted order.
        let names = Array(Set(xNames + tNames)).sorted()
        let integers = names.compactMap { Int($0) }
        let code: (String) -> Int = integers.count == names.count ? { Int($0)! } : { names.firstIndex(of: $0)! }
        return (x, xNames.map(code), t, tNames.map(code))
    }

    /// Features from `.npy` or `.csv`, and the CSV label column's strings when asked for.
    static func features(_ path: String, labelColumn: String?) throws -> (Matrix<Float>, [String]?) {
        let url = URL(fileURLWithPath: path)
        _ = try InputOptions.read(path)   // a missing file or a folder, named
        if path.lowercased().hasSuffix(".csv") {
            let column: CSV.Column? = labelColumn.map { Int($0).map { .index($0 - 1) } ?? .name($0) }
            let table = try DataHints.csv(path) { try CSV.read(url, as: Float.self, label: column) }
            try DataCheck.requireUsable(table.features, name: path)
            return (table.features, table.labels)
        }
        let x = try NPY.read(url, as: Float.self)
        try DataCheck.requireUsable(x, name: path)
        return (x, nil)
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
