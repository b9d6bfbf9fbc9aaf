import LatentCore

/// Mini-batches over a data set held in memory: the rows of a `Matrix` (one sample per row) and,
/// optionally, an integer label per row — the simplest `BatchSource`. `DataPipeline` serves any
/// other batch type (augmented views, padded token sequences) with prefetching.
///
/// The order of epoch `e` is a permutation drawn from a generator seeded by `(seed, e)` alone, so
/// it does not depend on what ran before: a run resumed from a checkpoint at epoch `e` sees exactly
/// the batches an uninterrupted run sees. Without shuffling the order is `0, 1, …, n − 1`.
///
/// Each batch copies its rows into one contiguous tensor `(B, sampleShape…)`; `sampleShape`
/// reshapes a row, e.g. `[1, 28, 28]` turns 784 pixels into one channel of a 28 × 28 image for a
/// CNN. With `dropLast` a final partial batch is skipped, else it is shorter.
///
/// - Complexity: O(n) per epoch for the permutation plus O(B · features) per batch (row copies).
public struct DataLoader<Scalar: BLASScalar>: Sendable {
    /// One mini-batch: the inputs, their labels (empty without labels) and the row numbers they
    /// came from.
    public struct Batch: Sendable {
        /// `(B, sampleShape…)`, a leaf without gradient.
        public let inputs: Tensor<Scalar>
        /// `B` labels in batch order, or `[]` when the loader has no labels.
        public let labels: [Int]
        /// The rows of `features` in this batch, in order.
        public let indices: [Int]
    }

    /// The samples, one per row.
    public let features: Matrix<Scalar>
    /// One label per row, or `nil`.
    public let labels: [Int]?
    /// Samples per batch (the last one may be shorter unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the rows in a fresh random order.
    public let shuffle: Bool
    /// Whether a final partial batch is skipped.
    public let dropLast: Bool
    /// The seed that, with the epoch number, fixes each epoch's order.
    public let seed: UInt64
    /// The shape of one sample inside a batch (`[features.columns]` unless given).
    public let sampleShape: [Int]

    /// A loader over `features` (`n × d`) and optional `labels` (`n` of them).
    ///
    /// - Parameters:
    ///   - sampleShape: how to view one row; its product must be `d` (default `[d]`).
    /// - Precondition: `batchSize ≥ 1`, `labels.count == n`, `sampleShape` holds `d` elements.
    public init(features: Matrix<Scalar>, labels: [Int]? = nil, batchSize: Int, shuffle: Bool = true,
                dropLast: Bool = false, seed: UInt64 = 0, sampleShape: [Int]? = nil) {
        precondition(batchSize >= 1, "DataLoader: batch size must be at least 1, got \(batchSize)")
        if let labels {
            precondition(labels.count == features.rows, "DataLoader: \(labels.count) labels for \(features.rows) rows")
        }
        let shape = sampleShape ?? [features.columns]
        precondition(shape.reduce(1, *) == features.columns,
                     "DataLoader: sample shape \(shape) does not hold a row of \(features.columns) features")
        self.features = features
        self.labels = labels
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.sampleShape = shape
    }

    /// The number of samples.
    public var sampleCount: Int { features.rows }

    /// Batches per epoch: `⌊n/B⌋` with `dropLast`, else `⌈n/B⌉`.
    public var batchCount: Int {
        dropLast ? sampleCount / batchSize : (sampleCount + batchSize - 1) / batchSize
    }

    /// The row order of `epoch` (0-based): a permutation of `0..<n` that depends only on
    /// `(seed, epoch)`, or the identity without shuffling. O(n).
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<sampleCount) }
        var rng = Xoshiro256StarStar(seed: BatchOrder.epochSeed(seed: seed, epoch: epoch))
        return rng.permutation(sampleCount)
    }

    /// The generator seed of `epoch` (`BatchOrder.epochSeed`).
    public static func epochSeed(seed: UInt64, epoch: Int) -> UInt64 { BatchOrder.epochSeed(seed: seed, epoch: epoch) }

    /// The batches of `epoch` in order (computes the order once, then copies rows batch by batch).
    public func batches(epoch: Int) -> Batches {
        Batches(loader: self, order: order(epoch: epoch))
    }

    /// The batch made of `rows` (in that order).
    public func batch(rows: [Int]) -> Batch {
        let d = features.columns, b = rows.count
        var values = [Scalar](repeating: 0, count: b * d)
        features.storage.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for (k, r) in rows.enumerated() {
                    precondition(r >= 0 && r < sampleCount, "DataLoader: row \(r) outside 0..<\(sampleCount)")
                    (dst.baseAddress! + k * d).update(from: src.baseAddress! + r * d, count: d)
                }
            }
        }
        let y = labels.map { l in rows.map { l[$0] } } ?? []
        return Batch(inputs: Tensor(shape: [b] + sampleShape, storage: values), labels: y, indices: rows)
    }

    /// The batches of one epoch, as a `Sequence` (and `Collection`: `count`, random access).
    public struct Batches: RandomAccessCollection {
        let loader: DataLoader
        /// The epoch's row order.
        public let order: [Int]

        public var startIndex: Int { 0 }
        public var endIndex: Int { loader.batchCount }

        /// Batch `i` of the epoch (rows `order[i·B ..< min((i+1)·B, n)]`).
        public subscript(i: Int) -> Batch {
            precondition(i >= 0 && i < endIndex, "DataLoader: batch \(i) outside 0..<\(endIndex)")
            let lo = i * loader.batchSize, hi = Swift.min(lo + loader.batchSize, order.count)
            return loader.batch(rows: Array(order[lo..<hi]))
        }
    }
}

extension DataLoader: BatchSource {
    public func forEachBatch(epoch: Int, _ body: (Batch) throws -> Void) throws {
        for batch in batches(epoch: epoch) { try body(batch) }
    }
}
