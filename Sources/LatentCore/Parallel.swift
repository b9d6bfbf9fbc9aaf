import CLapack
import Dispatch
import Synchronization

/// Thread counts for Latent's own loops and for OpenBLAS, and the loop that splits work.
public enum Parallel {
    private static let _threads = Atomic<Int>(defaultThreadCount())

    /// The number of threads that Latent's elementwise loops use (default: the `LATENT_NUM_THREADS`,
    /// then `OPENBLAS_NUM_THREADS` environment variable, else the number of active processors).
    public static var threadCount: Int { _threads.load(ordering: .relaxed) }

    /// Sets the thread count for Latent's loops *and* OpenBLAS (`openblas_set_num_threads`).
    /// Call it before starting work, not from inside a parallel loop.
    public static func setThreadCount(_ n: Int) {
        precondition(n >= 1, "Parallel.setThreadCount: need at least one thread, got \(n)")
        _threads.store(n, ordering: .relaxed)
        openblas_set_num_threads(Int32(n))
    }

    /// The number of threads OpenBLAS uses now.
    public static var blasThreadCount: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build configuration string (`openblas_get_config`), e.g. `"OpenBLAS 0.3.21 DYNAMIC_ARCH …"`.
    public static var blasConfiguration: String { String(cString: openblas_get_config()) }

    /// The CPU kernel OpenBLAS chose at start-up (`openblas_get_corename`), e.g. `"Haswell"`.
    public static var blasCoreName: String { String(cString: openblas_get_corename()) }

    /// Calls `body` on disjoint chunks that cover `0..<count`, on up to `threadCount` threads.
    /// Runs inline when `count < minimumPerThread * 2` (threads cost ~10 µs to wake) or when
    /// `threadCount` is 1. Otherwise the range is cut into up to 4 chunks per thread, so that when
    /// the machine is busy and one worker is descheduled, the others take over its chunks instead
    /// of waiting for it. `body` must only write to the indices of its own chunk.
    ///
    /// The chunks run on `DispatchQueue.concurrentPerform`, which returns only after every worker it
    /// woke has run. On an oversubscribed machine (load well above the core count) that wake-up can
    /// cost a scheduler time slice (~10–30 ms) per call; `setThreadCount(1)` avoids it there.
    /// - Complexity: O(count) calls' worth of `body` work, spread over the threads.
    @inlinable
    public static func forEachChunk(count: Int, minimumPerThread: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let threads = threadCount
        let most = count / Swift.max(1, minimumPerThread)
        if threads <= 1 || most <= 1 {
            body(0..<count)
            return
        }
        let chunks = Swift.min(4 * threads, most)
        let size = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            // `concurrentPerform` wants a `@Sendable` closure; `body` is not declared so, because
            // callers hand in closures over unsafe buffers. Sharing it is safe here: the closure
            // cannot outlive this call (`concurrentPerform` returns after every iteration ran), and
            // this function's contract is that concurrent calls of `body` touch disjoint indices.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * size
                let hi = Swift.min(count, lo + size)
                if lo < hi { body(lo..<hi) }
            }
        }
    }

    private static func defaultThreadCount() -> Int {
        for name in ["LATENT_NUM_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let value = getenv(name).map({ String(cString: $0) }), let n = Int(value), n > 0 { return n }
        }
        return Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

#if canImport(Glibc)
import Glibc
#endif
