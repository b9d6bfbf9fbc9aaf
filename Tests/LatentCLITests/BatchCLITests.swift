import Foundation
import LatentCore
import LatentExperiments
import LatentIO
import Testing

/// The `latent` binary built next to these tests (`swift build` / `swift test` build it).
enum LatentBinary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var url: URL? {
        for configuration in ["debug", "release"] {
            let url = root.appendingPathComponent(".build/\(configuration)/latent")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }
}

/// A running or finished `latent` process with its output collected.
final class LatentProcess: @unchecked Sendable {
    let process = Process()
    private let outPipe = Pipe(), errPipe = Pipe()
    private let lock = NSLock()
    private var out = Data(), err = Data()

    init(_ arguments: [String], in folder: URL) throws {
        guard let binary = LatentBinary.url else { throw CLITestError("no latent binary under \(LatentBinary.root.path)/.build; run `swift build` first") }
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = outPipe
        process.standardError = errPipe
        outPipe.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, toError: false) }
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, toError: true) }
        try process.run()
    }

    private func append(_ data: Data, toError: Bool) {
        lock.lock()
        if toError { err.append(data) } else { out.append(data) }
        lock.unlock()
    }

    var standardOutput: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
    var standardError: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

    /// Waits for the process and for its pipes to drain; returns the exit status.
    func finish() -> Int32 {
        process.waitUntilExit()
        for (pipe, isError) in [(outPipe, false), (errPipe, true)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            append(pipe.fileHandleForReading.readDataToEndOfFile(), toError: isError)
        }
        return process.terminationStatus
    }

    /// Runs `latent arguments…` to completion.
    static func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = try LatentProcess(arguments, in: folder)
        let status = p.finish()
        return (status, p.standardOutput, p.standardError)
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

@Suite("latent batch / latent runs as a subprocess", .serialized)
struct BatchCLITests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    static let slowBatch = """
        name: slow
        datasets:
          - name: noise
            path: noise.npy
        methods:
          - method: truncated-svd
            components: [5, 10, 15]
        seeds: [0, 1]
        """

    @Test("Ctrl-C midway marks the running run interrupted, exits 130; resuming ends with the uninterrupted results")
    func interruptAndResume() throws {
        // Big enough that each run takes a noticeable time in a debug build.
        try NPY.write(Matrix<Double>.randomNormal(800, 200, seed: 5), to: folder.appendingPathComponent("noise.npy"))
        try write("slow.yaml", Self.slowBatch)

        let reference = try LatentProcess.run(["batch", "slow.yaml", "--db", "reference.sqlite", "--threads", "1"], in: folder)
        #expect(reference.status == 0, "\(reference.stderr)")

        let p = try LatentProcess(["batch", "slow.yaml", "--db", "results.sqlite", "--threads", "1"], in: folder)
        let deadline = Date().addingTimeInterval(60)
        while !p.standardError.contains("done     #1 ") && Date() < deadline && p.process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(p.process.isRunning, "the batch finished before it could be interrupted: \(p.standardError)")
        p.process.interrupt()   // SIGINT
        let status = p.finish()
        #expect(status == 130, "\(p.standardError)")
        #expect(p.standardError.contains("interrupted"))

        let store = try RunStore(path: folder.appendingPathComponent("results.sqlite").path, create: false)
        let statuses = try store.runs().map(\.run.status)
        #expect(statuses.count == 6)
        #expect(!statuses.contains(.running))
        #expect(statuses.filter { $0 == .done }.count >= 1 && statuses.filter { $0 == .done }.count < 6, "\(statuses)")
        #expect(statuses.filter { $0 == .interrupted }.count <= 1, "\(statuses)")
        #expect(Set(statuses).isSubset(of: [.done, .interrupted, .pending]))

        let resumed = try LatentProcess.run(["batch", "slow.yaml", "--db", "results.sqlite", "--threads", "1"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("skipped  #1 "), "\(resumed.stderr)")
        #expect(resumed.stdout.contains("6 runs: "), "\(resumed.stdout)")
        #expect(try store.runs().allSatisfy { $0.run.status == .done })

        let compare = ["runs", "compare", "--metric", "explained-variance", "--metric", "reconstruction-error"]
        let a = try LatentProcess.run(compare + ["--db", "results.sqlite"], in: folder)
        let b = try LatentProcess.run(compare + ["--db", "reference.sqlite"], in: folder)
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.split(separator: "\n").count == 2 + 3, "\(a.stdout)")
    }

    @Test("a malformed file is rejected with its line before anything runs")
    func malformed() throws {
        try NPY.write(Matrix<Double>.randomNormal(20, 3, seed: 1), to: folder.appendingPathComponent("d.npy"))
        try write("bad.yaml", "name: bad\ndatasets: [{name: d, path: d.npy}]\nmethods:\n  - method: truncated-svd\n  - method: pcaa\n")
        let r = try LatentProcess.run(["batch", "bad.yaml", "--db", "r.sqlite"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr == "bad.yaml:5: method 'pcaa' is not known; known: autoencoder, bert, colorization, context, cpc, dict, gpt, ica, inpainting, kpca, linear-autoencoder, nmf, pca, rbm, rotation, simclr, truncated-svd, tsne, vae, word2vec\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r.sqlite").path))
    }

    @Test("failed runs are counted at the end; runs list, show and compare print tables, CSV and JSON")
    func failuresAndTables() throws {
        try NPY.write(Matrix<Double>.randomNormal(20, 3, seed: 1), to: folder.appendingPathComponent("d.npy"))
        try write("f.yaml", "name: f\ndatasets: [{name: d, path: d.npy}]\nmethods:\n  - method: truncated-svd\n    components: [1, 2, 4, 5]\nseeds: [0, 1]\n")
        let r = try LatentProcess.run(["batch", "f.yaml", "--db", "r.sqlite", "--jobs", "2"], in: folder)
        #expect(r.status == 1)
        #expect(r.stderr.contains("4 of 8 runs failed"), "\(r.stderr)")
        #expect(r.stdout == "f: 8 runs: 4 done, 4 failed\n")

        let list = try LatentProcess.run(["runs", "list", "--db", "r.sqlite"], in: folder)
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 2 + 8)
        #expect(lines[0].hasPrefix("id  experiment  dataset  method"))
        #expect(lines[0].contains("explained-variance") && lines[0].hasSuffix("error"))
        #expect(list.stdout.contains("PCA: parameter components 4 exceeds the 3 features"))

        let csv = try LatentProcess.run(["runs", "list", "--db", "r.sqlite", "--status", "done", "--csv", "--metric", "explained-variance"], in: folder)
        #expect(csv.stdout.split(separator: "\n").first == "id,experiment,dataset,method,parameters,seed,status,seconds,explained-variance")
        #expect(csv.stdout.split(separator: "\n").count == 1 + 4)

        let json = try LatentProcess.run(["runs", "list", "--db", "r.sqlite", "--json"], in: folder)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 8)
        #expect((decoded?.first?["parameters"] as? [String: Any])?["components"] as? Int == 1)

        let show = try LatentProcess.run(["runs", "show", "1", "--db", "r.sqlite"], in: folder)
        #expect(show.status == 0)
        #expect(show.stdout.contains("metric explained-variance") && show.stdout.contains(#"{"center":true,"components":1,"solver":"svd"}"#))
        let showJSON = try LatentProcess.run(["runs", "show", "1", "--db", "r.sqlite", "--json"], in: folder)
        let object = try JSONSerialization.jsonObject(with: Data(showJSON.stdout.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "done" && object?["code_version"] as? String == LatentVersion.string)
        #expect((object?["metrics"] as? [String: Any])?["explained-variance"] != nil)
        let missing = try LatentProcess.run(["runs", "show", "99", "--db", "r.sqlite"], in: folder)
        #expect(missing.status == 1 && missing.stderr.contains("no run with id 99"))

        let compare = try LatentProcess.run(["runs", "compare", "--db", "r.sqlite", "--csv"], in: folder)
        #expect(compare.stdout.split(separator: "\n").first.map(String.init)
                == "dataset,method,parameters,seeds,explained-variance mean,explained-variance std,"
                 + "explained-variance-ratio-sum mean,explained-variance-ratio-sum std,reconstruction-error mean,reconstruction-error std")
        #expect(compare.stdout.split(separator: "\n").count == 1 + 2)

        let noDB = try LatentProcess.run(["runs", "list", "--db", "none.sqlite"], in: folder)
        #expect(noDB.status == 1 && noDB.stderr.contains("none.sqlite: no such results database"))

        let retry = try LatentProcess.run(["batch", "f.yaml", "--db", "r.sqlite", "--retry-failed"], in: folder)
        #expect(retry.status == 1 && retry.stdout == "f: 8 runs: 0 done, 4 skipped (done before), 4 failed\n")
    }
}
