/// Copies and zero-fills of short runs (a row of a small image: 14 or 28 floats), inline.
///
/// `im2col` copies one image row per output row and kernel tap — over half a million runs per
/// batch of a small CNN — and a `memmove`/`memset` call per run cost more than the bytes moved.
/// These move 16 bytes at a time, then 4; any `Scalar` works since they move bytes.

/// `dst[0 ..< n] = src[0 ..< n]` (the runs must not overlap).
@inline(__always)
func copyShortRun<S>(_ dst: UnsafeMutablePointer<S>, from src: UnsafePointer<S>, count n: Int) {
    let bytes = n &* MemoryLayout<S>.stride
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
    var k = 0
    while k &+ 16 <= bytes {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: k, as: SIMD4<UInt32>.self), toByteOffset: k, as: SIMD4<UInt32>.self)
        k &+= 16
    }
    while k < bytes {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: k, as: UInt32.self), toByteOffset: k, as: UInt32.self)
        k &+= 4
    }
}

/// `dst[0 ..< n] = 0` for a floating-point `S` (all-zero bytes are +0).
@inline(__always)
func zeroShortRun<S: BinaryFloatingPoint>(_ dst: UnsafeMutablePointer<S>, count n: Int) {
    let bytes = n &* MemoryLayout<S>.stride
    let d = UnsafeMutableRawPointer(dst)
    var k = 0
    while k &+ 16 <= bytes { d.storeBytes(of: SIMD4<UInt32>(), toByteOffset: k, as: SIMD4<UInt32>.self); k &+= 16 }
    while k < bytes { d.storeBytes(of: UInt32(0), toByteOffset: k, as: UInt32.self); k &+= 4 }
}
