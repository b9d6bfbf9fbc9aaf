import Foundation
import Testing

/// Every command that reads one data file takes the shared `InputOptions` group: the same flags,
/// and the same column positions (1-based, as in `label-column` of a batch file).
@Suite("latent input options")
struct InputOptionsTests {
    /// The flags of `InputOptions` (Sources/latent/Input/DataInput.swift); `--header` stands for `--[no-]header`.
    static let inputFlags: Set<String> = ["--header", "--delimiter", "--label-column", "--drop-columns", "--labels", "--scale", "--rows"]

    /// Commands whose positional `input` is not a data table: `plot grid` tiles an image matrix and
    /// its `--scale` enlarges pixels.
    static let notDataTables: Set<String> = ["latent plot grid"]

    @Test("every command with a data-file argument has every input flag (walks the command tree)")
    func commandTree() throws {
        let s = try Scratch()
        let r = try s.run(["--experimental-dump-help"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var checked: [String] = []
        func walk(_ command: [String: Any], path: String) {
            let name = path.isEmpty ? (command["commandName"] as? String ?? "latent") : path
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            let positional = arguments.filter { $0["kind"] as? String == "positional" }
                .compactMap { ($0["valueName"] as? String) ?? ($0["names"] as? [[String: Any]])?.first?["name"] as? String }
            let flags = Set(arguments.flatMap { ($0["names"] as? [[String: Any]] ?? []).compactMap { n -> String? in
                guard n["kind"] as? String == "long", let name = n["name"] as? String else { return nil }
                return "--" + name
            } })
            if positional.contains("input") && !Self.notDataTables.contains(name) {
                checked.append(name)
                let missing = Self.inputFlags.subtracting(flags)
                #expect(missing.isEmpty, "\(name) lacks \(missing.sorted())")
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path: name + " " + (sub["commandName"] as? String ?? "?"))
            }
        }
        walk(try #require(root["command"] as? [String: Any]), path: "")
        // The fitting commands, embed, tsne and plot scatter at least.
        for expected in ["latent pca", "latent kpca", "latent ica", "latent dict", "latent nmf", "latent rbm", "latent embed", "latent tsne", "latent plot scatter"] {
            #expect(checked.contains(expected), "\(expected) not found among \(checked)")
        }
    }

    @Test("a label column means the same on the command line and in a batch file: 1 is the first column")
    func labelColumnPositions() throws {
        let s = try Scratch()
        try s.write("d.csv", "0,1.0,2.0\n1,2.0,1.0\n0,3.0,5.0\n1,4.0,3.0\n0,5.0,4.0\n")
        let r = try s.run("tsne d.csv -o t.csv --label-column 1 --perplexity 1 --iterations 250")
        #expect(r.status == 0, "\(r.stderr)")
        let bad = try s.run("pca d.csv --label-column 4")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("column 4 is outside the 3 columns (positions count from 1; -1 is the last)"), "\(bad.stderr)")
    }
}
