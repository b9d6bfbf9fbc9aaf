#if canImport(Glibc)
import Glibc
#endif

extension Parallel {
    /// Runs `job(0)`, …, `job(count − 1)` at once, each on a thread of its own with a `stackSize`
    /// stack, and returns when all have returned. For coarse independent jobs (a batch's runs):
    /// the jobs count as one of Latent's parallel loops, so inside them Latent's loops and OpenBLAS
    /// run single-threaded and the jobs alone share the cores, with the same numbers as one job at
    /// a time on one thread; the rest of the process keeps its thread counts.
    /// - Complexity: `count` thread creations (~20 µs each) plus the jobs.
    public static func runJobs(count: Int, stackSize: Int = 16 << 20, _ job: @escaping @Sendable (Int) -> Void) {
        precondition(count >= 1, "Parallel.runJobs: need at least one job, got \(count)")
        beginParallelLoop()
        defer { endParallelLoop() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        var threads = [pthread_t]()
        for index in 0..<count {
            let start = Unmanaged.passRetained(JobStart { insideParallelLoop { withThreadCount(1) { job(index) } } })
            var thread = pthread_t()
            let status = pthread_create(&thread, &attributes, { raw in
                Unmanaged<JobStart>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, start.toOpaque())
            precondition(status == 0, "Parallel.runJobs: pthread_create failed (\(status))")
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}

/// A job's closure, handed to its new thread through `pthread_create`'s context pointer.
private final class JobStart: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
