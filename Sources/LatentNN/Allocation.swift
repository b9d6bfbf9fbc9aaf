import LatentCore

#if canImport(Glibc)
/// glibc's `int mallopt(int param, int value)` (declared in `<malloc.h>`, which the Glibc module
/// does not export).
@_silgen_name("mallopt") private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
private let mTrimThreshold: Int32 = -1, mMmapThreshold: Int32 = -3, mMmapMax: Int32 = -4   // <malloc.h>
#endif

/// Process-wide tuning of the C allocator for training loops.
public enum Allocation {
    /// Asks glibc's `malloc` to keep freed memory for reuse instead of returning it to the
    /// operating system: no `mmap` for single blocks (`M_MMAP_MAX` 0, and `M_MMAP_THRESHOLD` at
    /// its 32 MiB maximum) and a large `M_TRIM_THRESHOLD`.
    ///
    /// Training allocates and frees the same large activation and gradient buffers every step;
    /// by default glibc serves blocks above 128 KiB–32 MiB with fresh `mmap`s and unmaps them on
    /// `free`, so every step pays page faults and kernel zeroing (about 25% of a small CNN step
    /// on one core). A threshold alone cannot cover blocks above 32 MiB (a 512-image batch of
    /// 32 × 28 × 28 activations is 51 MiB; SimCLR's system time fell by 40% without `mmap`):
    /// with `M_MMAP_MAX` 0 they come from the main heap and are reused like smaller ones. Call
    /// once at start-up; it affects the whole process and costs resident memory (freed blocks
    /// stay mapped). Does nothing on platforms without glibc.
    /// - Returns: whether the allocator accepted the three settings.
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        #if canImport(Glibc)
        let a = glibcMallopt(mMmapThreshold, 32 << 20)
        let b = glibcMallopt(mTrimThreshold, Int32.max)
        let c = glibcMallopt(mMmapMax, 0)
        return a == 1 && b == 1 && c == 1
        #else
        return false
        #endif
    }
}

/// `Allocation.retainFreedMemory()`, run once per process by the first `Trainer` (a lazily
/// initialised global: thread-safe, and later trainers find it done).
let allocatorTunedForTraining: Bool = Allocation.retainFreedMemory()

extension Array where Element: BLASScalar {
    /// An array of `count` elements left uninitialised, for kernels that write every element
    /// before anything reads it (saves the zero-fill pass of `Array(repeating: 0, count:)`).
    /// Only for trivial element types such as `Float` and `Double`.
    @inlinable
    static func uninitialized(count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
