import Foundation
import LatentCore
import LatentExperiments
import LatentIO
import Testing

/// Every command that reads a data file takes the shared reading flags (`DataFileOptions` in
/// Sources/latent/Input/DataFileOptions.swift) with the same help, and its labels file beside
/// each input; a column position means the same on the command line and in a batch file.
@Suite("latent input options")
struct InputOptionsTests {
    /// The reading flags, as the command tree shows them.
    static let readingFlags: Set<String> = ["--header", "--no-header", "--delimiter", "--label-column", "--drop-columns", "--scale", "--rows"]

    /// Subtrees left out, and why: `latent bench …` times the library on the Float32 `.npy`
    /// matrices that scripts/bench hands to it and to the peer alike; its `--input` is no user data.
    static let harnesses = "latent bench"

    /// Commands that must be found reading a data file (so the detection below cannot miss them;
    /// a new reader is checked as soon as it has a data-file argument).
    static let expectedReaders: Set<String> = [
        "latent pca", "latent kpca", "latent ica", "latent dict", "latent nmf", "latent rbm", "latent embed", "latent tsne",
        "latent fewshot", "latent probe", "latent cluster", "latent plot grid", "latent plot scatter",
        "latent train autoencoder", "latent train vae", "latent interpolate"]

    /// One argument of `--experimental-dump-help`: its long names and help text.
    struct Argument {
        let names: [String]
        let help: String
        let positional: String?
        let allValues: [String]
    }

    /// Every command of the tree with its arguments, from the binary's own description of itself.
    static func commandTree() throws -> [(name: String, arguments: [Argument])] {
        let s = try Scratch()
        let r = try s.run(["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var commands: [(name: String, arguments: [Argument])] = []
        func walk(_ command: [String: Any], path: String) {
            let arguments = (command["arguments"] as? [[String: Any]] ?? []).map { a in
                Argument(names: (a["names"] as? [[String: Any]] ?? []).compactMap { n in
                             n["kind"] as? String == "long" ? (n["name"] as? String).map { "--" + $0 } : nil },
                         help: a["abstract"] as? String ?? "",
                         positional: a["kind"] as? String == "positional" ? a["valueName"] as? String : nil,
                         allValues: a["allValues"] as? [String] ?? [])
            }
            commands.append((path, arguments))
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path: path + " " + (sub["commandName"] as? String ?? "?"))
            }
        }
        walk(try #require(root["command"] as? [String: Any]), path: "latent")
        return commands
    }

    @Test("every command that reads a data file has exactly the shared reading flags, with one help text each (walks the command tree)")
    func everyReaderHasTheReadingFlags() throws {
        let tree = try Self.commandTree()
        // The reference help texts: `latent pca`'s.
        let pca = try #require(tree.first { $0.name == "latent pca" })
        var reference: [String: String] = [:]
        for a in pca.arguments { for n in a.names where Self.readingFlags.contains(n) { reference[n] = a.help } }
        #expect(Set(reference.keys) == Self.readingFlags)
        #expect(reference["--label-column"]?.contains("positions count from 1; -1 is the last") == true)

        var readers: Set<String> = []
        for (name, arguments) in tree where !name.hasPrefix(Self.harnesses) {
            let flags = Dictionary(arguments.flatMap { a in a.names.map { ($0, a.help) } }, uniquingKeysWith: { a, _ in a })
            // A data-file argument: a positional `input`, `--input`, `--train`/`--test`, or a `--dataset` that takes a FILE.
            let reads = arguments.contains { $0.positional == "input" }
                || flags["--input"] != nil || flags["--train"] != nil || flags["--test"] != nil
                || arguments.contains { $0.names == ["--dataset"] && $0.allValues.contains("FILE") }
            let reading = Self.readingFlags.filter { flags[$0] != nil }
            guard reads else {
                #expect(reading.isEmpty, "\(name) reads no data file but has \(reading.sorted()) (a copy of the reading flags?)")
                continue
            }
            readers.insert(name)
            #expect(reading == Self.readingFlags, "\(name) lacks \(Self.readingFlags.subtracting(reading).sorted())")
            for flag in reading {
                #expect(flags[flag] == reference[flag], "\(name) \(flag): \"\(flags[flag] ?? "")\" is not the shared help \"\(reference[flag] ?? "")\"")
            }
            // One labels file per data file: --labels, or --train-labels and --test-labels.
            let twoFiles = flags["--train"] != nil
            let labelsFiles = twoFiles ? ["--train-labels", "--test-labels"] : ["--labels"]
            #expect(labelsFiles.allSatisfy { flags[$0] != nil }, "\(name) lacks \(labelsFiles)")
        }
        #expect(readers.isSuperset(of: Self.expectedReaders), "found \(readers.sorted())")
    }

    /// A CSV whose every column holds different labels, so the labels name the column they came from.
    static let table = "a,b,c,d\n1,10,0.5,7\n2,20,0.5,8\n1,10,1.5,9\n2,30,1.5,7\n1,20,2.5,8\n2,10,2.5,9\n"

    @Test("a label column is the same column on the command line and in a batch file", arguments: ["1", "2", "3", "-1", "-2", "first", "last", "b"])
    func labelColumnMeansTheSame(column: String) throws {
        let s = try Scratch()
        try s.write("d.csv", Self.table)
        // In a batch file: the dataset's labels (class ids) and feature count.
        let yaml = "name: columns\ndatasets:\n  - {name: d, path: d.csv, label-column: \(column)}\nmethods: [{method: pca, components: 1}]\n"
        let batch = try BatchFile.parse(yaml: yaml, path: "b.yaml", baseDirectory: s.folder)
        let dataset = try loadDataset(try #require(batch.datasets.first))
        // On the command line: the labels the output carries beside the scores.
        let r = try s.run(["pca", "d.csv", "--label-column", column, "--components", "1", "-o", "o.csv", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let cli = try s.readCSV("o.csv")
        let labels = try #require(cli.labels)
        #expect(LabelEncoding(labels).indices == dataset.labels, "--label-column \(column): \(labels) vs the batch file's \(dataset.labels ?? [])")
        #expect(dataset.features.columns == 3)
        // And the labels are the named column's own.
        let expected = ["1": "a", "first": "a", "2": "b", "b": "b", "3": "c", "-2": "c", "-1": "d", "last": "d"][column]!
        let cells = Self.table.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let j = cells[0].firstIndex(of: expected)!
        #expect(labels == cells.dropFirst().map { $0[j] })
    }

    @Test("a .npy label column is the same column on the command line and in a batch file", arguments: [1, 3, -1, -3])
    func npyLabelColumnMeansTheSame(position: Int) throws {
        let s = try Scratch()
        let m = Matrix<Double>(rows: 4, columns: 3, storage: [0, 5, 1, 1, 6, 1, 0, 7, 2, 1, 8, 2])
        try NPY.write(m, to: s.folder.appendingPathComponent("d.npy"))
        let batch = try BatchFile.parse(yaml: "name: n\ndatasets: [{name: d, path: d.npy, label-column: \(position)}]\nmethods: [{method: pca, components: 1}]\n",
                                        path: "b.yaml", baseDirectory: s.folder)
        let dataset = try loadDataset(try #require(batch.datasets.first))
        let r = try s.run(["pca", "d.npy", "--label-column", String(position), "--components", "1", "-o", "o.csv", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let labels = try #require(try s.readCSV("o.csv").labels).compactMap { Int($0) }
        let j = position > 0 ? position - 1 : 3 + position
        #expect(labels == m.column(j).map { Int($0) })
        #expect(dataset.labels == labels)
    }

    @Test("column errors state the convention, on the command line and in a batch file")
    func columnErrors() throws {
        let s = try Scratch()
        try s.write("d.csv", Self.table)
        let outside = try s.run("pca d.csv --label-column 5")
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("column 5 is outside the 4 columns (positions count from 1; -1 is the last)"), "\(outside.stderr)")
        let zero = try s.run("pca d.csv --label-column 0")
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--label-column: positions count from 1; -1 is the last"), "\(zero.stderr)")
        let dropZero = try s.run("fewshot --train d.csv --test d.csv --label-column 1 --drop-columns 0")
        #expect(dropZero.status == 2)
        #expect(dropZero.stderr.contains("--drop-columns: positions count from 1; -1 is the last"), "\(dropZero.stderr)")
        do {
            _ = try BatchFile.parse(yaml: "name: z\ndatasets: [{name: d, path: d.csv, label-column: 0}]\nmethods: [{method: pca}]\n", path: "b.yaml", baseDirectory: s.folder)
            Issue.record("label-column: 0 was accepted in a batch file")
        } catch {
            #expect("\(error)".contains("positions count from 1; -1 is the last"), "\(error)")
        }
    }

    @Test("the two files of fewshot are read alike: the same flags apply to --train and --test")
    func twoFilesReadAlike() throws {
        let s = try Scratch()
        // Semicolon-separated, labels in the first column, a text column to drop.
        var rows = ["y;note;u;v"]
        for i in 0..<12 { rows.append("\(i % 2 == 0 ? "left" : "right");n\(i);\(Double(i % 2) * 4 + Double(i) * 0.01);\(Double(i % 3) * 0.1)") }
        try s.write("a.csv", rows.joined(separator: "\n") + "\n")
        let r = try s.run("fewshot --train a.csv --test a.csv --delimiter ; --label-column first --drop-columns note --rows 10 --shots 1 --episodes 4 --json")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"mean_accuracy\":1"), "\(r.stdout)")
        #expect(r.stderr.contains("10 train × 10 test rows, 2 features"), "\(r.stderr)")
        let both = try s.run("probe --train a.csv --test a.csv --delimiter ; --label-column 1 --train-labels y.npy")
        #expect(both.status == 2)
        #expect(both.stderr.contains("--label-column and --train-labels both give the labels"), "\(both.stderr)")
    }
}
