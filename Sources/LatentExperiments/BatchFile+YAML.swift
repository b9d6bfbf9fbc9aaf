import LatentCore
import Foundation
import LatentIO
import Yams
import LatentText

extension BatchFile {
    /// Reads and checks the batch file at `path`; relative dataset and artifact paths are taken
    /// from the file's folder.
    /// - Throws: `BatchFileError` (with the file's line) for unreadable or malformed files, unknown
    ///   keys, methods, parameters or evaluations, values of the wrong kind and missing data files.
    public static func load(path: String, catalog: ExperimentCatalog = .standard) throws -> BatchFile {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw BatchFileError(path: path, line: 0, message: "cannot read the file (\((error as NSError).localizedDescription))")
        }
        return try parse(yaml: text, path: path, baseDirectory: url.deletingLastPathComponent(), catalog: catalog)
    }

    /// Parses and checks batch YAML text (see `BatchFile` for the format). Nothing is run or loaded;
    /// data files are only checked to exist.
    /// - Parameters:
    ///   - path: the name used in messages.
    ///   - baseDirectory: the folder relative paths are resolved against (default: the current one).
    /// - Throws: `BatchFileError` naming the line of the first problem.
    public static func parse(yaml: String, path: String = "<batch>",
                             baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                             catalog: ExperimentCatalog = .standard) throws -> BatchFile {
        try BatchParser(path: path, base: baseDirectory, catalog: catalog).parse(yaml)
    }
}

/// The checks behind `BatchFile.parse`, one function per section of the file.
private struct BatchParser {
    let path: String
    let base: URL
    let catalog: ExperimentCatalog

    typealias Entry = (key: String, keyNode: Node, value: Node)

    static let topKeys = ["name", "description", "datasets", "methods", "seeds", "evaluations", "artifacts", "distributed"]
    static let datasetKeys = ["name", "path", "builtin", "format", "label-column", "corpus", "lowercase", "tokens"]

    func parse(_ yaml: String) throws -> BatchFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw translate(error)
        }
        guard let root else { throw fail(nil, "the file is empty; a batch needs name, datasets and methods") }
        let top = try entries(root, what: "the batch file", allowed: Self.topKeys)
        let byKey = Dictionary(top.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })

        guard let nameEntry = byKey["name"] else { throw fail(root, "missing key 'name' (the experiment's name)") }
        let name = try text(nameEntry.value, what: "'name'")
        let description = try byKey["description"].map { try text($0.value, what: "'description'") }

        guard let datasetsEntry = byKey["datasets"] else { throw fail(root, "missing key 'datasets'") }
        let datasets = try parseDatasets(datasetsEntry.value)

        guard let methodsEntry = byKey["methods"] else { throw fail(root, "missing key 'methods'") }
        let methods = try parseMethods(methodsEntry.value)
        try checkInputs(methods: methods, datasets: datasets.map(\.spec))

        let seeds = try byKey["seeds"].map { try parseSeeds($0.value) } ?? [0]
        let evaluations = try byKey["evaluations"].map { try parseEvaluations($0.value, methods: methods, datasets: datasets) }
        let evaluationFiles = try evaluations?.files ?? defaultEvaluationFiles(datasets: datasets.map(\.spec), methods: methods, node: root)
        let artifacts = try byKey["artifacts"].map { resolve(try text($0.value, what: "'artifacts'")) }
        let distributed = try byKey["distributed"].map { try parseDistributed($0.value, methods: methods) } ?? false

        return BatchFile(path: path, name: name, description: description, datasets: datasets.map(\.spec),
                         methods: methods, seeds: seeds, evaluations: evaluations?.names, evaluationFiles: evaluationFiles,
                         artifactsFolder: artifacts, source: yaml, distributed: distributed)
    }

    // MARK: - Sections

    private func parseDatasets(_ node: Node) throws -> [(spec: DatasetSpec, hasLabels: Bool)] {
        let items = try sequence(node, what: "'datasets'", of: "dataset entries (name, path)")
        var result = [(spec: DatasetSpec, hasLabels: Bool)]()
        for item in items {
            let fields = try entries(item, what: "a dataset entry", allowed: Self.datasetKeys)
            let f = Dictionary(fields.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            guard let nameEntry = f["name"] else { throw fail(item, "dataset entry without 'name'") }
            let name = try text(nameEntry.value, what: "a dataset's 'name'")
            if result.contains(where: { $0.spec.name == name }) { throw fail(nameEntry.value, "dataset '\(name)' is listed twice") }
            let line = item.mark?.line ?? 0

            var labelColumn: ColumnReference?
            if let entry = f["label-column"] {
                // Columns count as on the command line (`--label-column`): 1 is the first, -1 the last.
                // The same parser as the command line's, so a column means the same in both.
                switch scalar(entry.value) {
                case let .int(i)?: labelColumn = ColumnReference(position: i)
                case let .string(s)?: labelColumn = ColumnReference(s)
                default: throw fail(entry.value, "dataset '\(name)': 'label-column' must be a column position (\(ColumnReference.convention)) or name, got '\(show(entry.value))'")
                }
                if labelColumn == nil {
                    throw fail(entry.value, "dataset '\(name)': 'label-column' \(ColumnReference.convention), got 0")
                }
            }

            let sources = ["path", "builtin", "corpus"].compactMap { f[$0] }
            if sources.count > 1 {
                throw fail(sources[1].keyNode, "dataset '\(name)' has both '\(sources[0].key)' and '\(sources[1].key)'; give one")
            }
            if f["corpus"] == nil, let entry = f["lowercase"] ?? f["tokens"] {
                throw fail(entry.keyNode, "dataset '\(name)': '\(entry.key)' applies only to a corpus dataset ('corpus: FILE')")
            }
            if let corpusEntry = f["corpus"] {
                result.append((try parseCorpus(name: name, corpusEntry, fields: f, line: line), false))
                continue
            }
            switch (f["path"], f["builtin"]) {
            case (nil, nil):
                throw fail(item, "dataset '\(name)' needs 'path' (a data file), 'builtin' (a built-in dataset) or 'corpus' (a text file)")
            case (_?, _?):
                preconditionFailure("two sources were refused above")
            case let (nil, builtin?):
                let builtinName = try text(builtin.value, what: "'builtin'")
                guard catalog.datasets.builtins[builtinName] != nil else {
                    throw fail(builtin.value, "built-in dataset '\(builtinName)' is not known; known: \(DatasetRegistry.list(catalog.datasets.builtins.keys))")
                }
                if let entry = f["label-column"] { throw fail(entry.keyNode, "dataset '\(name)': 'label-column' does not apply to a built-in dataset") }
                if let entry = f["format"] { throw fail(entry.keyNode, "dataset '\(name)': 'format' does not apply to a built-in dataset") }
                result.append((DatasetSpec(name: name, source: .builtin(builtinName), line: line), true))
            case let (pathEntry?, nil):
                let given = try text(pathEntry.value, what: "a dataset's 'path'")
                let format: DatasetFormat
                if let formatEntry = f["format"] {
                    let formatName = try text(formatEntry.value, what: "'format'")
                    guard let known = catalog.datasets.formats[formatName] else {
                        throw fail(formatEntry.value, "dataset '\(name)': format '\(formatName)' is not supported; supported: \(DatasetRegistry.list(catalog.datasets.formats.keys))")
                    }
                    format = known
                } else {
                    guard let known = catalog.datasets.format(forPath: given) else {
                        let ext = (given as NSString).pathExtension
                        throw fail(pathEntry.value, "dataset '\(name)': \(ext.isEmpty ? "'\(given)' has no file extension" : ".\(ext) files are not supported") "
                                   + "(supported formats: \(DatasetRegistry.list(catalog.datasets.formats.keys))); name one with 'format'")
                    }
                    format = known
                }
                if case let .name(column)? = labelColumn, !format.supportsColumnNames {
                    throw fail(f["label-column"]!.value, "dataset '\(name)': \(format.name) files have no column names; 'label-column' must be a column index, got '\(column)'")
                }
                let resolved = try existingFile(given, node: pathEntry.value, what: "dataset '\(name)': file")
                result.append((DatasetSpec(name: name, source: .file(path: resolved, format: format.name), labelColumn: labelColumn, line: line),
                               labelColumn != nil))
            }
        }
        return result
    }

    /// A corpus dataset: `corpus: FILE` (one sentence per line) with `lowercase` and `tokens` as
    /// `latent word2vec train`'s `--lowercase` and `--tokens`.
    private func parseCorpus(name: String, _ corpusEntry: Entry, fields f: [String: Entry], line: Int) throws -> DatasetSpec {
        for key in ["label-column", "format"] {
            if let entry = f[key] { throw fail(entry.keyNode, "dataset '\(name)': '\(key)' does not apply to a corpus dataset") }
        }
        let given = try text(corpusEntry.value, what: "a dataset's 'corpus'")
        var lowercase = false
        if let entry = f["lowercase"] {
            guard case let .bool(b)? = scalar(entry.value) else {
                throw fail(entry.value, "dataset '\(name)': 'lowercase' must be true or false, got '\(show(entry.value))'")
            }
            lowercase = b
        }
        var tokens = "whitespace"
        if let entry = f["tokens"] {
            tokens = try text(entry.value, what: "'tokens'")
            guard Self.tokenizations.contains(tokens) else {
                throw fail(entry.value, "dataset '\(name)': 'tokens' must be one of \(Self.tokenizations.joined(separator: ", ")), got '\(tokens)'")
            }
        }
        let resolved = try existingFile(given, node: corpusEntry.value, what: "dataset '\(name)': corpus file")
        return DatasetSpec(name: name, source: .corpus(CorpusSource(path: resolved, lowercase: lowercase, tokens: tokens)), line: line)
    }

    /// How corpus lines split into words (LatentText's `Tokenization.Splitting`).
    static let tokenizations = Tokenization.Splitting.allCases.map(\.rawValue)

    /// `given` resolved against the batch file's folder; fails at `node` when it is not a file.
    private func existingFile(_ given: String, node: Node, what: String) throws -> String {
        let resolved = resolve(given)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw fail(node, "\(what) \(given) does not exist" + (given == resolved ? "" : " (looked for \(resolved))"))
        }
        return resolved
    }

    /// Every method runs on every dataset, so each method's input kind (rows or corpus) must be
    /// every dataset's.
    private func checkInputs(methods: [BatchFile.MethodGrid], datasets: [DatasetSpec]) throws {
        func words(_ input: MethodInput) -> String { input == .corpus ? "a text corpus" : "rows of features" }
        for grid in methods {
            let input = catalog.methods[grid.method]!.input
            if let d = datasets.first(where: { $0.input != input }) {
                throw BatchFileError(path: path, line: grid.line,
                                     message: "method '\(grid.method)' learns from \(words(input)), but dataset '\(d.name)' (line \(d.line)) is \(words(d.input)); "
                                              + "every method runs on every dataset, so put \(input == .corpus ? "corpus methods and corpus datasets" : "rows methods and rows datasets") in a batch of their own")
            }
        }
    }

    private func parseMethods(_ node: Node) throws -> [BatchFile.MethodGrid] {
        let items = try sequence(node, what: "'methods'", of: "method entries (method: NAME, then its parameters)")
        var grids = [BatchFile.MethodGrid]()
        for item in items {
            let fields = try entries(item, what: "a method entry", allowed: nil)
            guard let methodEntry = fields.first(where: { $0.key == "method" }) else {
                throw fail(item, "method entry without 'method' (one of: \(catalog.methods.names.joined(separator: ", ")))")
            }
            let methodName = try text(methodEntry.value, what: "'method'")
            guard let spec = catalog.methods[methodName] else {
                throw fail(methodEntry.value, "method '\(methodName)' is not known; known: \(DatasetRegistry.list(catalog.methods.names))")
            }
            // One axis per parameter, in the order written; a scalar is an axis of one value.
            var axes = [(name: String, values: [ParameterValue])]()
            for field in fields where field.key != "method" {
                guard let parameter = spec.parameter(named: field.key) else {
                    throw fail(field.keyNode, spec.unknownParameterMessage(field.key))
                }
                let valueNodes: [Node]
                if case .sequence = field.value {
                    valueNodes = Array(field.value.sequence ?? [])
                    if valueNodes.isEmpty { throw fail(field.value, "parameter '\(field.key)' of method '\(methodName)': an empty list gives no runs") }
                } else {
                    valueNodes = [field.value]
                }
                var values = [ParameterValue](), seenValues = Set<ParameterValue>()
                for valueNode in valueNodes {
                    guard let raw = scalar(valueNode) else {
                        throw fail(valueNode, "parameter '\(field.key)' of method '\(methodName)' must be a value or a list of values, got '\(show(valueNode))'")
                    }
                    switch parameter.validate(raw) {
                    case .success(let v): if seenValues.insert(v).inserted { values.append(v) }
                    case .failure(let e): throw fail(valueNode, "parameter '\(field.key)' of method '\(methodName)' \(e)")
                    }
                }
                axes.append((field.key, values))
            }
            var points: [Parameters] = [spec.defaults]
            for axis in axes {
                points = points.flatMap { point in axis.values.map { v in point.merging([axis.name: v]) { _, new in new } } }
            }
            // Distinct points in order, through a hash set: linear, where comparing each point
            // with every earlier one made a 160k-point grid take minutes.
            var seen = Set<Parameters>(), unique = [Parameters]()
            unique.reserveCapacity(points.count)
            for p in points where seen.insert(p).inserted { unique.append(p) }
            if let check = spec.checkParameters {
                for p in unique {
                    if let reason = check(p) { throw fail(item, "method '\(methodName)' (\(p.summary)): \(reason)") }
                }
            }
            grids.append(BatchFile.MethodGrid(method: methodName, points: unique, line: item.mark?.line ?? 0))
        }
        return grids
    }

    private func parseSeeds(_ node: Node) throws -> [UInt64] {
        let nodes: [Node]
        if case .sequence = node { nodes = Array(node.sequence ?? []) } else { nodes = [node] }
        if nodes.isEmpty { throw fail(node, "'seeds' is empty; give at least one seed (or leave the key out for seed 0)") }
        var seeds = [UInt64]()
        for n in nodes {
            guard case let .int(v)? = scalar(n), v >= 0 else {
                throw fail(n, "'seeds' must be a non-negative integer or a list of them, got '\(show(n))'")
            }
            if !seeds.contains(UInt64(v)) { seeds.append(UInt64(v)) }
        }
        return seeds
    }

    /// The evaluations named, each a name or, for evaluations that read files, `name: FILE` or
    /// `name: [FILE, …]`; with the files of every file-reading evaluation (given or default),
    /// each checked whole.
    private func parseEvaluations(_ node: Node, methods: [BatchFile.MethodGrid],
                                  datasets: [(spec: DatasetSpec, hasLabels: Bool)]) throws -> (names: [String], files: [String: [String]]) {
        let items = try sequence(node, what: "'evaluations'", of: "evaluation names")
        var names = [String](), files = [String: [String]]()
        for item in items {
            let nameNode: Node, filesNode: Node?
            if case .mapping = item {
                let fields = try entries(item, what: "an evaluation with files", allowed: nil)
                guard fields.count == 1 else {
                    throw fail(item, "an evaluation with files is one 'name: FILE' or 'name: [FILE, …]', got \(fields.count) keys")
                }
                (nameNode, filesNode) = (fields[0].keyNode, fields[0].value)
            } else {
                (nameNode, filesNode) = (item, nil)
            }
            let name = try text(nameNode, what: "an evaluation")
            guard let evaluation = catalog.evaluations[name] else {
                throw fail(nameNode, "evaluation '\(name)' is not known; known: \(DatasetRegistry.list(catalog.evaluations.names))")
            }
            if evaluation.requirements.contains(.corpus), let d = datasets.first(where: { $0.spec.input != .corpus }) {
                throw fail(nameNode, "evaluation '\(name)' measures word vectors and needs a corpus dataset; dataset '\(d.spec.name)' (line \(d.spec.line)) holds rows of features")
            }
            if evaluation.requirements.contains(.corpus),
               let grid = methods.first(where: { !(catalog.methods[$0.method]?.givesWordVectors ?? false) }) {
                throw fail(nameNode, "evaluation '\(name)' measures word vectors; method '\(grid.method)' (line \(grid.line)) gives none")
            }
            if !evaluation.requirements.contains(.corpus), let d = datasets.first(where: { $0.spec.input == .corpus }) {
                let textEvaluations = catalog.evaluations.names.filter { catalog.evaluations[$0]!.requirements.contains(.corpus) }
                throw fail(nameNode, "evaluation '\(name)' takes rows of features; dataset '\(d.spec.name)' (line \(d.spec.line)) is a text corpus "
                                     + "(evaluations of corpus runs: \(DatasetRegistry.list(textEvaluations)))")
            }
            if let fileInput = evaluation.files {
                if let filesNode {
                    let given: [Node]
                    if case .sequence = filesNode { given = try sequence(filesNode, what: "the files of '\(name)'", of: "file paths") } else { given = [filesNode] }
                    if given.count > 1 && !fileInput.allowsSeveral {
                        throw fail(filesNode, "evaluation '\(name)' reads one file, got \(given.count)")
                    }
                    files[name] = try given.map { fileNode in
                        let resolved = try existingFile(try text(fileNode, what: "a file of '\(name)'"), node: fileNode, what: "evaluation '\(name)': file")
                        try checkEvaluationFile(resolved, of: evaluation, node: fileNode)
                        return resolved
                    }
                } else {
                    files[name] = try defaultFiles(of: evaluation, node: nameNode)
                }
            } else if let filesNode {
                throw fail(filesNode, "evaluation '\(name)' reads no files; give its name alone")
            }
            if evaluation.requirements.contains(.reconstruction),
               let grid = methods.first(where: { !(catalog.methods[$0.method]?.canReconstruct ?? false) }) {
                throw fail(item, "evaluation '\(name)' needs a method that reconstructs its input; '\(grid.method)' (line \(grid.line)) does not")
            }
            if evaluation.requirements.contains(.labels), let d = datasets.first(where: { !$0.hasLabels }) {
                throw fail(item, "evaluation '\(name)' needs labels; dataset '\(d.spec.name)' (line \(d.spec.line)) has no 'label-column'")
            }
            if evaluation.requirements.contains(.groundTruth), let d = datasets.first(where: { !catalog.datasets.hasGroundTruth($0.spec) }) {
                throw fail(item, "evaluation '\(name)' needs a dataset with generative factors (builtin: \(DatasetRegistry.list(catalog.datasets.builtinsWithGroundTruth))); dataset '\(d.spec.name)' (line \(d.spec.line)) has none")
            }
            if !names.contains(name) { names.append(name) }
        }
        return (names, files)
    }

    /// When the file names no evaluations: the default files of the evaluations corpus runs of
    /// word-vector methods get (none for a batch of rows datasets or of language models), each
    /// checked whole.
    private func defaultEvaluationFiles(datasets: [DatasetSpec], methods: [BatchFile.MethodGrid], node: Node) throws -> [String: [String]] {
        guard datasets.contains(where: { $0.input == .corpus }),
              methods.contains(where: { catalog.methods[$0.method]?.givesWordVectors ?? false }) else { return [:] }
        var files = [String: [String]]()
        for name in catalog.evaluations.names {
            guard let evaluation = catalog.evaluations[name], evaluation.requirements.contains(.corpus), evaluation.files != nil else { continue }
            files[name] = try defaultFiles(of: evaluation, node: node, implied: true)
        }
        return files
    }

    /// An evaluation's default files, which must exist and be well-formed.
    private func defaultFiles(of evaluation: EvaluationSpec, node: Node, implied: Bool = false) throws -> [String] {
        let defaults = evaluation.files?.defaults ?? []
        for file in defaults {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw fail(node, "evaluation '\(evaluation.name)'\(implied ? " (run on corpus datasets when 'evaluations' is left out)" : ""): "
                                 + "its default file \(file) does not exist; name files with '- \(evaluation.name): FILE' in 'evaluations'")
            }
            try checkEvaluationFile(file, of: evaluation, node: node)
        }
        return defaults
    }

    /// Reads an evaluation file whole; its first problem (file and line) becomes the batch file's error at `node`.
    private func checkEvaluationFile(_ file: String, of evaluation: EvaluationSpec, node: Node) throws {
        do {
            try evaluation.files?.check(URL(fileURLWithPath: file))
        } catch {
            throw fail(node, "evaluation '\(evaluation.name)': \(error)")
        }
    }

    /// `distributed: true|false`; when true, every method entry must name a method of
    /// `catalog.distributedMethods` and every grid point must pass its check.
    private func parseDistributed(_ node: Node, methods: [BatchFile.MethodGrid]) throws -> Bool {
        guard case .bool(let on)? = scalar(node) else { throw fail(node, "'distributed' must be true or false, got '\(show(node))'") }
        guard on else { return false }
        for grid in methods {
            guard let check = catalog.distributedMethods[grid.method] else {
                let known = catalog.distributedMethods.keys.sorted()
                throw BatchFileError(path: path, line: grid.line,
                                     message: "method '\(grid.method)' cannot run in a distributed batch (distributed: true, line \(node.mark?.line ?? 0)); "
                                              + "methods that can: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
            }
            for point in grid.points {
                if let reason = check(point) {
                    throw BatchFileError(path: path, line: grid.line, message: "method '\(grid.method)' in a distributed batch: \(reason)")
                }
            }
        }
        return true
    }

    // MARK: - Node helpers

    /// A mapping's entries with string keys; unknown keys (when `allowed` is given) and repeated keys are errors.
    private func entries(_ node: Node, what: String, allowed: [String]?) throws -> [Entry] {
        guard case let .mapping(mapping) = node else {
            throw fail(node, "\(what) must be a mapping of keys to values, got '\(show(node))'")
        }
        var result = [Entry]()
        for (keyNode, value) in mapping {
            guard case let .scalar(key) = keyNode else { throw fail(keyNode, "\(what): keys must be plain words") }
            if let allowed, !allowed.contains(key.string) {
                throw fail(keyNode, "unknown key '\(key.string)' in \(what); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            if result.contains(where: { $0.key == key.string }) { throw fail(keyNode, "key '\(key.string)' appears twice in \(what)") }
            result.append((key.string, keyNode, value))
        }
        return result
    }

    private func sequence(_ node: Node, what: String, of items: String) throws -> [Node] {
        guard case let .sequence(seq) = node else { throw fail(node, "\(what) must be a list of \(items), got '\(show(node))'") }
        if seq.isEmpty { throw fail(node, "\(what) is empty") }
        return Array(seq)
    }

    /// A non-empty scalar's text (any scalar type reads as its text: `name: 2024` is the name "2024").
    private func text(_ node: Node, what: String) throws -> String {
        guard case let .scalar(s) = node, node.tag.rawValue != Tag.Name.null.rawValue, !s.string.isEmpty else {
            throw fail(node, "\(what) must be text, got '\(show(node))'")
        }
        return s.string
    }

    /// A scalar as a parameter value, by its resolved YAML type; `nil` for nulls and non-scalars.
    private func scalar(_ node: Node) -> ParameterValue? {
        guard case let .scalar(s) = node else { return nil }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .int: return node.int.map(ParameterValue.int)
        case .float: return node.float.map(ParameterValue.double)
        case .bool: return node.bool.map(ParameterValue.bool)
        case .null: return nil
        default: return .string(s.string)
        }
    }

    /// A short rendering of a node for messages.
    private func show(_ node: Node) -> String {
        switch node {
        case let .scalar(s): return MessageText.quoted(s.string, limit: 60)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func resolve(_ given: String) -> String {
        given.hasPrefix("/") ? given : base.appendingPathComponent(given).standardizedFileURL.path
    }

    private func fail(_ node: Node?, _ message: String) -> BatchFileError {
        BatchFileError(path: path, line: node?.mark?.line ?? 0, message: message)
    }

    private func translate(_ error: YamlError) -> BatchFileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let extra = context.map { " (\($0.text))" } ?? ""
            return BatchFileError(path: path, line: mark.line, message: "not valid YAML: \(problem)\(extra)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return BatchFileError(path: path, line: context.mark.line,
                                  message: "\(names) \(duplicates.count == 1 ? "is" : "are") given twice in one mapping (first here)")
        default:
            return BatchFileError(path: path, line: 0, message: "not valid YAML: \(error)")
        }
    }
}
