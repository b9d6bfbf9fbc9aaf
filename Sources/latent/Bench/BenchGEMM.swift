import ArgumentParser
import Foundation
import Latent

/// `latent bench gemm`: matrix-product throughput through the `Matrix` API and through a direct
/// BLAS call in the same run, plus the memory bandwidth of elementwise and broadcast addition.
///
/// The "direct" column calls `Scalar.gemm(transposeA:…)`, the `BLASScalar` requirement that
/// forwards raw pointers straight to `cblas_sgemm`/`cblas_dgemm` (the CLI does not import CLapack:
/// nothing above LatentCore does). The API column calls `Matrix.gemm(a, b, into: &c)`. Each repeat
/// times the two back to back, so drift on a shared machine hits both alike; reported times are
/// medians. GFLOP/s counts 2n³ floating-point operations per n×n product.
struct BenchGEMM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GEMM GFLOP/s (Matrix API vs direct cblas) and elementwise add GB/s.")

    @Option(help: "Comma-separated square sizes n for the n×n products.")
    var sizes: String = "256,512,1024,2048"

    @Option(parsing: .unconditional, help: "Timed repeats per measurement (the median is reported) after one warm-up.")
    var repeats: Int = 5

    @Option(help: "Float elements for the elementwise add and row-broadcast add.")
    var elements: Int = 10_000_000

    @Flag(help: "Print one JSON object on stdout instead of the table.")
    var json = false

    @OptionGroup var global: GlobalOptions

    /// The parsed `--sizes`.
    var sizeList: [Int] { sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let parts = sizes.split(separator: ",")
        guard !parts.isEmpty, parts.count == sizeList.count, sizeList.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--sizes must be positive integers separated by commas, got '\(sizes)'")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard elements >= 1000 else { throw ValidationError("--elements must be at least 1000, got \(elements)") }
    }

    func run() throws {
        global.apply()
        var report = GEMMReport(
            threads: Parallel.threadCount, blasThreads: Parallel.blasThreadCount,
            blas: Parallel.blasConfiguration, blasCore: Parallel.blasCoreName, repeats: repeats,
            direct: "Scalar.gemm (BLASScalar requirement forwarding raw pointers to cblas_?gemm)",
            gemm: [], elementwise: [])
        if !json {
            print("threads \(report.threads) (BLAS \(report.blasThreads)), \(report.blas), core \(report.blasCore)")
            print("dtype        n   API GFLOP/s   direct GFLOP/s   API/direct")
        }
        for dtype in [Float.typeName, Double.typeName] {
            for n in sizeList {
                let row = dtype == Float.typeName
                    ? measureGEMM(Float.self, n: n, repeats: repeats, seed: global.seed)
                    : measureGEMM(Double.self, n: n, repeats: repeats, seed: global.seed)
                report.gemm.append(row)
                if !json {
                    print(dtype.padding(toLength: 8, withPad: " ", startingAt: 0)
                          + String(format: " %5d %13.1f %16.1f %12.3f", n, row.apiGFLOPS, row.directGFLOPS, row.ratio))
                }
            }
        }
        report.elementwise = measureElementwise(elements: elements, repeats: repeats, seed: global.seed)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("operation            elements   ms      GB/s")
            for row in report.elementwise {
                print(row.operation.padding(toLength: 18, withPad: " ", startingAt: 0)
                      + String(format: " %10d %7.2f %8.2f", row.elements, row.seconds * 1e3, row.gigabytesPerSecond))
            }
        }
    }
}

// MARK: - Measurements

/// Everything `latent bench gemm --json` prints.
struct GEMMReport: Codable {
    var threads: Int
    var blasThreads: Int
    var blas: String
    var blasCore: String
    var repeats: Int
    /// How the "direct" column calls BLAS.
    var direct: String
    var gemm: [GEMMRow]
    var elementwise: [ElementwiseRow]
}

/// One n×n×n product size in one precision.
struct GEMMRow: Codable {
    var dtype: String
    var n: Int
    var apiSeconds: Double
    var directSeconds: Double
    var apiGFLOPS: Double
    var directGFLOPS: Double
    /// `apiGFLOPS / directGFLOPS`; 1 means the `Matrix` API costs nothing.
    var ratio: Double
}

/// One elementwise kernel on Float data.
struct ElementwiseRow: Codable {
    var operation: String
    var elements: Int
    var seconds: Double
    /// Bytes read and written per run: 3 arrays for `add`, 2 for `add_row_broadcast` (the
    /// 1000-element row stays in cache).
    var bytes: Int
    var gigabytesPerSecond: Double
}

/// The median of `values`.
func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Times `Matrix.gemm(a, b, into: &c)` and the direct `Scalar.gemm` on the same n×n operands,
/// interleaved, after one warm-up of each.
func measureGEMM<S: BLASScalar>(_: S.Type, n: Int, repeats: Int, seed: UInt64) -> GEMMRow {
    var rng = Xoshiro256StarStar(seed: seed)
    let a = Matrix<S>.randomUniform(n, n, low: -1, high: 1, using: &rng)
    let b = Matrix<S>.randomUniform(n, n, low: -1, high: 1, using: &rng)
    var c = Matrix<S>.zeros(n, n)
    var raw = [S](repeating: 0, count: n * n)

    func viaAPI() -> Double {
        let start = Timing.now()
        Matrix.gemm(a, b, into: &c)
        return Timing.now() - start
    }
    func direct() -> Double {
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                raw.withUnsafeMutableBufferPointer { pc in
                    let start = Timing.now()
                    S.gemm(transposeA: false, transposeB: false, m: n, n: n, k: n, alpha: 1,
                           a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n,
                           beta: 0, c: pc.baseAddress!, ldc: n)
                    return Timing.now() - start
                }
            }
        }
    }

    _ = viaAPI(); _ = direct()
    var apiTimes = [Double](), directTimes = [Double]()
    for r in 0..<repeats {
        // Alternate which goes first so neither always runs on a warmer cache.
        if r % 2 == 0 { apiTimes.append(viaAPI()); directTimes.append(direct()) }
        else { directTimes.append(direct()); apiTimes.append(viaAPI()) }
    }
    precondition(c.storage == raw, "bench gemm: the API and the direct call disagree")
    let flops = 2 * Double(n) * Double(n) * Double(n)
    let (api, dir) = (median(apiTimes), median(directTimes))
    return GEMMRow(dtype: S.typeName, n: n, apiSeconds: api, directSeconds: dir,
                   apiGFLOPS: flops / api / 1e9, directGFLOPS: flops / dir / 1e9, ratio: dir / api)
}

/// Times `a + b` and `a.adding(row:)` on `elements` Floats (a (elements/1000)×1000 matrix); each
/// run allocates its result, as NumPy's `a + b` does.
func measureElementwise(elements: Int, repeats: Int, seed: UInt64) -> [ElementwiseRow] {
    let columns = 1000
    let rows = elements / columns
    let count = rows * columns
    var rng = Xoshiro256StarStar(seed: seed)
    let a = Matrix<Float>.randomUniform(rows, columns, using: &rng)
    let b = Matrix<Float>.randomUniform(rows, columns, using: &rng)
    let row = (0..<columns).map { Float($0) }
    var sink: Float = 0
    func time(_ body: () -> Matrix<Float>) -> Double {
        let start = Timing.now()
        let c = body()
        let seconds = Timing.now() - start
        sink += c.storage[count - 1]
        return seconds
    }
    // Interleaved like the GEMM timings, so allocator and cache state hit both alike.
    _ = time { a + b }; _ = time { a.adding(row: row) }
    var addTimes = [Double](), broadcastTimes = [Double]()
    for _ in 0..<repeats {
        addTimes.append(time { a + b })
        broadcastTimes.append(time { a.adding(row: row) })
    }
    let (add, broadcast) = (median(addTimes), median(broadcastTimes))
    precondition(sink.isFinite)
    let size = MemoryLayout<Float>.size
    return [
        ElementwiseRow(operation: "add", elements: count, seconds: add, bytes: 3 * size * count,
                       gigabytesPerSecond: Double(3 * size * count) / add / 1e9),
        ElementwiseRow(operation: "add_row_broadcast", elements: count, seconds: broadcast, bytes: 2 * size * count,
                       gigabytesPerSecond: Double(2 * size * count) / broadcast / 1e9),
    ]
}
