import CLapack
import Dispatch
import Synchronization

/// Thread counts for Latent's own loops and for OpenBLAS, and the loop that splits work.
public enum Parallel {
    private static let _threads = Atomic<Int>(defaultThreadCount())

    /// The number of threads that Latent's loops started on the calling thread use: the count set
    /// by `withThreadCount` around the caller, else the process's (`setThreadCount`; default: the
    /// `LATENT_NUM_THREADS`, then `OPENBLAS_NUM_THREADS` environment variable, else the number of
    /// active processors).
    public static var threadCount: Int {
        if let scoped = pthread_getspecific(threadCountKey) { return Int(bitPattern: scoped) }
        return _threads.load(ordering: .relaxed)
    }

    /// Sets the process's thread count for Latent's loops *and* OpenBLAS (`openblas_set_num_threads`).
    /// Call it before starting work, not while other threads compute: their results may round
    /// differently with another count. Inside a loop OpenBLAS takes the count when the last loop ends.
    public static func setThreadCount(_ n: Int) {
        precondition(n >= 1, "Parallel.setThreadCount: need at least one thread, got \(n)")
        _threads.store(n, ordering: .relaxed)
        _blasThreads.store(n, ordering: .relaxed)
        gate.configure(n)
    }

    /// Runs `body` with Latent's loops *started on the calling thread* on `n` threads; other
    /// threads and OpenBLAS's count are unaffected (so a test or a job can pick its own count while
    /// the rest of the process computes).
    public static func withThreadCount<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        precondition(n >= 1, "Parallel.withThreadCount: need at least one thread, got \(n)")
        let outer = pthread_getspecific(threadCountKey)
        pthread_setspecific(threadCountKey, UnsafeRawPointer(bitPattern: n))
        defer { pthread_setspecific(threadCountKey, outer) }
        return try body()
    }

    /// The thread-specific slot of `withThreadCount` (nil: the process's count).
    private static let threadCountKey: pthread_key_t = newThreadKey()

    /// The number of threads OpenBLAS uses for a call made outside Latent's parallel loops
    /// (inside them it runs single-threaded, see `forEachChunk`).
    public static var blasThreadCount: Int { gate.configuredThreads }

    /// `blasThreadCount` without the gate's lock, for the fast path of `blasCall`.
    @usableFromInline static let _blasThreads = Atomic<Int>(Int(openblas_get_num_threads()))

    /// Runs one BLAS or LAPACK call so that OpenBLAS's thread count stays fixed while it runs: the
    /// configured count outside loops, 1 inside them, whatever other threads do (`BLASThreadGate`).
    @inlinable
    static func blasCall<R>(_ call: () -> R) -> R {
        if _blasThreads.load(ordering: .relaxed) == 1 || isInsideParallelLoop { return call() }
        return gatedBLASCall(call)
    }

    /// `blasCall` for a level-1 routine over `n` elements: OpenBLAS threads those only above 10⁴
    /// elements (0.3.21), so shorter calls, often in inner loops, skip the gate.
    @inlinable
    static func blasCall<R>(level1Length n: Int, _ call: () -> R) -> R {
        n < 8192 ? call() : blasCall(call)
    }

    @usableFromInline static func gatedBLASCall<R>(_ call: () -> R) -> R { gate.outside(call) }

    /// The number of threads OpenBLAS would use for a call made now (1 while a parallel loop runs).
    static var blasThreadsNow: Int { Int(openblas_get_num_threads()) }

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
    /// One pool at a time: while chunks run in parallel, OpenBLAS is single-threaded, so a GEMM
    /// inside a chunk runs on that chunk's thread instead of waking OpenBLAS's workers on cores
    /// that Latent's threads already use (see "Threads" in docs/architecture.md).
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
        beginParallelLoop()
        defer { endParallelLoop() }
        withoutActuallyEscaping(body) { body in
            // `concurrentPerform` wants a `@Sendable` closure; `body` is not declared so, because
            // callers hand in closures over unsafe buffers. Sharing it is safe here: the closure
            // cannot outlive this call (`concurrentPerform` returns after every iteration ran), and
            // this function's contract is that concurrent calls of `body` touch disjoint indices.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * size
                let hi = Swift.min(count, lo + size)
                if lo < hi { insideParallelLoop { body(lo..<hi) } }
            }
        }
    }

    /// The thread-specific slot that marks a thread running a loop's chunk (non-nil inside).
    private static let chunkThreadKey: pthread_key_t = newThreadKey()

    private static func newThreadKey() -> pthread_key_t {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "Parallel: no thread-specific key left")
        return key
    }

    /// Running loops and BLAS calls made outside them, which exclude each other.
    private static let gate = BLASThreadGate(configured: Int(openblas_get_num_threads()))

    /// Makes OpenBLAS single-threaded when the first of the running parallel loops starts (after
    /// BLAS calls that other threads make outside loops have returned).
    @usableFromInline static func beginParallelLoop() { gate.beginLoop(nested: isInsideParallelLoop) }

    /// Whether the calling thread is running a chunk of a parallel loop. Per thread, so that what
    /// `gemm` does (and so its rounding) never depends on loops other threads run at the time.
    @usableFromInline static var isInsideParallelLoop: Bool { pthread_getspecific(chunkThreadKey) != nil }

    /// Runs `body` (one chunk) with the calling thread marked as inside a parallel loop.
    @usableFromInline static func insideParallelLoop(_ body: () -> Void) {
        let outer = pthread_getspecific(chunkThreadKey)
        pthread_setspecific(chunkThreadKey, UnsafeRawPointer(bitPattern: 1))
        body()
        pthread_setspecific(chunkThreadKey, outer)
    }

    /// Gives OpenBLAS its threads back when the last running parallel loop ends.
    @usableFromInline static func endParallelLoop() { gate.endLoop() }

    /// `C ← alpha·op(A)·op(B) + beta·C` (row-major, as `BLASScalar.gemm`) on Latent's threads:
    /// the rows of `C` are cut into one block per thread and each block is one single-threaded OpenBLAS call inside `forEachChunk`. So a
    /// caller that mixes GEMMs with its own parallel loops (LatentNN) keeps every thread in one
    /// pool, and OpenBLAS's workers, which spin for a while after each threaded call, never start.
    /// The same thread count gives the same bits; another count may round differently in the last
    /// place (OpenBLAS picks its kernel path from the block's sizes). Runs as one plain call when
    /// `m·n·k < 2¹⁸` (OpenBLAS's own threshold), on one thread, or inside a parallel loop.
    /// - Complexity: O(m·n·k), spread over `threadCount` threads.
    ///
    /// `prepareRows`, when given, is called with each block's rows of `C` just before its product,
    /// on the block's thread (e.g. to write a bias for `beta = 1` while the rows are in cache).
    @inlinable
    public static func gemm<S: BLASScalar>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: S,
        a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int, prepareRows: ((Range<Int>) -> Void)? = nil
    ) {
        let threads = threadCount
        // Rows only: cutting columns changed the rounding of the edge blocks (ParallelTests).
        let blocks = Swift.min(threads, m / 16)                     // blocks of at least 16 rows
        if threads <= 1 || blocks <= 1 || m * n * k < 1 << 18 || isInsideParallelLoop {
            prepareRows?(0..<m)
            S.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // Block boundaries on multiples of 16 (the kernels' register-block widths divide 16).
        let size = ((m + blocks - 1) / blocks + 15) / 16 * 16
        forEachChunk(count: blocks, minimumPerThread: 1) { range in
            for block in range {
                let lo = block * size, hi = Swift.min(m, lo + size)
                if lo >= hi { continue }
                prepareRows?(lo..<hi)
                S.gemm(transposeA: transposeA, transposeB: transposeB, m: hi - lo, n: n, k: k, alpha: alpha,   // rows lo..<hi of C
                       a: transposeA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb,
                       beta: beta, c: c + lo * ldc, ldc: ldc)
            }
        }
    }

    /// `y ← y + x` over `count` elements, in parallel chunks above 2¹⁶ elements (for gradient
    /// accumulation; unlike OpenBLAS's `axpy` it never wakes OpenBLAS's workers).
    @inlinable
    public static func add<S: BLASScalar>(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
        forEachChunk(count: count) { range in
            for i in range { y[i] += x[i] }
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
