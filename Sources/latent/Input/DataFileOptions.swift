import ArgumentParser
import Foundation
import Latent
import LatentExperiments

/// How every command that reads a data file reads it: the one group of reading flags, with one
/// help text each, shared by the fitting commands, `embed`, `tsne`, `fewshot`, `probe`, `cluster`,
/// `plot grid|scatter`, `train autoencoder|vae` and `interpolate` (`InputOptions`,
/// `LabelledSplits`, `ClusterCommand`, `ImageFileOptions`).
///
/// Where the file is and where its labels file is are the command's own arguments (a positional
/// `input` and `--labels`; `--train`/`--train-labels` and `--test`/`--test-labels` for the two
/// files of `fewshot` and `probe`, which these flags read alike).
///
/// Columns count as in a batch file's `label-column` (`ColumnReference`): a position from 1
/// (1 the first column, -1 the last), `first`, `last`, or a CSV header name.
struct DataFileOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "CSV: the first row is (not) a header. (default: detected from the data)")
    var header: Bool?

    @Option(help: "CSV: field delimiter, one character; 'tab' or '\\t' for tabs. (default: ',' or tab for .tsv)")
    var delimiter: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The column holding class labels (not a feature): a position (\(ColumnReference.convention), as in a batch file's label-column), 'first', 'last', or a CSV header name. CSV, .npy and IDX input.",
        valueName: "column"))
    var labelColumn: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("CSV: comma-separated columns to ignore, as positions (\(ColumnReference.convention)) or header names.", valueName: "a,b,…"))
    var dropColumns: String?

    @Flag(help: "IDX and fashion-mnist: divide unsigned-byte pixels by 255 so values lie in [0, 1].")
    var scale = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Use only the first N rows of each data file.", valueName: "N"))
    var rows: Int?

    init() {}

    /// The checks that need no file: a delimiter's shape, column syntax, the row count.
    func validate() throws {
        if let delimiter, Self.delimiterCharacter(delimiter) == nil {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line break (or 'tab'), got '\(delimiter)'")
        }
        _ = try parsedLabelColumn
        _ = try parsedDropColumns
        try OptionRange.check("--rows", rows, OptionRange.count)
    }

    /// Whether any of these flags was given (commands refuse them for a named dataset without a file).
    var anyGiven: Bool { header != nil || delimiter != nil || labelColumn != nil || dropColumns != nil || scale || rows != nil }

    var parsedLabelColumn: ColumnReference? {
        get throws { try labelColumn.map { try Self.column($0, option: "--label-column") } }
    }

    var parsedDropColumns: [ColumnReference] {
        get throws { try (dropColumns?.split(separator: ",") ?? []).map { try Self.column(String($0), option: "--drop-columns") } }
    }

    static func column(_ text: String, option: String) throws -> ColumnReference {
        guard let column = ColumnReference(text) else {
            throw ValidationError("\(option): \(ColumnReference.convention) (or give 'first', 'last' or a header name), got '\(text)'")
        }
        return column
    }

    static func delimiterCharacter(_ text: String) -> Character? {
        if text == "tab" || text == "\\t" { return "\t" }
        guard text.count == 1, let c = text.first, let a = c.asciiValue, a != 34, a != 10, a != 13 else { return nil }
        return c
    }

    // MARK: - One file

    /// Checks that these flags apply to `path`'s format and that its labels come from one place
    /// (command-line validation: `ValidationError`, exit 2). `labelsOption` names the command's
    /// labels-file option in messages (`--labels`, `--train-labels`, `--test-labels`).
    func check(_ path: String, labels: String?, labelsOption: String) throws {
        guard let format = DataFormat(path) else {
            throw ValidationError("cannot tell the format of '\(path)': use a .csv, .tsv, .txt, .npy or IDX (.idx, -ubyte, .gz) file, or fashion-mnist")
        }
        let csvOnly: [(String, Bool)] = [("--header/--no-header", header != nil), ("--delimiter", delimiter != nil), ("--drop-columns", dropColumns != nil)]
        if format != .csv, let used = csvOnly.first(where: { $0.1 }) {
            throw ValidationError("\(used.0) applies to CSV input only, and '\(path)' is not CSV")
        }
        if scale && !format.holdsBytes { throw ValidationError("--scale applies to IDX and fashion-mnist input only, and '\(path)' is neither") }
        if case .fashionMNIST = format {
            if labelColumn != nil || labels != nil { throw ValidationError("\(labelColumn != nil ? "--label-column" : labelsOption): fashion-mnist comes with its labels") }
        } else if labelColumn != nil && labels != nil {
            throw ValidationError("--label-column and \(labelsOption) both give the labels of '\(path)'; use one")
        }
        if format != .csv, case .name(let name)? = try parsedLabelColumn {
            throw ValidationError("--label-column '\(name)': '\(path)' has no column names; give a position (\(ColumnReference.convention))")
        }
    }

    /// Reads `path` (and its labels: `--label-column`, or the file `labels`) as `S`, then keeps the
    /// first `--rows` rows. Call `check` first (at parse time).
    /// - Throws: `Failure`/`IOError`/`DatasetError` naming the file, line and column of a problem.
    func load<S: BLASScalar>(_ path: String, labels labelsFile: String?, as type: S.Type = S.self) throws -> LoadedMatrix<S> {
        var data: LoadedMatrix<S>
        switch DataFormat(path)! {
        case .csv:
            let bytes = try InputOptions.read(path)
            let defaultDelimiter: Character = path.lowercased().hasSuffix(".tsv") ? "\t" : ","
            let table: CSVTable<S> = try DataHints.csv(path, delimiterGiven: delimiter != nil) { try CSV.decode(
                bytes, delimiter: delimiter.flatMap(Self.delimiterCharacter) ?? defaultDelimiter,
                header: header.map { $0 ? .present : .absent } ?? .auto,
                label: try parsedLabelColumn?.csvColumn, drop: try parsedDropColumns.map(\.csvColumn), path: path) }
            data = LoadedMatrix(x: table.features, labels: table.labels.map(Labels.strings), name: path)
        case .npy:
            data = try splitLabelColumn(LoadedMatrix(x: NPY.decode(InputOptions.read(path), path: path), name: path))
        case .idx:
            data = try splitLabelColumn(LoadedMatrix(x: IDX.decodeMatrix(InputOptions.read(path), scaleToUnit: scale, path: path), name: path))
        case let .fashionMNIST(split):
            let set: FashionMNIST.Dataset<S> = try FashionMNIST.load(split: split, scaleToUnit: scale)
            data = LoadedMatrix(x: set.images, labels: .classes(set.labels, names: FashionMNIST.classNames),
                                name: "fashion-mnist:\(split.rawValue)")
        }
        if let labelsFile {
            data.labels = .integers(try LabelFile.read(labelsFile))
        }
        if let labels = data.labels, labels.count != data.x.rows {
            throw Failure("\(labelsFile ?? path): \(labels.count) labels for the \(data.x.rows) rows of \(path)")
        }
        if let rows, rows < data.x.rows {
            data.x = data.x.rows(0..<rows)
            data.labels = data.labels?.prefix(rows)
        }
        if data.x.rows < 1 || data.x.columns < 1 {
            throw Failure("\(path): no data (\(data.x.rows) rows × \(data.x.columns) feature columns)")
        }
        return data
    }

    /// `--label-column` of a file without a header (.npy, IDX): the column at that position,
    /// whole numbers, split off as integer labels by the batch files' code (`DatasetRegistry.split`).
    private func splitLabelColumn<S>(_ data: LoadedMatrix<S>) throws -> LoadedMatrix<S> {
        guard case .index(let i)? = try parsedLabelColumn else { return data }
        let (x, labels) = try DatasetRegistry.split(data.x, labelColumn: i, path: data.name, as: S.self)
        return LoadedMatrix(x: x, labels: labels.map(Labels.integers), name: data.name)
    }
}

/// A data file's format, from its name: `.csv`, `.tsv`, `.txt` → CSV; `.npy` → NumPy; `.idx`,
/// `*-ubyte`, `.gz` → IDX (MNIST's format); `fashion-mnist` (or `fashion-mnist:test`) → the
/// dataset installed by `apt install dataset-fashion-mnist`.
enum DataFormat: Equatable {
    case csv, npy, idx, fashionMNIST(FashionMNIST.Split)

    init?(_ path: String) {
        let lower = path.lowercased()
        if lower == "fashion-mnist" || lower == "fashion-mnist:train" { self = .fashionMNIST(.train) }
        else if lower == "fashion-mnist:test" { self = .fashionMNIST(.test) }
        else if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") { self = .csv }
        else if lower.hasSuffix(".npy") { self = .npy }
        else if lower.hasSuffix(".idx") || lower.hasSuffix("-ubyte") || lower.hasSuffix(".gz") || lower.contains(".idx") { self = .idx }
        else { return nil }
    }

    /// Unsigned-byte pixels that `--scale` divides by 255.
    var holdsBytes: Bool {
        switch self {
        case .idx, .fashionMNIST: return true
        case .csv, .npy: return false
        }
    }
}
