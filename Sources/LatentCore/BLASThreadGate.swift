import CLapack
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the thread count of every OpenBLAS call fixed, so its rounding never depends on what
/// other threads of the process do at the time.
///
/// OpenBLAS's thread count is one number for the whole process, and LAPACK's results change in the
/// last bits with it (`?syevr` on a 5×5 matrix differs between 1 and 2 threads). Latent sets it to 1
/// while its parallel loops run ("one pool at a time", `Parallel.forEachChunk`); without this gate a
/// BLAS call made on another thread in that window ran single-threaded, and the same fit repeated
/// gave different numbers depending on what else ran. The gate has two kinds of holder that exclude
/// each other: running parallel loops (OpenBLAS at 1) and BLAS calls made outside any loop (OpenBLAS
/// at the configured count). Each kind may have many holders at once; BLAS calls made inside a
/// loop's chunk need no gate (the loop already holds it). A waiting outside call keeps new
/// top-level loops from starting, so a thread that runs loops back to back cannot starve it.
///
/// Cost: a mutex lock and unlock around each gated call (tens of nanoseconds); nothing when the
/// configured count is 1 or the caller is inside a loop.
///
/// The one rule it adds: a loop's chunk (or a `Parallel.runJobs` job) must not wait for a thread it
/// started itself that makes BLAS calls, since that thread's calls count as outside and wait for the
/// loop to end. Nothing in Latent does (the data pipeline's and word2vec's threads make no BLAS calls).
final class BLASThreadGate: @unchecked Sendable {
    // `@unchecked`: every field below is read and written only with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Parallel loops running now (they may nest or run on several threads at once).
    private var loops = 0
    /// BLAS calls made outside loops that run now, and those waiting for the loops to end.
    private var outsideCalls = 0, outsideWaiting = 0
    /// OpenBLAS's thread count outside loops.
    private var configured: Int

    init(configured: Int) {
        self.configured = configured
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// The configured count (OpenBLAS's count outside loops).
    var configuredThreads: Int { locked { configured } }

    /// Sets the configured count; OpenBLAS takes it now if no loop runs, else when the last ends.
    func configure(_ n: Int) {
        locked {
            configured = n
            if loops == 0 { openblas_set_num_threads(Int32(n)) }
        }
    }

    /// A parallel loop starts. `nested`: the caller runs a chunk of a loop that holds the gate
    /// already, so it must not wait (its loop cannot end before this one).
    func beginLoop(nested: Bool) {
        locked {
            if !nested { while outsideCalls > 0 || outsideWaiting > 0 { pthread_cond_wait(changed, mutex) } }
            if loops == 0 && configured > 1 { openblas_set_num_threads(1) }
            loops += 1
        }
    }

    /// A parallel loop ended; the last one gives OpenBLAS its threads back.
    func endLoop() {
        locked {
            loops -= 1
            if loops == 0 {
                if configured > 1 { openblas_set_num_threads(Int32(configured)) }
                pthread_cond_broadcast(changed)
            }
        }
    }

    /// Runs `call` (one BLAS or LAPACK call made outside any loop) while no loop runs.
    func outside<R>(_ call: () -> R) -> R {
        locked {
            outsideWaiting += 1
            while loops > 0 { pthread_cond_wait(changed, mutex) }
            outsideWaiting -= 1
            outsideCalls += 1
        }
        defer {
            locked {
                outsideCalls -= 1
                if outsideCalls == 0 { pthread_cond_broadcast(changed) }
            }
        }
        return call()
    }
}
