import Foundation
import Synchronization

/// Ctrl-C and `kill` during a run: removes the temporary files of outputs being written
/// (`AtomicFile` names them `.NAME.PID.RANDOM.tmp` beside the destination), then exits with
/// 128 + the signal number, so an interrupted run leaves neither a partial nor a stray file.
enum Interrupts {
    /// Outputs to clean up, and whether the handlers are installed.
    private struct State: ~Copyable {
        var protected: [String] = []
        var installed = false
    }
    private static let state = Mutex(State())

    /// Installs the handlers (once) and remembers `path` as an output of this run.
    static func protect(_ path: String) {
        state.withLock { state in
            state.protected.append(path)
            guard !state.installed else { return }
            state.installed = true
            SignalWatch.watch([SIGINT, SIGTERM, SIGHUP]) { sig in
                cleanUp()
                StandardOutput.flush()
                _exit(128 + sig)   // no exit handlers: BLAS and loop threads are still working
            }
        }
    }

    /// Installs the handlers before a long fit, for outputs written afterwards.
    static func install(outputs: [String]) {
        for path in outputs { protect(path) }
    }

    private static func cleanUp() {
        let protected = state.withLock { $0.protected }
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
