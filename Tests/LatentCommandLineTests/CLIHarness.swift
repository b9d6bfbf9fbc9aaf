import Foundation
import LatentCore
import LatentIO

/// Runs the built `latent` binary (`.build/debug/latent`, found from this file's path) in a
/// scratch folder and captures its output.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Bytes read on another thread, handed over after `DispatchGroup.wait`.
private final class Box: @unchecked Sendable { var data = Data() }

final class Scratch {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static let binary: URL = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let url = root.appendingPathComponent(".build/\(configuration)/latent")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/latent")
    }()

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Files in the folder (hidden ones too: temporary files of atomic writes start with a dot).
    var files: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() }

    func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// Runs `latent args…` with the scratch folder as working directory.
    func run(_ args: [String], environment extra: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = args
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a full pipe cannot block the child.
        let outBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = outBox.data
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    func run(_ line: String) throws -> CLIResult { try run(line.split(separator: " ").map(String.init)) }

    /// A CSV written by `latent`: header, values, labels (last column when it is named `label`).
    func readCSV(_ name: String) throws -> (header: [String], values: Matrix<Double>, labels: [String]?) {
        let firstLine = try read(name).prefix { $0 != "\n" }
        let table: CSVTable<Double> = try CSV.read(folder.appendingPathComponent(name), header: .present,
                                                   label: firstLine.hasSuffix(",label") ? .name("label") : nil)
        return (table.columnNames, table.features, table.labels)
    }

    func readNPY(_ name: String) throws -> Matrix<Double> { try NPY.read(folder.appendingPathComponent(name)) }

    /// Parses a JSON object printed on stdout.
    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }
}

enum TestData {
    /// Correlated Gaussian data, n × d, reproducible.
    static func gaussian(_ n: Int, _ d: Int, seed: UInt64) -> Matrix<Double> {
        var rng = Xoshiro256StarStar(seed: seed)
        let z = Matrix<Double>.randomNormal(n, d, using: &rng)
        let mix = Matrix<Double>.randomNormal(d, d, using: &rng)
        return Matrix.gemm(z, mix)
    }

    /// CSV text with a header `f1…fd,species` and labels cycling a, b, c.
    static func csv(_ x: Matrix<Double>, labels: Bool = true) -> String {
        var text = (1...x.columns).map { "f\($0)" }.joined(separator: ",") + (labels ? ",species" : "") + "\n"
        for i in 0..<x.rows {
            text += x.row(i).map { "\($0)" }.joined(separator: ",") + (labels ? ",\(["a", "b", "c"][i % 3])" : "") + "\n"
        }
        return text
    }
}
