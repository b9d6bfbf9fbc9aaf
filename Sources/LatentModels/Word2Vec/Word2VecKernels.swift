import CKernels
import Foundation

// The vector kernels of the word2vec inner loop, on raw pointers (the role BLAS `sdot`/`saxpy`
// play in word2vec.c and gensim), eight lanes at a time. The negative-sampling step, where the
// time goes, also exists in C for AVX2 + FMA (Modules/CKernels), used when the processor has them.

/// Whether `negativeSamplingStep` runs the AVX2 + FMA kernel (checked once, from CPUID and XCR0).
let word2vecUsesAVX2 = latent_cpu_has_avx2_fma() != 0

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self) }

/// xᵀy over `n` floats.
@inline(__always)
func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
    var k = 0
    while k + 16 <= n {
        a0 += load8(x + k) * load8(y + k)
        a1 += load8(x + k + 8) * load8(y + k + 8)
        k += 16
    }
    if k + 8 <= n { a0 += load8(x + k) * load8(y + k); k += 8 }
    a0 += a1
    var a4 = a0.lowHalf + a0.highHalf
    if k + 4 <= n { a4 += load4(x + k) * load4(y + k); k += 4 }
    var s = a4.sum()
    while k < n { s += x[k] * y[k]; k += 1 }
    return s
}

/// y ← a·x + y over `n` floats.
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let av = SIMD8<Float>(repeating: a)
    var k = 0
    while k + 8 <= n {
        store8(load8(UnsafePointer(y + k)) + av * load8(x + k), y + k)
        k += 8
    }
    while k < n { y[k] += a * x[k]; k += 1 }
}

@inline(__always)
func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self) }

@inline(__always)
func store4(_ v: SIMD4<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Float>.self) }

/// Negative sampling for one hidden vector `h` (d floats) against the output rows `rows[0..<count]`
/// (row 0 the word to predict, label 1; the others sampled, label 0) of `outputs` (V × d).
///
/// All `count` dot products come first, g_s = (label_s − σ(h · o_s)) · α (0 where |h · o_s| ≥ 6,
/// gensim's rule), then one pass over the d columns, 8 at a time, updates every row,
/// o_s += g_s · h, while Σ g_s · o_s (the rows before their update, as in word2vec.c) stays in a
/// register: it goes to `work` when given (CBOW spreads it over the context), else straight into
/// `h` (skip-gram). Unlike the sequential loop of word2vec.c and gensim, a row drawn twice for the
/// same pair has both its dot products taken before either update — a Hogwild-sized difference,
/// still deterministic. Cost: count · d · 3 multiply-adds, no allocation.
///
/// With AVX2 + FMA (`word2vecUsesAVX2`) the C kernel `latent_w2v_negative_step_avx2` does the same
/// with eight-lane fused multiply-adds: the last bits differ from the SSE2 path, so results are
/// reproducible for a seed on one kind of processor.
@inline(__always)
func negativeSamplingStep(hidden h: UnsafeMutablePointer<Float>, outputs: UnsafeMutablePointer<Float>,
                          rows: UnsafePointer<Int>, count: Int, dimension d: Int, alpha: Float,
                          sigmoid: UnsafePointer<Float>, gains: UnsafeMutablePointer<Float>,
                          work: UnsafeMutablePointer<Float>?) {
    if word2vecUsesAVX2 {
        latent_w2v_negative_step_avx2(h, outputs, rows, count, d, alpha, sigmoid, SigmoidTable.maxExp,
                                      Float(SigmoidTable.size) / SigmoidTable.maxExp / 2, gains, work)
    } else {
        portableNegativeSamplingStep(hidden: h, outputs: outputs, rows: rows, count: count, dimension: d, alpha: alpha,
                                     sigmoid: sigmoid, gains: gains, work: work)
    }
}

/// `negativeSamplingStep` in Swift SIMD (SSE2, the baseline).
@inline(__always)
func portableNegativeSamplingStep(hidden h: UnsafeMutablePointer<Float>, outputs: UnsafeMutablePointer<Float>,
                                  rows: UnsafePointer<Int>, count: Int, dimension d: Int, alpha: Float,
                                  sigmoid: UnsafePointer<Float>, gains: UnsafeMutablePointer<Float>,
                                  work: UnsafeMutablePointer<Float>?) {
    let maxExp = SigmoidTable.maxExp
    let scale = Float(SigmoidTable.size) / maxExp / 2
    var any = false
    for s in 0..<count {
        let f = dot(h, outputs + rows[s] &* d, d)
        var g: Float = 0
        if f > -maxExp && f < maxExp {
            g = ((s == 0 ? 1 : 0) - sigmoid[Int((f + maxExp) * scale)]) * alpha
            any = true
        }
        gains[s] = g
    }
    guard any else {
        work?.initialize(repeating: 0, count: d)
        return
    }
    var k = 0
    while k &+ 8 <= d {
        let hk = load8(h + k)
        var wk = SIMD8<Float>()
        for s in 0..<count {
            let o = outputs + (rows[s] &* d &+ k)
            let ok = load8(o)
            let g = SIMD8<Float>(repeating: gains[s])
            wk += g * ok
            store8(ok + g * hk, o)
        }
        if let work { store8(wk, work + k) } else { store8(hk + wk, h + k) }
        k &+= 8
    }
    if k &+ 4 <= d {
        let hk = load4(h + k)
        var wk = SIMD4<Float>()
        for s in 0..<count {
            let o = outputs + (rows[s] &* d &+ k)
            let ok = load4(o)
            let g = SIMD4<Float>(repeating: gains[s])
            wk += g * ok
            store4(ok + g * hk, o)
        }
        if let work { store4(wk, work + k) } else { store4(hk + wk, h + k) }
        k &+= 4
    }
    while k < d {
        let hk = h[k]
        var wk: Float = 0
        for s in 0..<count {
            let o = outputs + (rows[s] &* d &+ k)
            let ok = o.pointee
            wk += gains[s] * ok
            o.pointee = ok + gains[s] * hk
        }
        if let work { work[k] = wk } else { h[k] = hk + wk }
        k &+= 1
    }
}

/// The logistic function on a table, as word2vec.c: `sigmoidTable[i] = σ((2i/size − 1)·maxExp)`;
/// arguments outside (−maxExp, maxExp) are skipped by the callers (gensim's rule).
/// `pointer` holds the same values as `values`, for the inner loop (no retain, no bounds check); it
/// lives as long as the table, which `Word2VecState` owns.
final class SigmoidTable: @unchecked Sendable {   // read-only after init
    static let size = 1000
    static let maxExp: Float = 6
    let values: [Float]
    let pointer: UnsafeMutablePointer<Float>

    init() {
        values = (0..<SigmoidTable.size).map { i in
            let e = Foundation.exp((Double(i) / Double(SigmoidTable.size) * 2 - 1) * Double(SigmoidTable.maxExp))
            return Float(e / (e + 1))
        }
        pointer = .allocate(capacity: SigmoidTable.size)
        pointer.initialize(from: values, count: SigmoidTable.size)
    }

    deinit { pointer.deallocate() }
}

