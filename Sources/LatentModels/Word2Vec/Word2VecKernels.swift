import Foundation

// The vector kernels of the word2vec inner loop, on raw pointers (the role BLAS `sdot`/`saxpy`
// play in word2vec.c and gensim), eight lanes at a time.

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
    var s = (a0 + a1).sum()
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

/// The logistic function on a table, as word2vec.c: `sigmoidTable[i] = σ((2i/size − 1)·maxExp)`;
/// arguments outside (−maxExp, maxExp) are skipped by the callers (gensim's rule).
struct SigmoidTable {
    static let size = 1000
    static let maxExp: Float = 6
    let values: [Float]

    init() {
        values = (0..<SigmoidTable.size).map { i in
            let e = Foundation.exp((Double(i) / Double(SigmoidTable.size) * 2 - 1) * Double(SigmoidTable.maxExp))
            return Float(e / (e + 1))
        }
    }
}

