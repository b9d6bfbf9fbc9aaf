#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for large, freshly allocated result buffers.
///
/// A new 40 MB result is a fresh `mmap` from malloc, and writing it the first time costs one page
/// fault per 4 KiB page — 10 000 faults, which dominate a memory-bound loop such as `a + b`. Where
/// the kernel's transparent huge pages are in `madvise` mode (Debian's default), asking for them
/// with `madvise(MADV_HUGEPAGE)` lets each fault map 2 MiB instead. NumPy does the same for arrays of
/// 4 MiB and more (`numpy/_core/src/multiarray/alloc.c`). The advice is only a hint: on other
/// systems, or where huge pages are off, nothing changes.
@usableFromInline
enum HugePages {
    /// Buffers smaller than this (4 MiB, as NumPy) are left alone.
    @usableFromInline static let threshold = 4 << 20

    /// Advises huge pages for the whole pages inside `buffer` when it holds at least `threshold`
    /// bytes. Call it before the first write. - Complexity: O(1) (one system call).
    @inlinable
    static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        let bytes = buffer.count * MemoryLayout<T>.stride
        guard bytes >= threshold, let base = buffer.baseAddress else { return }
        adviseRange(UnsafeMutableRawPointer(base), bytes: bytes)
    }

    @usableFromInline
    static func adviseRange(_ base: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let page = 4096
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }
}
