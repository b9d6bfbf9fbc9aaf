import Foundation

/// Wall-clock timing for benchmarks: the median of `repeats` runs after `warmup` unmeasured ones.
/// Medians resist the noise of shared machines better than means.
enum Timing {
    /// Seconds since an arbitrary start (monotonic).
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Median seconds of `body` over `repeats` runs.
    static func median(repeats: Int = 5, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var times = [Double]()
        for _ in 0..<max(1, repeats) {
            let start = now()
            try body()
            times.append(now() - start)
        }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }
}
