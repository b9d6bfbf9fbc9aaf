import CMPI
import LatentCore
import LatentNN

/// Turns each rank's gradients of its shard into the gradients of the global batch, on every rank:
///
///     g = Σ_r n_r · g_r / Σ_r n_r
///
/// where `g_r` is the gradient of rank r's mean loss over its `n_r` samples. For a loss that is a
/// mean of per-sample terms (cross-entropy, MSE, a VAE's ELBO) this is exactly the gradient of the
/// global batch's mean loss, so every rank then takes the step a single process would take.
/// Buffers (e.g. BatchNorm's running statistics) are averaged the same way, so the ranks' models
/// stay identical. Each shard's own batch statistics still normalise it in the forward pass (no
/// synchronised BatchNorm).
///
/// Transport: all gradients are packed into one buffer cut into buckets of `bucketElements`; each
/// bucket's non-blocking `MPI_Iallreduce` starts as soon as it is packed, so packing the next
/// bucket overlaps the transfer of the previous one, and the step waits for all at the end. The
/// backward pass itself is not overlapped: LatentNN's backward is one reverse loop without
/// per-parameter hooks, and on the measured models the all-reduce is a small share of the step
/// (`communicationSeconds`, docs/distributed.md).
///
/// - Complexity: per step, a ring all-reduce of about `2(p − 1)/p · (parameters + buffers)`
///   elements per rank, plus two passes over the gradients for packing.
public final class GradientAllReduce<Scalar: BLASScalar> {
    /// The ranks that share the batch.
    public let communicator: Communicator
    /// The trained tensors, in the optimizer's order.
    public let parameters: [Tensor<Scalar>]
    /// Model tensors without gradients (running statistics), averaged with the gradients.
    public let buffers: [Tensor<Scalar>]
    /// Elements per all-reduce message.
    public let bucketElements: Int
    /// Seconds spent packing, all-reducing and unpacking, summed over the run.
    public private(set) var communicationSeconds = 0.0
    /// Steps reduced so far.
    public private(set) var steps = 0
    private var packed: [Scalar] = []

    /// - Parameters:
    ///   - bucketElements: elements per all-reduce message (default 2²⁰, 4 MiB of Float: large
    ///     enough that latency is negligible, small enough to overlap packing and transfer).
    public init(communicator: Communicator, parameters: [Tensor<Scalar>], buffers: [Tensor<Scalar>],
                bucketElements: Int = 1 << 20) {
        precondition(bucketElements >= 1, "GradientAllReduce: bucketElements must be at least 1, got \(bucketElements)")
        self.communicator = communicator
        self.parameters = parameters
        self.buffers = buffers
        self.bucketElements = bucketElements
    }

    /// Elements all-reduced per step: every parameter and buffer, one presence flag per parameter,
    /// the weighted loss and the sample count.
    public var elementsPerStep: Int {
        parameters.reduce(0) { $0 + $1.count } + buffers.reduce(0) { $0 + $1.count } + parameters.count + 2
    }

    /// Replaces every parameter's `grad` by the global batch's gradient and every buffer by the
    /// sample-weighted mean over ranks; returns the global batch's mean loss. A parameter that got
    /// no gradient on any rank keeps `grad == nil` (as a single process would leave it).
    /// - Parameters:
    ///   - localLoss: this rank's mean loss over its shard.
    ///   - samples: this rank's shard size `n_r` (≥ 1).
    /// - Throws: `DistributedError.unsupported` for sparse embedding gradients,
    ///   `DistributedError.mpi` when a transfer fails.
    public func reduce(localLoss: Double, samples: Int) throws -> Double {
        let start = ContinuousClock.now
        defer { communicationSeconds += (ContinuousClock.now - start) / .seconds(1); steps += 1 }
        if let p = parameters.first(where: { !($0.sparseGradient?.isEmpty ?? true) }) {
            throw DistributedError.unsupported("sparse embedding gradients (a parameter of shape \(p.shape)); use a dense Embedding")
        }
        let total = elementsPerStep
        if packed.count != total { packed = [Scalar](repeating: 0, count: total) }
        let weight = Scalar(samples)
        let buckets = stride(from: 0, to: total, by: bucketElements).map { $0..<Swift.min($0 + bucketElements, total) }
        var requests = [MPI_Request?](repeating: latent_mpi_request_null(), count: buckets.count)
        try packed.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            // pack: weighted gradients, weighted buffers, presence flags, weighted loss, count;
            // each bucket's all-reduce starts once the packing has passed its end
            var offset = 0, next = 0
            func startFinishedBuckets() throws {
                while next < buckets.count && buckets[next].upperBound <= offset {
                    let b = buckets[next]
                    try MPI.check(MPI_Iallreduce(latent_mpi_in_place(), out + b.lowerBound, Int32(b.count), mpiDatatype(of: Scalar.self),
                                                 latent_mpi_sum(), communicator.handle, &requests[next]), "MPI_Iallreduce")
                    next += 1
                }
            }
            for p in parameters {
                if let g = p.grad {
                    g.withUnsafeBufferPointer { src in for i in 0..<src.count { out[offset + i] = weight * src[i] } }
                } else {
                    (out + offset).update(repeating: 0, count: p.count)
                }
                offset += p.count
                try startFinishedBuckets()
            }
            for t in buffers {
                t.storage.withUnsafeBufferPointer { src in for i in 0..<src.count { out[offset + i] = weight * src[i] } }
                offset += t.count
                try startFinishedBuckets()
            }
            for p in parameters { out[offset] = p.grad == nil ? 0 : 1; offset += 1 }
            out[offset] = weight * Scalar(localLoss)
            out[offset + 1] = weight
            offset += 2
            try startFinishedBuckets()
            try MPI.check(MPI_Waitall(Int32(requests.count), &requests, latent_mpi_statuses_ignore()), "MPI_Waitall")
        }
        // unpack, dividing by the global sample count
        let count = packed[total - 1]
        var offset = 0
        let flags = total - 2 - parameters.count
        for (k, p) in parameters.enumerated() {
            if packed[flags + k] > 0 {
                p.grad = packed[offset..<(offset + p.count)].map { $0 / count }
            } else {
                p.grad = nil
            }
            offset += p.count
        }
        for t in buffers {
            t.storage = packed[offset..<(offset + t.count)].map { $0 / count }
            offset += t.count
        }
        return Double(packed[total - 2] / count)
    }
}
