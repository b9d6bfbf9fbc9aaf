import LatentCore
import Foundation

/// A parsed and checked batch file: which methods, with which parameter grids and seeds, run on
/// which datasets, and which evaluations are taken of each fitted model.
///
/// ```yaml
/// name: blobs-baselines
/// datasets:
///   - name: blobs
///     path: blobs.npy          # relative to the batch file's folder
///     label-column: -1         # optional; a 1-based position (-1: the last column), or a CSV header name
/// methods:
///   - method: truncated-svd
///     components: [2, 3]       # a list expands the grid (cartesian product)
///     center: true             # a scalar stays fixed
/// seeds: [0, 1]                # default [0]
/// evaluations: [reconstruction-error, explained-variance]   # default: all that apply
/// artifacts: artifacts/        # optional folder for each run's saved matrices (.npy)
/// distributed: true            # optional: every fit runs over the ranks of `mpirun -np N latent batch`
/// ```
///
/// A corpus batch trains word vectors (`method: word2vec`, the methods whose `input` is
/// `.corpus`) on text files and measures them with the text evaluations:
///
/// ```yaml
/// datasets:
///   - name: definitions
///     corpus: definitions.txt  # UTF-8, one sentence per line
///     lowercase: true          # optional, default false
///     tokens: alphanumeric     # optional: whitespace (default) or alphanumeric
/// methods:
///   - method: word2vec
///     architecture: [skipgram, cbow]
/// evaluations:
///   - word-similarity          # WordSim-353 and SimLex-999 (TextEvaluations.defaultFolder)
///   - analogies: questions.txt # or name the file(s)
/// ```
///
/// The language models `method: gpt` and `method: bert` also run on corpus datasets; they store
/// held-out scores and have no word vectors, so the text evaluations are refused with them.
/// Methods and datasets of the two kinds do not mix in one batch, and neither do rows
/// evaluations with corpus datasets: the file is refused when it is read.
public struct BatchFile: Sendable {
    /// One method entry with its grid already expanded.
    public struct MethodGrid: Sendable {
        /// The method's name.
        public let method: String
        /// Every grid point, each a full, resolved parameter set, in grid order (the last listed
        /// parameter varies fastest). Duplicate points are dropped.
        public let points: [Parameters]
        /// The entry's line in the batch file.
        public let line: Int
    }

    /// The file the batch came from, as given (used in messages).
    public let path: String
    /// The experiment's name; part of every run's identity.
    public let name: String
    /// Free text describing the experiment.
    public let description: String?
    /// Datasets, with file paths resolved against the batch file's folder.
    public let datasets: [DatasetSpec]
    /// Method entries with expanded grids.
    public let methods: [MethodGrid]
    /// Seeds, each grid point runs once per seed.
    public let seeds: [UInt64]
    /// Evaluation names given in the file; `nil` for "all that apply" (`ExperimentCatalog.defaultEvaluations`).
    public let evaluations: [String]?
    /// The files each file-reading evaluation that may run reads (absolute paths; given in the
    /// file or the evaluation's defaults), all checked when the file was read.
    public let evaluationFiles: [String: [String]]
    /// Folder for run artifacts (resolved), or `nil` to save none.
    public let artifactsFolder: String?
    /// The YAML text, stored with the experiment.
    public let source: String
    /// Whether every run's fit is spread over the processes of an MPI job (`distributed: true`):
    /// only methods in the catalog's `distributedMethods` may be named, and the batch runs with a
    /// `BatchOptions.fitter` that fits in lockstep on every rank (`mpirun -np N latent batch FILE`).
    public let distributed: Bool

    /// Every run the file asks for, in order: datasets, then methods and grid points, then seeds.
    /// Grid points repeated across entries of the same method run once.
    public var runs: [RunKey] {
        var seen = Set<RunKey>()
        var result = [RunKey]()
        for dataset in datasets {
            for grid in methods {
                for point in grid.points {
                    for seed in seeds {
                        let key = RunKey(experiment: name, dataset: dataset.name, method: grid.method, parameters: point, seed: seed)
                        if seen.insert(key).inserted { result.append(key) }
                    }
                }
            }
        }
        return result
    }
}

/// A run's identity: experiment, dataset, method, canonical parameters and seed. Running the same
/// batch file again finds earlier runs by this key.
public struct RunKey: Hashable, Sendable, CustomStringConvertible {
    /// The experiment's name.
    public let experiment: String
    /// The dataset's name.
    public let dataset: String
    /// The method's name.
    public let method: String
    /// The full, resolved parameter set.
    public let parameters: Parameters
    /// The seed.
    public let seed: UInt64

    /// A run identity.
    public init(experiment: String, dataset: String, method: String, parameters: Parameters, seed: UInt64) {
        self.experiment = experiment
        self.dataset = dataset
        self.method = method
        self.parameters = parameters
        self.seed = seed
    }

    /// `parameters` as canonical JSON (sorted keys), as stored.
    public var parametersJSON: String { parameters.canonicalJSON }

    /// `truncated-svd(center=true, components=2) seed 0 on blobs`.
    public var description: String { "\(method)(\(parameters.summary)) seed \(seed) on \(dataset)" }
}

/// A batch file that cannot be run, with the file and 1-based line of the problem:
/// `batch.yaml:7: method 'pcaa' is not known; known: truncated-svd`.
public struct BatchFileError: Error, Equatable, CustomStringConvertible {
    /// The batch file, as given.
    public let path: String
    /// The 1-based line of the problem (0 when the whole file is at fault).
    public let line: Int
    /// What is wrong.
    public let message: String

    /// An error at `line` (1-based; 0 for the whole file) of `path`.
    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, or `path: message` without a line.
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
