import Foundation
import LatentCore
import LatentIO

/// Data a batch runs methods on: samples as rows of `features`, with optional integer class
/// labels (one per row) for evaluations that need them; or a text corpus (`corpus`) that corpus
/// methods (word2vec) read themselves.
public struct Dataset: Sendable {
    /// The name the batch file gives the dataset; part of each run's identity.
    public let name: String
    /// n samples × d features.
    public let features: Matrix<Double>
    /// One class label per sample, or `nil` when the dataset has no label column.
    public let labels: [Int]?
    /// The generative factors of a generated dataset (dSprites), for the disentanglement evaluation.
    public let groundTruth: FactorGroundTruth?

    /// A dataset; `labels` and `groundTruth`, when given, have one entry per row of `features`.
    public init(name: String, features: Matrix<Double>, labels: [Int]? = nil, groundTruth: FactorGroundTruth? = nil) {
        if let labels {
            precondition(labels.count == features.rows,
                         "Dataset \(name): \(labels.count) labels for \(features.rows) samples")
        }
        if let groundTruth {
            precondition(groundTruth.factors.count == features.rows,
                         "Dataset \(name): \(groundTruth.factors.count) factor rows for \(features.rows) samples")
        }
        self.name = name
        self.features = features
        self.labels = labels
        self.groundTruth = groundTruth
        self.corpus = nil
    }

    /// The corpus file of a corpus dataset, `nil` for rows of features.
    public let corpus: CorpusSource?

    /// A corpus dataset: no rows (`features` is 0 × 0), the file and its reading options.
    public init(name: String, corpus: CorpusSource) {
        self.name = name
        self.features = Matrix(rows: 0, columns: 0, storage: [])
        self.labels = nil
        self.groundTruth = nil
        self.corpus = corpus
    }

    /// What methods this dataset feeds: `.corpus` for a corpus, else `.rows`.
    public var input: MethodInput { corpus == nil ? .rows : .corpus }
}

/// The factors that generated each row of a dataset, and the generator itself: the inputs of any
/// factor combination (what the FactorVAE and β-VAE scores draw their batches from).
public struct FactorGroundTruth: Sendable {
    /// Classes per factor.
    public let factorSizes: [Int]
    /// The factor classes of each row.
    public let factors: [[Int]]
    /// Inputs (one row each) for factor rows.
    public let render: @Sendable ([[Int]]) -> Matrix<Double>

    public init(factorSizes: [Int], factors: [[Int]], render: @escaping @Sendable ([[Int]]) -> Matrix<Double>) {
        self.factorSizes = factorSizes
        self.factors = factors
        self.render = render
    }
}

/// Which column of a data file holds the labels: by position, or by header name (for formats with
/// a header row). Batch files write positions from 1, as the command line does (`label-column: 1`
/// is the first column, `-1` the last); this value stores them from 0.
public enum ColumnReference: Hashable, Sendable, CustomStringConvertible {
    /// The 0-based column position; negative counts from the end (`-1`: the last column).
    case index(Int)
    /// The column's name in the file's header row.
    case name(String)

    /// `3` or `class`.
    public var description: String {
        switch self {
        case let .index(i): return String(i >= 0 ? i + 1 : i)
        case let .name(s): return s
        }
    }

    /// A column as people write it, in a batch file's `label-column` and on the command line's
    /// `--label-column`/`--drop-columns` alike: a whole number is a position (1 the first column,
    /// -1 the last, -2 the one before it), `first` and `last` name the ends, anything else is a
    /// header name. `nil` for position 0 (positions count from 1).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case "first": self = .index(0)
        case "last": self = .index(-1)
        default:
            guard let i = Int(t) else { self = .name(t); return }
            self.init(position: i)
        }
    }

    /// The column at 1-based `position` (negative counts from the end); `nil` for 0.
    public init?(position: Int) {
        guard position != 0 else { return nil }
        self = .index(position > 0 ? position - 1 : position)
    }

    /// How positions are written, for help texts and messages: `positions count from 1; -1 is the last`.
    public static let convention = CSV.Column.positionConvention

    /// The same column for the CSV reader.
    public var csvColumn: CSV.Column {
        switch self {
        case let .index(i): return .index(i)
        case let .name(s): return .name(s)
        }
    }
}

/// A dataset as a batch file describes it, before it is loaded.
public struct DatasetSpec: Hashable, Sendable {
    /// Where the data comes from.
    public enum Source: Hashable, Sendable {
        /// A file, with its format (the registered format name, e.g. `npy`).
        case file(path: String, format: String)
        /// A dataset the library knows by name (e.g. `fashion-mnist`), when registered.
        case builtin(String)
        /// A UTF-8 text file, one sentence per line, for corpus methods (batch key `corpus`).
        case corpus(CorpusSource)
    }

    /// What methods this dataset feeds: `.corpus` for a corpus file, else `.rows`.
    public var input: MethodInput {
        if case .corpus = source { return .corpus }
        return .rows
    }

    /// The dataset's name in results.
    public let name: String
    /// File or built-in.
    public let source: Source
    /// The label column, if any; it is removed from the features.
    public let labelColumn: ColumnReference?
    /// The 1-based line of the dataset entry in the batch file (0 when not from a file), for messages.
    public let line: Int

    /// A dataset description. Relative file paths are used as given (the batch parser makes them
    /// relative to the batch file's folder).
    public init(name: String, source: Source, labelColumn: ColumnReference? = nil, line: Int = 0) {
        self.name = name
        self.source = source
        self.labelColumn = labelColumn
        self.line = line
    }
}
