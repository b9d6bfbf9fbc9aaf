import Foundation
import Testing
@testable import LatentExperiments

@Suite("Batch files: parsing, grids and errors with lines")
struct BatchFileTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        _ = try folder.writeToyData("wine.npy")
    }

    func parse(_ yaml: String, catalog: ExperimentCatalog = ToyMethods.catalog()) throws -> BatchFile {
        try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url, catalog: catalog)
    }

    /// Expects `yaml` to be rejected at `line` with a message containing `fragment`.
    func expectRejected(_ yaml: String, line: Int, _ fragment: String, catalog: ExperimentCatalog = ToyMethods.catalog(),
                        sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(yaml, catalog: catalog)
            Issue.record("accepted a malformed file; expected line \(line): \(fragment)", sourceLocation: sourceLocation)
        } catch let error as BatchFileError {
            #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix(line > 0 ? "batch.yaml:\(line): " : "batch.yaml: "), "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    static let wine = """
        name: wine-baselines
        datasets:
          - name: wine
            path: wine.npy
            label-column: 6        # optional
        methods:
          - method: truncated-svd
            components: [2, 3]     # a list expands the grid
            center: [false, true]
          - method: toy
            scale: 1
        seeds: [0, 1]
        """

    @Test("the issue's form parses: datasets, grid, seeds, default evaluations")
    func issueForm() throws {
        let batch = try parse(Self.wine)
        #expect(batch.name == "wine-baselines")
        #expect(batch.datasets.count == 1)
        #expect(batch.datasets[0].name == "wine")
        #expect(batch.datasets[0].source == .file(path: folder.path("wine.npy"), format: "npy"))
        #expect(batch.datasets[0].labelColumn == .index(5))
        #expect(batch.datasets[0].line == 3)
        #expect(batch.seeds == [0, 1])
        #expect(batch.evaluations == nil)
        #expect(batch.methods.map(\.method) == ["truncated-svd", "toy"])
        #expect(batch.methods.map(\.line) == [7, 10])
        // components × center, last axis fastest, defaults filled in.
        let points = batch.methods[0].points
        #expect(points == [
            ["components": .int(2), "center": .bool(false), "solver": .string("svd")],
            ["components": .int(2), "center": .bool(true), "solver": .string("svd")],
            ["components": .int(3), "center": .bool(false), "solver": .string("svd")],
            ["components": .int(3), "center": .bool(true), "solver": .string("svd")],
        ])
        // An integer for a real parameter becomes a real.
        #expect(batch.methods[1].points == [["scale": .double(1), "fail": .bool(false), "mode": .string("a"), "width": .int(1)]])
        let runs = batch.runs
        #expect(runs.count == (4 + 1) * 2)
        #expect(runs[0] == RunKey(experiment: "wine-baselines", dataset: "wine", method: "truncated-svd",
                                  parameters: points[0], seed: 0))
        #expect(runs[1].seed == 1 && runs[1].parameters == points[0])
        #expect(runs[0].parametersJSON == #"{"center":false,"components":2,"solver":"svd"}"#)
    }

    @Test("grids: three axes multiply, repeated values and points collapse, seeds default to 0")
    func gridExpansion() throws {
        let batch = try parse("""
            name: grid
            datasets: [{name: d, path: wine.npy}]
            methods:
              - method: toy
                scale: [0.5, 1, 0.5]
                mode: [a, b]
                width: [1, 2, 3]
              - method: toy
                scale: 1.0
                mode: b
                width: 2
            evaluations: [explained-variance]
            artifacts: out/arts
            """)
        #expect(batch.methods[0].points.count == 2 * 2 * 3)
        #expect(batch.methods[0].points[1] == ["scale": .double(0.5), "mode": .string("a"), "width": .int(2), "fail": .bool(false)])
        #expect(batch.seeds == [0])
        #expect(batch.runs.count == 12)   // the second entry repeats a point of the first
        #expect(batch.evaluations == ["explained-variance"])
        #expect(batch.artifactsFolder == folder.path("out/arts"))
    }

    @Test("a 160000-point grid is checked in linear time (distinct values and points through hash sets)")
    func largeGrid() throws {
        let scales = (0..<20_000).map { "\($0)" }.joined(separator: ", ")
        let batch = try parse("""
            name: big
            datasets: [{name: d, path: wine.npy}]
            methods:
              - method: toy
                scale: [\(scales), 0, 1]
                mode: [a, b]
                width: [1, 2, 3, 4]
            """)
        #expect(batch.methods[0].points.count == 20_000 * 2 * 4)
        #expect(batch.runs.count == 160_000)
        // (Quadratic de-duplication took minutes here; the suite's running time is the check.)
    }

    @Test("a scalar seed, quoted names and a description are accepted")
    func scalars() throws {
        let batch = try parse("""
            name: "2024"
            description: first try
            datasets: [{name: d, path: wine.npy}]
            methods: [{method: truncated-svd, solver: eigen}]
            seeds: 7
            """)
        #expect(batch.name == "2024")
        #expect(batch.description == "first try")
        #expect(batch.seeds == [7])
        #expect(batch.methods[0].points[0]["solver"] == .string("eigen"))
    }

    @Test("an unknown method names the line and the known methods")
    func unknownMethod() throws {
        let yaml = """
            name: x
            datasets:
              - name: wine
                path: wine.npy
            methods:
              - method: truncated-svd
              - method: pcaa
                components: 2
            """
        #expect(throws: BatchFileError(path: "batch.yaml", line: 7, message: "method 'pcaa' is not known; known: autoencoder, bert, colorization, context, cpc, dict, gpt, ica, inpainting, kpca, linear-autoencoder, nmf, pca, rbm, rotation, simclr, truncated-svd, tsne, vae, word2vec")) {
            try parse(yaml, catalog: .standard)
        }
        do {
            _ = try parse(yaml, catalog: .standard)
        } catch {
            #expect("\(error)" == "batch.yaml:7: method 'pcaa' is not known; known: autoencoder, bert, colorization, context, cpc, dict, gpt, ica, inpainting, kpca, linear-autoencoder, nmf, pca, rbm, rotation, simclr, truncated-svd, tsne, vae, word2vec")
        }
    }

    @Test("every malformed file is rejected with the line of its problem")
    func malformed() {
        let head = "name: x\ndatasets:\n  - name: wine\n    path: wine.npy\n"   // lines 1-4
        // Keys and structure.
        expectRejected(head + "methods: [{method: toy}]\nseed: 3\n", line: 6, "unknown key 'seed' in the batch file; allowed: artifacts, datasets, description")
        expectRejected("datasets: [{name: d, path: wine.npy}]\nmethods: [{method: toy}]\n", line: 1, "missing key 'name'")
        expectRejected(head, line: 1, "missing key 'methods'")
        expectRejected("name: x\nmethods: [{method: toy}]\n", line: 1, "missing key 'datasets'")
        expectRejected("name: x\ndatasets: wine\nmethods: [{method: toy}]\n", line: 2, "'datasets' must be a list")
        expectRejected(head + "methods: []\n", line: 5, "'methods' is empty")
        expectRejected(head + "methods:\n  - components: 2\n", line: 6, "method entry without 'method'")
        expectRejected(head + "methods:\n  - toy\n", line: 6, "a method entry must be a mapping")
        expectRejected("", line: 0, "the file is empty")
        expectRejected(head + "methods: [{method: toy}\n", line: 6, "not valid YAML")
        expectRejected(head + "name: y\nmethods: [{method: toy}]\n", line: 1, "'name' is given twice in one mapping")
        // Methods and parameters.
        expectRejected(head + "methods:\n  - method: truncated-svd\n    compnents: 2\n", line: 7,
                       "method 'truncated-svd' has no parameter 'compnents'; parameters: center, components, solver")
        expectRejected(head + "methods:\n  - method: truncated-svd\n    components: two\n", line: 7,
                       "parameter 'components' of method 'truncated-svd' must be an integer, got 'two'")
        expectRejected(head + "methods:\n  - method: truncated-svd\n    components: [2,\n      0]\n", line: 8, "must be at least 1, got 0")
        expectRejected(head + "methods:\n  - method: truncated-svd\n    components: 2.5\n", line: 7, "must be an integer, got '2.5'")
        expectRejected(head + "methods:\n  - method: truncated-svd\n    center: maybe\n", line: 7, "must be true or false, got 'maybe'")
        expectRejected(head + "methods:\n  - method: truncated-svd\n    solver: qr\n", line: 7, "must be one of svd, eigen, got 'qr'")
        expectRejected(head + "methods:\n  - method: toy\n    scale: -1\n", line: 7, "must be at least 0.0, got -1.0")
        expectRejected(head + "methods:\n  - method: toy\n    width: 10\n", line: 7, "must be at most 9, got 10")
        expectRejected(head + "methods:\n  - method: toy\n    scale: []\n", line: 7, "an empty list gives no runs")
        expectRejected(head + "methods:\n  - method: toy\n    scale: {a: 1}\n", line: 7, "must be a value or a list of values")
        expectRejected(head + "methods:\n  - method: toy\n    scale: [[1]]\n", line: 7, "must be a value or a list of values")
        // Seeds.
        expectRejected(head + "methods: [{method: toy}]\nseeds: [0, a]\n", line: 6, "'seeds' must be a non-negative integer")
        expectRejected(head + "methods: [{method: toy}]\nseeds: -1\n", line: 6, "'seeds' must be a non-negative integer")
        expectRejected(head + "methods: [{method: toy}]\nseeds: []\n", line: 6, "'seeds' is empty")
        // Evaluations.
        expectRejected(head + "methods: [{method: toy}]\nevaluations: [explained-variance, fewshots]\n", line: 6,
                       "evaluation 'fewshots' is not known; known: analogies, disentanglement, explained-variance, fewshot, label-count, reconstruction-error, word-similarity")
        expectRejected(head + "methods:\n  - method: encoder-only\nevaluations:\n  - reconstruction-error\n", line: 8,
                       "evaluation 'reconstruction-error' needs a method that reconstructs its input; 'encoder-only' (line 6) does not")
        expectRejected(head + "methods: [{method: toy}]\nevaluations: [label-count]\n", line: 6,
                       "evaluation 'label-count' needs labels; dataset 'wine' (line 3) has no 'label-column'")
    }

    @Test("malformed dataset entries are rejected with their line")
    func malformedDatasets() {
        let tail = "methods: [{method: toy}]\n"
        expectRejected("name: x\ndatasets:\n  - name: wine\n    path: missing.npy\n" + tail, line: 4,
                       "dataset 'wine': file missing.npy does not exist")
        expectRejected("name: x\ndatasets:\n  - name: wine\n    path: wine.parquet\n" + tail, line: 4,
                       "dataset 'wine': .parquet files are not supported (supported formats: csv, npy)")
        expectRejected("name: x\ndatasets:\n  - name: wine\n    path: wine.npy\n    format: parquet\n" + tail, line: 5,
                       "format 'parquet' is not supported; supported: csv, npy")
        expectRejected("name: x\ndatasets:\n  - name: wine\n    path: wine.npy\n    lable-column: 5\n" + tail, line: 5,
                       "unknown key 'lable-column' in a dataset entry; allowed: builtin, corpus, format, label-column, lowercase, name, path, tokens")
        expectRejected("name: x\ndatasets:\n  - name: wine\n    path: wine.npy\n    label-column: class\n" + tail, line: 5,
                       "npy files have no column names; 'label-column' must be a column index, got 'class'")
        expectRejected("name: x\ndatasets:\n  - name: wine\n" + tail, line: 3, "dataset 'wine' needs 'path'")
        expectRejected("name: x\ndatasets:\n  - path: wine.npy\n" + tail, line: 3, "dataset entry without 'name'")
        expectRejected("name: x\ndatasets:\n  - name: f\n    builtin: imagenet\n" + tail, line: 4,
                       "built-in dataset 'imagenet' is not known; known: dsprites, fashion-mnist")
        expectRejected("name: x\ndatasets:\n  - name: f\n    path: wine.npy\n    builtin: fashion-mnist\n" + tail, line: 5,
                       "has both 'path' and 'builtin'")
        expectRejected("name: x\ndatasets:\n  - {name: a, path: wine.npy}\n  - {name: a, path: wine.npy}\n" + tail, line: 4,
                       "dataset 'a' is listed twice")
        expectRejected("name: x\ndatasets:\n  - name: a\n    path: [wine.npy]\n" + tail, line: 4, "a dataset's 'path' must be text")
    }

    @Test("a built-in dataset registered in the catalog is accepted")
    func builtin() throws {
        var catalog = ToyMethods.catalog()
        catalog.datasets.register(builtin: "tiny") { spec in Dataset(name: spec.name, features: .ones(3, 2), labels: [0, 1, 0]) }
        let batch = try parse("name: x\ndatasets: [{name: t, builtin: tiny}]\nmethods: [{method: toy}]\nevaluations: [label-count]\n", catalog: catalog)
        #expect(batch.datasets[0].source == .builtin("tiny"))
        let data = try catalog.datasets.load(batch.datasets[0])
        #expect(data.labels == [0, 1, 0])
    }

    @Test("load(path:) resolves data paths from the batch file's folder and reports unreadable files")
    func loadFromFile() throws {
        try FileManager.default.createDirectory(atPath: folder.path("sub"), withIntermediateDirectories: true)
        let path = try folder.write("sub/b.yaml", "name: x\ndatasets: [{name: d, path: ../wine.npy}]\nmethods: [{method: truncated-svd}]\n")
        let batch = try BatchFile.load(path: path)
        #expect(batch.datasets[0].source == .file(path: folder.path("wine.npy"), format: "npy"))
        #expect(batch.source.hasPrefix("name: x"))
        #expect(throws: BatchFileError.self) { try BatchFile.load(path: folder.path("nope.yaml")) }
    }
}
