import LatentCore

extension DataPipeline {
    /// The batch made of samples `indices` (in that order, at most `batchSize` of them) as epoch
    /// `epoch` builds them: sample `i` gets the generator of `(seed, epoch, i)`, so a subset of a
    /// batch (a data-parallel shard) holds exactly the samples the whole batch would.
    public func batch(indices: [Int], epoch: Int) -> Batch {
        precondition(indices.count <= batchSize, "DataPipeline.batch(indices:): \(indices.count) indices for batches of \(batchSize)")
        return batch(0, epoch: epoch, order: indices)
    }
}
