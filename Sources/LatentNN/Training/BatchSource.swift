import LatentCore

/// Anything that serves the mini-batches of an epoch: `DataLoader` (rows of a matrix),
/// `DataPipeline` (any sample and batch type, with transforms, views and prefetching).
///
/// The contract that makes training resumable: the batches of epoch `e` depend only on the
/// source's seed and `e`, never on what ran before or on the number of threads.
public protocol BatchSource<Batch> {
    associatedtype Batch
    /// Batches per epoch.
    var batchCount: Int { get }
    /// Calls `body` with each batch of `epoch` (0-based), in order; stops at the first error.
    func forEachBatch(epoch: Int, _ body: (Batch) throws -> Void) throws
}

/// The seeded orders shared by the batch sources.
public enum BatchOrder {
    /// The generator seed of `epoch`: a SplitMix64-style hash of `(seed, epoch)`, so that
    /// neighbouring epochs (and seeds) get unrelated streams.
    public static func epochSeed(seed: UInt64, epoch: Int) -> UInt64 {
        mix(seed ^ mix(UInt64(bitPattern: Int64(epoch)) &+ 0xD1B5_4A32_D192_ED03))
    }

    /// The seed of sample `index` in `epoch`: a hash of the epoch's seed and the index, so each
    /// sample's augmentation is fixed by `(seed, epoch, index)` whichever thread builds it.
    public static func sampleSeed(seed: UInt64, epoch: Int, index: Int) -> UInt64 {
        mix(epochSeed(seed: seed, epoch: epoch) ^ mix(UInt64(bitPattern: Int64(index)) &+ 0x8CB9_2BA7_2F3D_8DD7))
    }

    /// SplitMix64's finaliser (Steele et al. 2014).
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
