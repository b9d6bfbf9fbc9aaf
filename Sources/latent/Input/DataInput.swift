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

/// Data loaded for a command: samples × features in Double, optional labels.
struct LoadedData {
    var x: Matrix<Double>
    var labels: Labels?
    /// How the input is named in messages (the path as given, or `fashion-mnist:train`).
    var name: String
}

/// The input file and how to read it; shared by every fitting command and `embed`.
///
/// The format follows the extension: `.csv`, `.tsv`, `.txt` → CSV; `.npy` → NumPy; `.idx`,
/// `*-ubyte`, `.gz` → IDX (MNIST's format). `fashion-mnist` (or `fashion-mnist:test`) loads the
/// dataset installed by `apt install dataset-fashion-mnist`. Values are read as Double.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Data file: .csv/.tsv/.txt, .npy, or IDX (.idx, *-ubyte, .gz); or fashion-mnist[:train|:test].",
        valueName: "input"))
    var input: String

    @Flag(inversion: .prefixedNo, help: "CSV: the first row is (not) a header. (default: detected from the data)")
    var header: Bool?

    @Option(help: "CSV: field delimiter, one character; 'tab' or '\\t' for tabs. (default: ',' or tab for .tsv)")
    var delimiter: String?

    @Option(help: ArgumentHelp(
        "CSV: the column holding class labels, by header name or 1-based position ('first' and 'last' work too). It is not a feature; its values become the output's label column.",
        valueName: "name|index"))
    var labelColumn: String?

    @Option(help: ArgumentHelp("CSV: comma-separated columns to ignore, by name or 1-based position.", valueName: "a,b,…"))
    var dropColumns: String?

    @Option(help: ArgumentHelp("NPY/IDX: a file of integer labels, one per row (.npy, IDX, or text with one per line).", valueName: "file"))
    var labels: String?

    @Flag(help: "IDX and fashion-mnist: divide unsigned-byte pixels by 255 so values lie in [0, 1] (needed by rbm).")
    var scale = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Use only the first N rows.", valueName: "N"))
    var rows: Int?

    enum Format { case csv, npy, idx, fashionMNIST(FashionMNIST.Split) }

    var format: Format? {
        let lower = input.lowercased()
        if lower == "fashion-mnist" || lower == "fashion-mnist:train" { return .fashionMNIST(.train) }
        if lower == "fashion-mnist:test" { return .fashionMNIST(.test) }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") { return .csv }
        if lower.hasSuffix(".npy") { return .npy }
        if lower.hasSuffix(".idx") || lower.hasSuffix("-ubyte") || lower.hasSuffix(".gz") || lower.contains(".idx") { return .idx }
        return nil
    }

    /// The files this reads, for `OutputSafety` (a dataset name such as `fashion-mnist` is no file).
    var namedFiles: [OutputSafety.Named?] { [.file("input", input), .file("--labels", labels)] }

    var isCSV: Bool { if case .csv = format { return true } else { return false } }

    func validate() throws {
        guard let format else {
            throw ValidationError("cannot tell the format of '\(input)': use a .csv, .tsv, .txt, .npy or IDX (.idx, -ubyte, .gz) file, or fashion-mnist")
        }
        let csvOnly: [(String, Bool)] = [("--header/--no-header", header != nil), ("--delimiter", delimiter != nil),
                                         ("--label-column", labelColumn != nil), ("--drop-columns", dropColumns != nil)]
        if !isCSV, let used = csvOnly.first(where: { $0.1 }) {
            throw ValidationError("\(used.0) applies to CSV input only, and '\(input)' is not CSV")
        }
        if labels != nil {
            if isCSV { throw ValidationError("--labels is for .npy and IDX input; for CSV use --label-column") }
            if case .fashionMNIST = format { throw ValidationError("--labels: fashion-mnist comes with its labels") }
        }
        if scale { switch format { case .idx, .fashionMNIST: break; default: throw ValidationError("--scale applies to IDX and fashion-mnist input only") } }
        if let delimiter, Self.delimiterCharacter(delimiter) == nil {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line break (or 'tab'), got '\(delimiter)'")
        }
        try OptionRange.check("--rows", rows, OptionRange.count)
    }

    static func delimiterCharacter(_ text: String) -> Character? {
        if text == "tab" || text == "\\t" { return "\t" }
        guard text.count == 1, let c = text.first, let a = c.asciiValue, a != 34, a != 10, a != 13 else { return nil }
        return c
    }

    /// A column given as a name, a 1-based position, `first` or `last`.
    static func column(_ text: String) -> CSV.Column {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "first" { return .first }
        if t == "last" { return .last }
        if let i = Int(t), i >= 1 { return .index(i - 1) }
        return .name(t)
    }

    /// Reads the input (and its labels) as Double.
    /// - Throws: `Failure`/`IOError` naming the file, line and column of a problem.
    func load() throws -> LoadedData {
        var data: LoadedData
        switch format! {
        case .csv:
            let bytes = try Self.read(input)
            let defaultDelimiter: Character = input.lowercased().hasSuffix(".tsv") ? "\t" : ","
            let table: CSVTable<Double> = try DataHints.csv(input, delimiterGiven: delimiter != nil) { try CSV.decode(
                bytes, delimiter: delimiter.flatMap(Self.delimiterCharacter) ?? defaultDelimiter,
                header: header.map { $0 ? .present : .absent } ?? .auto,
                label: labelColumn.map(Self.column),
                drop: dropColumns.map { $0.split(separator: ",").map { Self.column(String($0)) } } ?? [],
                path: input) }
            data = LoadedData(x: table.features, labels: table.labels.map(Labels.strings), name: input)
        case .npy:
            let x: Matrix<Double> = try NPY.decode(Self.read(input), path: input)
            data = LoadedData(x: x, labels: try readLabels(), name: input)
        case .idx:
            let x: Matrix<Double> = try IDX.decodeMatrix(Self.read(input), scaleToUnit: scale, path: input)
            data = LoadedData(x: x, labels: try readLabels(), name: input)
        case let .fashionMNIST(split):
            let set: FashionMNIST.Dataset<Double> = try FashionMNIST.load(split: split, scaleToUnit: scale)
            data = LoadedData(x: set.images, labels: .classes(set.labels, names: FashionMNIST.classNames),
                              name: "fashion-mnist:\(split.rawValue)")
        }
        if let labels = data.labels, labels.count != data.x.rows {
            throw Failure("\(self.labels ?? input): \(labels.count) labels for the \(data.x.rows) rows of \(input)")
        }
        if let rows, rows < data.x.rows {
            data.x = data.x.rows(0..<rows)
            data.labels = data.labels?.prefix(rows)
        }
        if data.x.rows < 1 || data.x.columns < 1 {
            throw Failure("\(input): no data (\(data.x.rows) rows × \(data.x.columns) feature columns)")
        }
        return data
    }

    private func readLabels() throws -> Labels? {
        try labels.map { .integers(try LabelFile.read($0)) }
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
