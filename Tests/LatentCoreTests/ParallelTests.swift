import Testing
import LatentCore

/// Thread counts and the chunked loop.
@Suite("Parallel loops and BLAS threads", .serialized)
struct ParallelTests {
    @Test("forEachChunk covers every index exactly once", arguments: [0, 1, 5, 1000, 100_003])
    func coverage(count: Int) {
        var hits = [Int](repeating: 0, count: count)
        hits.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress
            Parallel.forEachChunk(count: count, minimumPerThread: 7) { range in
                for i in range { base![i] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }

    @Test("setThreadCount sets Latent's loops and OpenBLAS together")
    func threadCount() {
        let before = Parallel.threadCount
        Parallel.setThreadCount(1)
        #expect(Parallel.threadCount == 1 && Parallel.blasThreadCount == 1)
        // Results do not depend on the thread count.
        let x = Matrix<Float>.randomUniform(400, 400, seed: 1)
        let single = x.map { $0 * 2 + 1 }
        Parallel.setThreadCount(before)
        #expect(Parallel.threadCount == before && Parallel.blasThreadCount == before)
        #expect(x.map { $0 * 2 + 1 } == single)
        #expect(!Parallel.blasConfiguration.isEmpty && !Parallel.blasCoreName.isEmpty)
    }
}
