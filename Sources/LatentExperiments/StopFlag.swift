import Foundation

/// A thread-safe "please stop" flag. A batch checks it between the steps of every run (before a
/// run starts, after fitting, after each evaluation); the `latent` tool sets it on Ctrl-C.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    /// A flag that is not set.
    public init() {}

    /// Asks the batch to stop at its next check.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// Whether `stop()` was called.
    public var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}
