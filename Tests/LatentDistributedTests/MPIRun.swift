import Foundation
import XCTest

/// What an `mpirun` job printed and how it ended.
struct MPIResult {
    let status: Int32
    let output: String
    let seconds: Double
    /// The number after `label:` on the output line starting with `label:`.
    func value(_ label: String) -> Double? {
        output.split(separator: "\n").first { $0.hasPrefix(label + ":") }
            .flatMap { Double($0.dropFirst(label.count + 1).trimmingCharacters(in: .whitespaces)) }
    }
}

/// Launches `mpirun --oversubscribe -np N` on this machine (loopback), with the settings a
/// container needs: Open MPI refuses root unless told, and its shared-memory transport must not
/// rely on cross-process memory attach (`ptrace` is often forbidden).
enum MPIRun {
    /// `mpirun` from Debian's openmpi-bin, or nil.
    static let launcher: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin"])
            .map { URL(fileURLWithPath: $0).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Skips the calling test, with the reason, when `mpirun` is not installed.
    static func requireLauncher() throws -> URL {
        guard let launcher else {
            throw XCTSkip("mpirun is not installed (Debian package openmpi-bin; scripts/test and scripts/install-deps install it)")
        }
        return launcher
    }

    /// The built scenario runner (`.build/<configuration>/latent-mpi-check`).
    static let checker: URL = build("latent-mpi-check")

    /// The built `latent` command.
    static let latent: URL = build("latent")

    static func build(_ name: String) -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let url = root.appendingPathComponent(".build/\(configuration)/\(name)")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/\(name)")
    }

    static var environment: [String: String] {
        var e = ProcessInfo.processInfo.environment
        e["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        e["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        e["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
        e["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        e["OPENBLAS_NUM_THREADS"] = "1"
        e["LATENT_NUM_THREADS"] = "1"
        return e
    }

    /// Starts `mpirun -np ranks program arguments…`; output (stdout and stderr together) goes to
    /// `log`.
    static func start(ranks: Int, _ program: URL, _ arguments: [String], log: URL, in folder: URL) throws -> Process {
        try start(launching: ["--oversubscribe", "-np", String(ranks), program.path] + arguments, log: log, in: folder)
    }

    /// Starts `mpirun launching…` (e.g. several app contexts separated by `:`).
    static func start(launching: [String], log: URL, in folder: URL) throws -> Process {
        let process = Process()
        process.executableURL = try requireLauncher()
        process.arguments = launching
        process.currentDirectoryURL = folder
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits up to `timeout` seconds; on time-out kills the job and fails the test.
    static func wait(_ process: Process, timeout: Double, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < end { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            usleep(500_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            XCTFail("mpirun did not finish within \(timeout) s", file: file, line: line)
            return false
        }
        return true
    }

    /// Runs a job to its end (failing the test after `timeout` seconds).
    static func run(ranks: Int, _ program: URL, _ arguments: [String], in folder: URL, timeout: Double = 300,
                    file: StaticString = #filePath, line: UInt = #line) throws -> MPIResult {
        try run(launching: ["--oversubscribe", "-np", String(ranks), program.path] + arguments, in: folder, timeout: timeout,
                file: file, line: line)
    }

    /// Runs `mpirun launching…` to its end (failing the test after `timeout` seconds); the log
    /// goes to the system's temporary folder, so `folder` holds only what the job writes.
    static func run(launching: [String], in folder: URL, timeout: Double = 300,
                    file: StaticString = #filePath, line: UInt = #line) throws -> MPIResult {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mpirun-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let began = Date()
        let process = try start(launching: launching, log: log, in: folder)
        _ = wait(process, timeout: timeout, file: file, line: line)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return MPIResult(status: process.isRunning ? -1 : process.terminationStatus, output: output,
                         seconds: Date().timeIntervalSince(began))
    }
}

extension MPIRun {
    /// Runs `latent arguments…` alone (no MPI: the launcher's variables removed), returning its
    /// status and output (stdout and stderr together).
    static func runAlone(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = latent
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment.filter { !$0.key.hasPrefix("OMPI_COMM_WORLD") && !$0.key.hasPrefix("PMI") }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("alone-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

/// A temporary folder removed at the end.
final class ScratchFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
