import Foundation
import LatentCore
import LatentIO

/// A file format datasets can be read from, chosen by the file's extension or the batch file's
/// `format` key.
public struct DatasetFormat: Sendable {
    /// The format's name in batch files (`npy`).
    public let name: String
    /// File extensions (lower case, no dot) that select this format.
    public let extensions: [String]
    /// Whether `label-column` may name a column (files with a header row) rather than give its index.
    public let supportsColumnNames: Bool
    /// Reads the file: features, and the labels taken out of `labelColumn` when given.
    public let load: @Sendable (_ url: URL, _ labelColumn: ColumnReference?) throws -> (features: Matrix<Double>, labels: [Int]?)

    /// A format declaration.
    public init(name: String, extensions: [String], supportsColumnNames: Bool,
                load: @escaping @Sendable (_ url: URL, _ labelColumn: ColumnReference?) throws -> (features: Matrix<Double>, labels: [Int]?)) {
        self.name = name
        self.extensions = extensions
        self.supportsColumnNames = supportsColumnNames
        self.load = load
    }
}

/// The data sources batch files may use: file formats by name and built-in datasets by name.
///
/// `standard` reads `.npy` files (2-D arrays of any NumPy float or integer dtype; a 1-D array is
/// one feature), CSV files (header auto-detected; labels by column name or index, encoded as
/// sorted class ids), the built-in `fashion-mnist` (the 60000 training images, pixels in
/// [0, 1], from Debian's `dataset-fashion-mnist`) and the built-in `dsprites` (5000 generated
/// 64 × 64 binary images, labels the shape, with their five factors). Other readers plug in with
/// `register(format:)` and `register(builtin:)`.
public struct DatasetRegistry: Sendable {
    /// File formats by name.
    public private(set) var formats: [String: DatasetFormat]
    /// Built-in datasets by name: each loads the whole dataset (the spec's name is used in results).
    public private(set) var builtins: [String: @Sendable (DatasetSpec) throws -> Dataset]

    /// An empty registry.
    public init() {
        formats = [:]
        builtins = [:]
    }

    /// Adds a file format, replacing any of the same name.
    public mutating func register(format: DatasetFormat) { formats[format.name] = format }

    /// Built-in datasets that carry their generative factors (`Dataset.groundTruth`).
    public private(set) var builtinsWithGroundTruth: Set<String> = []

    /// Adds a built-in dataset, replacing any of the same name; `hasGroundTruth`: its datasets
    /// carry their generative factors (checked when a batch names the disentanglement evaluation).
    public mutating func register(builtin name: String, hasGroundTruth: Bool = false, load: @escaping @Sendable (DatasetSpec) throws -> Dataset) {
        builtins[name] = load
        if hasGroundTruth { builtinsWithGroundTruth.insert(name) } else { builtinsWithGroundTruth.remove(name) }
    }

    /// Whether the dataset `spec` describes carries its generative factors.
    public func hasGroundTruth(_ spec: DatasetSpec) -> Bool {
        if case let .builtin(name) = spec.source { return builtinsWithGroundTruth.contains(name) }
        return false
    }

    /// `rows` dSprites images drawn uniformly without replacement by seed 0, labelled by shape,
    /// with their five factors and the generator (the built-in `dsprites` has 5000).
    public static func dsprites(name: String, rows: Int) -> Dataset {
        let indices = DSprites.sample(rows, seed: 0)
        let factors = indices.map { DSprites.factors(of: $0) }
        return Dataset(name: name, features: DSprites.images(indices), labels: factors.map { $0[0] },
                       groundTruth: FactorGroundTruth(factorSizes: DSprites.factorSizes, factors: factors) { rows in
                           DSprites.images(rows.map(DSprites.index(of:)))
                       })
    }

    /// The format selected by `path`'s extension, if registered.
    public func format(forPath path: String) -> DatasetFormat? {
        let ext = (path as NSString).pathExtension.lowercased()
        return formats.values.first { $0.extensions.contains(ext) }
    }

    /// Registered format names, sorted.
    public var formatNames: [String] { formats.keys.sorted() }

    /// `.npy` files.
    public static let standard: DatasetRegistry = {
        var r = DatasetRegistry()
        r.register(format: npy)
        r.register(format: csv)
        r.register(builtin: "fashion-mnist") { spec in
            let train: FashionMNIST.Dataset<Double> = try FashionMNIST.load(split: .train)
            return Dataset(name: spec.name, features: train.images, labels: train.labels)
        }
        r.register(builtin: "dsprites", hasGroundTruth: true) { spec in dsprites(name: spec.name, rows: 5000) }
        return r
    }()

    /// NumPy `.npy` files through `NPY.read`; `label-column` is a 0-based column index (negative
    /// counts from the end).
    public static let npy = DatasetFormat(name: "npy", extensions: ["npy"], supportsColumnNames: false) { url, label in
        let m: Matrix<Double> = try NPY.read(url)
        switch label {
        case nil: return (m, nil)
        case let .index(i)?: return try split(m, labelColumn: i, path: url.path)
        case let .name(s)?:
            throw DatasetError(path: url.path, message: "label column '\(s)': .npy files have no column names; give the column's index")
        }
    }

    /// CSV files through `CSV.read` (LatentIO): the header is detected, `label-column` names a
    /// column or gives its 0-based index, and labels become class ids in sorted label order.
    public static let csv = DatasetFormat(name: "csv", extensions: ["csv", "tsv"], supportsColumnNames: true) { url, label in
        let delimiter: Character = url.pathExtension.lowercased() == "tsv" ? "\t" : ","
        let table: CSVTable<Double> = try CSV.read(url, delimiter: delimiter, label: label?.csvColumn)
        return (table.features, table.classes?.indices)
    }

    /// Loads the dataset `spec` describes.
    /// - Throws: `DatasetError` for an unknown format or built-in, a bad label column, labels
    ///   that are not whole numbers or an unreadable corpus file; the format's own errors (`IOError`) for unreadable files.
    public func load(_ spec: DatasetSpec) throws -> Dataset {
        switch spec.source {
        case let .builtin(name):
            guard let load = builtins[name] else {
                throw DatasetError(path: name, message: "built-in dataset '\(name)' is not known; known: \(Self.list(builtins.keys))")
            }
            return try load(spec)
        case let .file(path, formatName):
            guard let format = formats[formatName] else {
                throw DatasetError(path: path, message: "format '\(formatName)' is not supported; supported: \(Self.list(formats.keys))")
            }
            let (x, labels) = try format.load(URL(fileURLWithPath: path), spec.labelColumn)
            return Dataset(name: spec.name, features: x, labels: labels)
        case let .corpus(source):
            // Corpus methods read the file themselves (word2vec applies its min-count while
            // reading); here it only has to be readable.
            guard FileManager.default.isReadableFile(atPath: source.path) else {
                throw DatasetError(path: source.path, message: "the corpus file cannot be read")
            }
            return Dataset(name: spec.name, corpus: source)
        }
    }

    /// Splits column `labelColumn` (0-based; negative counts from the end) off `m` as integer labels.
    /// - Throws: `DatasetError` when the column does not exist or holds a value that is not a whole number.
    public static func split(_ m: Matrix<Double>, labelColumn: Int, path: String) throws -> (features: Matrix<Double>, labels: [Int]?) {
        try split(m, labelColumn: labelColumn, path: path, as: Double.self)
    }

    /// `split` for matrices of any scalar type (the command line reads Float and Double).
    public static func split<S: BLASScalar>(_ m: Matrix<S>, labelColumn: Int, path: String, as type: S.Type) throws -> (features: Matrix<S>, labels: [Int]?) {
        let j = labelColumn < 0 ? m.columns + labelColumn : labelColumn
        guard j >= 0 && j < m.columns else {
            throw DatasetError(path: path, message: "label column \(ColumnReference.index(labelColumn)) does not exist: the data has \(m.columns) columns (\(ColumnReference.convention))")
        }
        let column = m.column(j)
        var labels = [Int]()
        labels.reserveCapacity(column.count)
        for (i, v) in column.enumerated() {
            guard v.isFinite, v == v.rounded(), abs(v) < 1e15 else {
                throw DatasetError(path: path, message: "label column \(ColumnReference.index(labelColumn)), row \(i + 1): \(v) is not a whole number")
            }
            labels.append(Int(v))
        }
        let kept = (0..<m.columns).filter { $0 != j }
        return (m.columns(at: kept), labels)
    }

    static func list<C: Collection>(_ names: C) -> String where C.Element == String {
        names.isEmpty ? "(none)" : names.sorted().joined(separator: ", ")
    }
}

/// Loads the dataset `spec` describes with the standard readers (`DatasetRegistry.standard`).
public func loadDataset(_ spec: DatasetSpec, registry: DatasetRegistry = .standard) throws -> Dataset {
    try registry.load(spec)
}

/// A dataset that cannot be used as described: names the file (or built-in) and the problem.
public struct DatasetError: Error, Equatable, CustomStringConvertible {
    /// The file path or built-in name.
    public let path: String
    /// What is wrong.
    public let message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
