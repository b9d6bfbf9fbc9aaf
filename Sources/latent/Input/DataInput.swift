import ArgumentParser
import Foundation
import Latent

/// Class labels read beside the data: strings from a CSV column, integers from `.npy`/IDX files,
/// or class ids with names (fashion-mnist: ids 0…9 as in the dataset, names for CSV).
enum Labels {
    case strings([String])
    case integers([Int])
    case classes([Int], names: [String])

    var count: Int {
        switch self {
        case let .strings(s): return s.count
        case let .integers(i): return i.count
        case let .classes(i, _): return i.count
        }
    }

    /// The labels as text (CSV output).
    var strings: [String] {
        switch self {
        case let .strings(s): return s
        case let .integers(i): return i.map(String.init)
        case let .classes(i, names): return i.map { names[$0] }
        }
    }

    /// The class names that `.npy` label ids index, when the labels are not plain integers.
    var classNames: [String]? {
        switch self {
        case let .strings(s): return LabelEncoding(s).classNames
        case .integers: return nil
        case let .classes(_, names): return names
        }
    }

    /// The labels as class indices (`.npy` output): integers as they are; strings as ids into
    /// their distinct values in sorted order (numeric order when all are numbers; `LabelEncoding`).
    var indices: [Int] {
        switch self {
        case let .strings(s): return LabelEncoding(s).indices
        case let .integers(i), let .classes(i, _): return i
        }
    }

    /// The first `n` labels.
    func prefix(_ n: Int) -> Labels {
        switch self {
        case let .strings(s): return .strings(Array(s.prefix(n)))
        case let .integers(i): return .integers(Array(i.prefix(n)))
        case let .classes(i, names): return .classes(Array(i.prefix(n)), names: names)
        }
    }
}

/// Data loaded for a command: samples × features, optional labels.
struct LoadedMatrix<Scalar: BLASScalar> {
    var x: Matrix<Scalar>
    var labels: Labels?
    /// How the input is named in messages (the path as given, or `fashion-mnist:train`).
    var name: String
}

/// Data as the fitting commands use it: values in Double.
typealias LoadedData = LoadedMatrix<Double>

/// One input data file, its labels file, and the shared reading flags (`DataFileOptions`); the
/// input of every fitting command, `embed`, `tsne` and `plot grid|scatter`.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Data file: .csv/.tsv/.txt, .npy, or IDX (.idx, *-ubyte, .gz); or fashion-mnist[:train|:test].",
        valueName: "input"))
    var input: String

    @Option(help: ArgumentHelp("A file of integer labels, one per row of the input (.npy, IDX, or text with one per line); instead of --label-column.", valueName: "file"))
    var labels: String?

    @OptionGroup var reading: DataFileOptions

    /// The files this reads, for `OutputSafety` (a dataset name such as `fashion-mnist` is no file).
    var namedFiles: [OutputSafety.Named?] { [.file("input", input), .file("--labels", labels)] }

    func validate() throws {
        try reading.check(input, labels: labels, labelsOption: "--labels")
    }

    /// Reads the input (and its labels) as Double.
    /// - Throws: `Failure`/`IOError` naming the file, line and column of a problem.
    func load() throws -> LoadedData { try load(as: Double.self) }

    /// Reads the input (and its labels) as `S`.
    func load<S: BLASScalar>(as type: S.Type) throws -> LoadedMatrix<S> {
        try reading.load(input, labels: labels, as: S.self)
    }

    /// The bytes of `path`, failing with `path: cannot read: no such file` and the like.
    static func read(_ path: String) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw IOError.cannotRead(path: path, reason: "no such file")
        }
        if isFolder.boolValue { throw IOError.cannotRead(path: path, reason: "is a folder, not a file") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw IOError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
