import Synchronization
import Foundation
import Testing
@testable import LatentCore

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

    /// OpenBLAS picks its kernel path (small-matrix or blocked) from the sizes, so a block of rows
    /// may round differently from the whole product: the cut result equals one call to Float
    /// rounding, and repeating the same cut gives the same bits.
    @Test("Parallel.gemm cut over threads equals one BLAS call to rounding, and repeats bit for bit", arguments: [(300, 70, 50), (40, 500, 90), (17, 33, 1000)])
    func blockedGEMM(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for transposeA in [false, true] { for transposeB in [false, true] {
            let a = Matrix<Float>.randomUniform(transposeA ? k : m, transposeA ? m : k, seed: 3)
            let b = Matrix<Float>.randomUniform(transposeB ? n : k, transposeB ? k : n, seed: 4)
            var plain = Matrix<Float>.randomUniform(m, n, seed: 5), blocked = plain, again = plain
            a.storage.withUnsafeBufferPointer { pa in b.storage.withUnsafeBufferPointer { pb in
                plain.storage.withUnsafeMutableBufferPointer { pc in
                    Float.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                               a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns, beta: 2, c: pc.baseAddress!, ldc: n)
                }
                func cut(_ out: inout Matrix<Float>) {
                    out.storage.withUnsafeMutableBufferPointer { pc in
                        Parallel.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                                      a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns, beta: 2, c: pc.baseAddress!, ldc: n)
                    }
                }
                cut(&blocked)
                cut(&again)
            } }
            let scale = plain.storage.map { Swift.abs($0) }.max()!
            let worst = zip(plain.storage, blocked.storage).map { Swift.abs($0 - $1) }.max()!
            #expect(worst <= 1e-5 * scale, "transposeA \(transposeA), transposeB \(transposeB): worst difference \(worst)")
            #expect(blocked == again, "transposeA \(transposeA), transposeB \(transposeB)")
        } }
    }

    @Test("OpenBLAS is single-threaded inside a parallel loop and keeps its count outside")
    func oneThreadPoolAtATime() {
        let configured = Parallel.blasThreadCount
        var inside = [Int](repeating: -1, count: 4)
        inside.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            Parallel.withThreadCount(2) {
                Parallel.forEachChunk(count: 4, minimumPerThread: 1) { range in
                    for i in range { base[i] = Parallel.blasThreadsNow }
                }
            }
        }
        #expect(inside == [1, 1, 1, 1])
        #expect(Parallel.blasThreadCount == configured)   // the count outside loops, whatever runs elsewhere
    }

    @Test("withThreadCount sets the calling thread's loops only, and results do not depend on the count")
    func scopedThreadCount() {
        let process = Parallel.threadCount
        let x = Matrix<Float>.randomUniform(400, 400, seed: 1)
        let single = Parallel.withThreadCount(1) {
            #expect(Parallel.threadCount == 1)
            return x.map { $0 * 2 + 1 }
        }
        let four = Parallel.withThreadCount(4) { x.map { $0 * 2 + 1 } }
        #expect(Parallel.threadCount == process)
        #expect(single == four)
        #expect(!Parallel.blasConfiguration.isEmpty && !Parallel.blasCoreName.isEmpty)
    }

    @Test("every BLAS call outside loops runs at the configured count while other threads run loops")
    func blasCountFixedUnderConcurrentLoops() {
        // One thread runs parallel loops back to back (each sets OpenBLAS to 1 while it runs); this
        // one makes BLAS calls and reads the count OpenBLAS has during each.
        let configured = Parallel.blasThreadCount
        let stop = Atomic<Bool>(false), stopped = DispatchSemaphore(value: 0)
        let looping = Thread {
            defer { stopped.signal() }
            var sink = [Float](repeating: 0, count: 1 << 12)
            while !stop.load(ordering: .relaxed) {
                sink.withUnsafeMutableBufferPointer { p in
                    let base = p.baseAddress!
                    Parallel.withThreadCount(2) {
                        Parallel.forEachChunk(count: p.count, minimumPerThread: 1 << 10) { r in for i in r { base[i] += 1 } }
                    }
                }
            }
        }
        looping.start()
        var seen = Set<Int>()
        for _ in 0..<2000 { seen.insert(Parallel.blasCall { Parallel.blasThreadsNow }) }
        stop.store(true, ordering: .relaxed)
        stopped.wait()
        #expect(seen == [configured])
    }
}
