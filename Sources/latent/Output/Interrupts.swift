import Dispatch
import Foundation

/// Ctrl-C and `kill` during a run: removes the temporary files of outputs being written
/// (`AtomicFile` names them `.NAME.PID.RANDOM.tmp` beside the destination), then exits with
/// 128 + the signal number, so an interrupted run leaves neither a partial nor a stray file.
enum Interrupts {
    nonisolated(unsafe) private static var protected: [String] = []
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let lock = NSLock()

    /// Installs the handlers (once) and remembers `path` as an output of this run.
    static func protect(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        protected.append(path)
        guard sources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
            source.setEventHandler { cleanUp(); exit(128 + sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// Installs the handlers before a long fit, for outputs written afterwards.
    static func install(outputs: [String]) {
        for path in outputs { protect(path) }
    }

    private static func cleanUp() {
        lock.lock(); defer { lock.unlock() }
        let pid = ProcessInfo.processInfo.processIdentifier
        for path in protected {
            let url = URL(fileURLWithPath: path)
            let folder = url.deletingLastPathComponent()
            let prefix = ".\(url.lastPathComponent).\(pid)."
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}
