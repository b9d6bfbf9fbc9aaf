import Synchronization

/// A thread-safe "please stop" flag. A batch checks it between the steps of every run (before a
/// run starts, after fitting, after each evaluation); the `latent` tool sets it on Ctrl-C.
public final class StopFlag: Sendable {
    private let stopped = Mutex(false)

    /// A flag that is not set.
    public init() {}

    /// Asks the batch to stop at its next check.
    public func stop() {
        stopped.withLock { $0 = true }
    }

    /// Whether `stop()` was called.
    public var isStopped: Bool {
        stopped.withLock { $0 }
    }
}
