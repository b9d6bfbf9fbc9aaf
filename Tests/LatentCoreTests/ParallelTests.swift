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

    @Test("OpenBLAS is single-threaded inside a parallel loop and gets its threads back after")
    func oneThreadPoolAtATime() {
        let before = Parallel.threadCount
        Parallel.setThreadCount(2)
        var inside = [Int](repeating: -1, count: 4)
        inside.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            Parallel.forEachChunk(count: 4, minimumPerThread: 1) { range in
                for i in range { base[i] = Parallel.blasThreadsNow }
            }
        }
        #expect(inside == [1, 1, 1, 1])
        #expect(Parallel.blasThreadCount == 2)      // the count outside loops, whatever runs elsewhere
        Parallel.setThreadCount(before)
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
