import LatentCore
import LatentNN

/// A batch source whose batches can be cut into shards: its epoch order, batch size and a way to
/// build the batch of any subset of samples. `DataLoader` and `DataPipeline` are such sources.
public protocol ShardableBatchSource<Batch>: BatchSource {
    /// The number of samples.
    var sampleCount: Int { get }
    /// Samples per global batch.
    var batchSize: Int { get }
    /// Whether a final partial batch is skipped.
    var dropLast: Bool { get }
    /// The sample order of `epoch`, depending only on the seed and `epoch`.
    func order(epoch: Int) -> [Int]
    /// The batch of `indices` as epoch `epoch` builds it.
    func batch(indices: [Int], epoch: Int) -> Batch
}

extension DataLoader: ShardableBatchSource {
    public func batch(indices: [Int], epoch: Int) -> Batch { batch(rows: indices) }
}

extension DataPipeline: ShardableBatchSource {
    public var sampleCount: Int { count }
}

/// Rank `rank`'s shard of every batch of `source`: global batch `b` of epoch `e` (samples
/// `order(e)[b·B ..< (b+1)·B]`, the batch a single process trains on) is cut into `ranks`
/// contiguous pieces of ⌊·⌋/⌈·⌉ equal sizes, and this rank gets piece `rank`. So the ranks together
/// see exactly the single process's batches, in the same order, for the same seed.
///
/// - Complexity: O(n) per epoch for the order (every rank draws it, no communication) plus the
///   source's cost for this rank's `B/ranks` samples per batch.
public struct ShardedBatches<Source: ShardableBatchSource>: BatchSource, AlreadySharded {
    /// The global batches.
    public let source: Source
    /// This process's piece of each batch, `0..<ranks`.
    public let rank: Int
    /// The number of pieces (processes).
    public let ranks: Int

    /// - Throws: `DistributedError.batchSmallerThanRanks` when a batch (the last partial one
    ///   included) would leave some rank without samples.
    public init(_ source: Source, rank: Int, ranks: Int) throws {
        precondition(ranks >= 1 && (0..<ranks).contains(rank), "ShardedBatches: rank \(rank) of \(ranks)")
        self.source = source
        self.rank = rank
        self.ranks = ranks
        for b in [0, source.batchCount - 1] where source.batchCount > 0 {
            let size = Self.globalBatchSize(b, of: source)
            if size < ranks { throw DistributedError.batchSmallerThanRanks(batch: b + 1, samples: size, ranks: ranks) }
        }
    }

    /// Samples in global batch `b`.
    public static func globalBatchSize(_ b: Int, of source: Source) -> Int {
        Swift.min(source.batchSize, source.sampleCount - b * source.batchSize)
    }

    public var batchCount: Int { source.batchCount }

    /// Samples of global batch `b` (0-based within an epoch) that this rank trains on.
    public func shardSize(ofBatch b: Int) -> Int {
        Self.shard(of: Self.globalBatchSize(b, of: source), rank: rank, ranks: ranks).count
    }

    /// The positions within a global batch of `size` samples that form `rank`'s shard.
    public static func shard(of size: Int, rank: Int, ranks: Int) -> Range<Int> {
        (rank * size / ranks)..<((rank + 1) * size / ranks)
    }

    public func forEachBatch(epoch: Int, _ body: (Source.Batch) throws -> Void) throws {
        let order = source.order(epoch: epoch)
        for b in 0..<source.batchCount {
            let start = b * source.batchSize
            let size = Self.globalBatchSize(b, of: source)
            let piece = Self.shard(of: size, rank: rank, ranks: ranks)
            try body(source.batch(indices: Array(order[(start + piece.lowerBound)..<(start + piece.upperBound)]), epoch: epoch))
        }
    }
}

/// A source that is already one rank's share of the batches (`ShardedBatches`), which
/// `DataParallelism` passes through unchanged.
public protocol AlreadySharded {}
