import Foundation
import LatentCore

/// Mini-batches of any type built from samples: `sample(i, rng)` loads and augments sample `i`
/// (a per-sample transform), `collate` turns a batch's samples into one value (tensors, a
/// `TokenBatch`, a pair of views), and batches can be built ahead on a background thread so that
/// augmentation overlaps the training step.
///
/// ```swift
/// // SimCLR-style: two random crops (`crop`, your transform) of every image, collated into two
/// // (B, C, H, W) tensors
/// let pipeline = DataPipeline<[Tensor<Float>], (Tensor<Float>, Tensor<Float>)>(
///     count: images.rows, batchSize: 256, seed: 7, threads: 2, prefetch: 2,
///     sample: DataPipeline.views(2) { i, rng in crop(images, row: i, using: &rng) },
///     collate: { pairs in (Tensor.stack(pairs.map { $0[0] }), Tensor.stack(pairs.map { $0[1] })) })
/// try trainer.fit(pipeline, epochs: 100)
/// ```
///
/// Reproducibility: the order of epoch `e` is the permutation `DataLoader` draws from
/// `(seed, e)`, and sample `i` of epoch `e` gets a generator seeded by `(seed, e, i)` alone
/// (`BatchOrder.sampleSeed`), so the batches are the same with any `threads` and `prefetch`, and a
/// resumed run sees what an uninterrupted one sees.
///
/// Threads: `threads` workers build a batch's samples in parallel (`DispatchQueue.concurrentPerform`);
/// `prefetch > 0` builds up to that many batches ahead on one background thread. `sample` and
/// `collate` must therefore be safe to call from several threads (read-only captured data).
/// - Complexity: per batch, `B` calls of `sample` and one of `collate`; O(n) per epoch for the order.
///
/// `@unchecked Sendable`: every stored property is an immutable value except the two closures, which
/// the contract above requires to be safe to call from several threads; the pipeline never mutates
/// anything itself.
public struct DataPipeline<Sample, Batch>: BatchSource, @unchecked Sendable {
    /// The number of samples.
    public let count: Int
    /// Samples per batch (the last one may be shorter unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the samples in a fresh random order.
    public let shuffle: Bool
    /// Whether a final partial batch is skipped.
    public let dropLast: Bool
    /// The seed of the order and of every sample's generator.
    public let seed: UInt64
    /// Workers that build one batch's samples (1 = the building thread only).
    public let threads: Int
    /// Batches built ahead on a background thread (0 = none, built when needed).
    public let prefetch: Int
    let sample: (Int, inout Xoshiro256StarStar) -> Sample
    let collate: ([Sample]) -> Batch

    /// - Parameters:
    ///   - sample: loads and transforms sample `i` with its own generator.
    ///   - collate: makes a batch of samples in batch order.
    /// - Precondition: `count ≥ 0`, `batchSize ≥ 1`, `threads ≥ 1`, `prefetch ≥ 0`.
    public init(count: Int, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0,
                threads: Int = 1, prefetch: Int = 0,
                sample: @escaping (Int, inout Xoshiro256StarStar) -> Sample, collate: @escaping ([Sample]) -> Batch) {
        precondition(count >= 0 && batchSize >= 1, "DataPipeline: need count ≥ 0 and batch size ≥ 1, got \(count) and \(batchSize)")
        precondition(threads >= 1 && prefetch >= 0, "DataPipeline: need threads ≥ 1 and prefetch ≥ 0, got \(threads) and \(prefetch)")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.threads = threads
        self.prefetch = prefetch
        self.sample = sample
        self.collate = collate
    }

    /// Batches per epoch: `⌊n/B⌋` with `dropLast`, else `⌈n/B⌉`.
    public var batchCount: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The sample order of `epoch`: the same permutation `DataLoader` uses for this seed.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<count) }
        var rng = Xoshiro256StarStar(seed: BatchOrder.epochSeed(seed: seed, epoch: epoch))
        return rng.permutation(count)
    }

    /// `views` transformed copies of each sample, each from its own stream split from the
    /// sample's generator (contrastive pairs: two augmentations of one image).
    public static func views<One>(_ views: Int, _ transform: @escaping (Int, inout Xoshiro256StarStar) -> One)
        -> (Int, inout Xoshiro256StarStar) -> [One] {
        precondition(views >= 1, "DataPipeline.views: need at least one view, got \(views)")
        return { i, rng in rng.split(into: views).map { stream in var s = stream; return transform(i, &s) } }
    }

    /// Batch `b` of an epoch whose order is `order`.
    func batch(_ b: Int, epoch: Int, order: [Int]) -> Batch {
        let lo = b * batchSize, hi = Swift.min(lo + batchSize, order.count)
        let indices = Array(order[lo..<hi])
        if threads == 1 || indices.count < 2 { return collate(indices.map { sample(at: $0, epoch: epoch) }) }
        let slots = SampleSlots<Sample>(count: indices.count)
        let workers = Swift.min(threads, indices.count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for k in stride(from: w, to: indices.count, by: workers) { slots.set(k, sample(at: indices[k], epoch: epoch)) }
        }
        return collate(slots.values)
    }

    /// Sample `index` of `epoch`, made with its own generator.
    private func sample(at index: Int, epoch: Int) -> Sample {
        var rng = Xoshiro256StarStar(seed: BatchOrder.sampleSeed(seed: seed, epoch: epoch, index: index))
        return sample(index, &rng)
    }

    /// The batches of `epoch` in order, built ahead on a background thread when `prefetch > 0`.
    public func forEachBatch(epoch: Int, _ body: (Batch) throws -> Void) throws {
        let order = order(epoch: epoch), n = batchCount
        guard prefetch > 0, n > 1 else {
            for b in 0..<n { try body(batch(b, epoch: epoch, order: order)) }
            return
        }
        let queue = PrefetchQueue<Batch>(capacity: prefetch)
        let finished = DispatchSemaphore(value: 0)
        let producer = Thread { [self] in
            for b in 0..<n {
                if queue.isCancelled { break }
                queue.put(batch(b, epoch: epoch, order: order))
            }
            finished.signal()
        }
        producer.start()
        defer {
            queue.cancel()
            finished.wait()       // the producer is gone before this returns (no stray work)
        }
        for _ in 0..<n { try body(queue.take()) }
    }
}

/// One slot per sample, written by the workers at distinct indices.
///
/// `@unchecked Sendable`, without a lock: worker `w` writes only the slots `k ≡ w (mod workers)`, so
/// no slot is written twice or by two threads, and `values` is read only after `concurrentPerform`
/// has returned, which orders every write before the read. (A `Mutex` cannot hold the slots: its
/// `withLock` takes only `Sendable` values in from a closure, and `Sample` need not be `Sendable`.)
private final class SampleSlots<Sample>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Sample?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit { slots.deinitialize().deallocate() }
    func set(_ k: Int, _ value: Sample) { slots[k] = value }
    var values: [Sample] { slots.map { $0! } }
}

/// A bounded first-in first-out hand-over between the prefetching thread and the trainer.
/// `@unchecked Sendable`: `items` and `cancelled` are read and written only while holding `condition`.
private final class PrefetchQueue<Element>: @unchecked Sendable {
    private var items: [Element] = []
    private var cancelled = false
    private let capacity: Int
    private let condition = NSCondition()

    init(capacity: Int) { self.capacity = capacity }

    var isCancelled: Bool { condition.lock(); defer { condition.unlock() }; return cancelled }

    /// Waits for room (or cancellation, which drops `item`).
    func put(_ item: Element) {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if !cancelled { items.append(item) }
        condition.broadcast()
    }

    /// Waits for the next item.
    func take() -> Element {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func cancel() {
        condition.lock(); cancelled = true; items.removeAll(); condition.broadcast(); condition.unlock()
    }
}
