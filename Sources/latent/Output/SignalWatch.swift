import Foundation
import Synchronization

/// Runs a handler on a watcher thread for each SIGINT, SIGTERM or SIGHUP the process receives.
/// (Only these three: the watcher thread unblocks them.)
///
/// `watch` installs the C handlers with `sigaction` before it returns, so a signal that arrives
/// at any later moment reaches the handler. (A `DispatchSource` registers asynchronously on
/// Linux; with the signal set to `SIG_IGN` meanwhile, a Ctrl-C in that gap was dropped: CI saw
/// an interrupted fit run to the end under load.) The C handler only writes the signal number
/// to a pipe (async-signal-safe); the watcher thread reads it and runs the Swift handler, which
/// may allocate, remove files and exit.
enum SignalWatch {
    private static let handler = Mutex<(@Sendable (Int32) -> Void)?>(nil)
    private static let started = Mutex(false)

    /// Sends `signals` to `handler` from now on (replacing an earlier handler).
    static func watch(_ signals: [Int32], handler newHandler: @escaping @Sendable (Int32) -> Void) {
        handler.withLock { $0 = newHandler }
        startWatcher()
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = write(signalPipeWrite, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
    }

    /// Restores the default action of `signals` (the handler stays for the others).
    static func stop(_ signals: [Int32]) {
        for sig in signals { signal(sig, SIG_DFL) }
    }

    private static func startWatcher() {
        started.withLock { started in
            guard !started else { return }
            started = true
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0, "pipe() failed: errno \(errno)")
            signalPipeWrite = fds[1]
            let readEnd = fds[0]
            let thread = Thread {
                // A process started from a thread that blocks signals (Foundation's `Process`
                // from a dispatch thread) inherits the mask, and so do all its threads: this one
                // unblocks them, so a signal always has a thread to run its handler on. One that
                // came earlier is pending and runs now.
                var unblock = sigset_t()
                sigemptyset(&unblock)
                for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, sig) }
                pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
                var byte: UInt8 = 0
                while true {
                    let n = read(readEnd, &byte, 1)
                    if n == 1 {
                        if let run = handler.withLock({ $0 }) { run(Int32(byte)) }
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
            thread.name = "latent-signals"
            thread.start()
        }
    }
}

/// The write end of the signal pipe, read by the C handler. Safe without a lock: it is set once,
/// under `SignalWatch.started`'s lock and before any handler that reads it is installed, and never
/// changes afterwards.
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1
