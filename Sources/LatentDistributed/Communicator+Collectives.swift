import CMPI
import Foundation
import LatentCore
import LatentIO

/// The element types the collectives move: `Float`, `Double`, `Int64`, `UInt8`.
public protocol MPIElement: Sendable {}
extension Float: MPIElement {}
extension Double: MPIElement {}
extension Int64: MPIElement {}
extension UInt8: MPIElement {}

/// How `allReduce` combines the ranks' values, element by element.
public enum ReduceOperation: Sendable {
    case sum, maximum, minimum

    var handle: MPI_Op {
        switch self {
        case .sum: return latent_mpi_sum()
        case .maximum: return latent_mpi_max()
        case .minimum: return latent_mpi_min()
        }
    }
}

/// MPI's datatype for `T`.
func mpiDatatype<T: MPIElement>(_: T.Type) -> MPI_Datatype { mpiDatatype(of: T.self) }

/// MPI's datatype for a type known only at run time (a `BLASScalar`: `Float` or `Double`).
func mpiDatatype(of type: Any.Type) -> MPI_Datatype {
    switch type {
    case is Float.Type: return latent_mpi_float()
    case is Double.Type: return latent_mpi_double()
    case is Int64.Type: return latent_mpi_int64()
    case is UInt8.Type: return latent_mpi_uint8()
    default: preconditionFailure("mpiDatatype: no MPI type for \(type)")
    }
}

/// MPI counts are `Int32`; longer buffers go in pieces of this many elements.
let mpiChunk = 1 << 30

extension Communicator {
    /// Replaces `values` on every rank by their element-wise combination over all ranks
    /// (`MPI_Allreduce`, in place). Every rank must pass the same count.
    ///
    /// Open MPI gives every rank the same result (the reduction order is fixed for a fixed number
    /// of ranks), so ranks that start equal stay equal; the order differs from a sequential sum, so
    /// floating-point sums agree with a single process only up to rounding.
    /// - Complexity: a ring all-reduce moves about `2(p − 1)/p · count` elements per rank.
    public func allReduce<T: MPIElement>(_ values: inout [T], _ operation: ReduceOperation = .sum) throws {
        let type = mpiDatatype(T.self)
        try values.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let n = Swift.min(mpiChunk, buffer.count - start)
                try MPI.check(MPI_Allreduce(latent_mpi_in_place(), buffer.baseAddress! + start, Int32(n), type,
                                            operation.handle, handle), "MPI_Allreduce")
                start += n
            }
        }
    }

    /// One value combined over all ranks.
    public func allReduce<T: MPIElement>(_ value: T, _ operation: ReduceOperation = .sum) throws -> T {
        var v = [value]
        try allReduce(&v, operation)
        return v[0]
    }

    /// Copies `values` from rank `root` to every rank (`MPI_Bcast`); every rank passes an array
    /// of the same count, which is overwritten on all but `root`.
    public func broadcast<T: MPIElement>(_ values: inout [T], from root: Int = 0) throws {
        try broadcast(&values, type: mpiDatatype(T.self), from: root)
    }

    /// `broadcast(_:from:)` for the scalars of a model (`Float` or `Double`, known at run time).
    func broadcastValues<S: BLASScalar>(_ values: inout [S], from root: Int = 0) throws {
        try broadcast(&values, type: mpiDatatype(of: S.self), from: root)
    }

    private func broadcast<T>(_ values: inout [T], type: MPI_Datatype, from root: Int) throws {
        try values.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let n = Swift.min(mpiChunk, buffer.count - start)
                try MPI.check(MPI_Bcast(buffer.baseAddress! + start, Int32(n), type, Int32(root), handle), "MPI_Bcast")
                start += n
            }
        }
    }

    /// As `broadcast(_:from:)`, but a rank waiting for `root` sleeps between checks instead of
    /// spinning: `MPI_Ibcast`, then `MPI_Test` every `poll`. A blocking collective in Open MPI
    /// busy-polls a core, so a rank that waits while `root` works alone (a batch's evaluations, its
    /// database) would take a core from `root`'s threads; this one leaves it. Costs up to `poll`
    /// of extra latency per message.
    public func broadcastWaitingIdle<T: MPIElement>(_ values: inout [T], from root: Int = 0,
                                                    poll: Duration = .milliseconds(1)) throws {
        precondition(values.count < Int(Int32.max), "broadcastWaitingIdle: \(values.count) elements is more than one MPI message holds")
        let type = mpiDatatype(T.self)
        let pause = timespec(tv_sec: Int(poll.components.seconds), tv_nsec: Int(poll.components.attoseconds / 1_000_000_000))
        try values.withUnsafeMutableBufferPointer { buffer in
            var request: MPI_Request? = latent_mpi_request_null()
            try MPI.check(MPI_Ibcast(buffer.baseAddress, Int32(buffer.count), type, Int32(root), handle, &request), "MPI_Ibcast")
            var done: Int32 = 0
            while true {
                try MPI.check(MPI_Test(&request, &done, latent_mpi_status_ignore()), "MPI_Test")
                if done != 0 { break }
                var wait = pause
                nanosleep(&wait, nil)
            }
        }
    }

    /// Rank `root`'s array, whatever its length, on every rank (the length goes first).
    public func broadcast<T: MPIElement>(any values: [T], from root: Int = 0) throws -> [T] {
        var count = [Int64(rank == root ? values.count : 0)]
        try broadcast(&count, from: root)
        var result = rank == root ? values : [T](repeating: zero(T.self), count: Int(count[0]))
        try broadcast(&result, from: root)
        return result
    }

    /// Every rank's `values` (any lengths) on rank `root`, in rank order; `nil` on the others
    /// (`MPI_Gatherv`).
    public func gather<T: MPIElement>(_ values: [T], to root: Int = 0) throws -> [[T]]? {
        precondition(values.count < Int(Int32.max), "gather: \(values.count) elements is more than one MPI message holds")
        var counts = [Int32](repeating: 0, count: size)
        var mine = Int32(values.count)
        try MPI.check(MPI_Gather(&mine, 1, latent_mpi_int32(), &counts, 1, latent_mpi_int32(), Int32(root), handle), "MPI_Gather")
        var offsets = [Int32](repeating: 0, count: size)
        for r in 1..<Swift.max(size, 1) { offsets[r] = offsets[r - 1] + counts[r - 1] }
        var all = [T](repeating: zero(T.self), count: rank == root ? Int(counts.reduce(0, +)) : 0)
        let type = mpiDatatype(T.self)
        try values.withUnsafeBufferPointer { send in
            try all.withUnsafeMutableBufferPointer { receive in
                try MPI.check(MPI_Gatherv(send.baseAddress, mine, type, receive.baseAddress, &counts, offsets, type,
                                          Int32(root), handle), "MPI_Gatherv")
            }
        }
        guard rank == root else { return nil }
        return (0..<size).map { Array(all[Int(offsets[$0])..<Int(offsets[$0] + counts[$0])]) }
    }

    /// Every rank's `value`, in rank order, on every rank (`MPI_Allgather`).
    public func allGather<T: MPIElement>(_ value: T) throws -> [T] {
        let mine = [value]
        var all = [T](repeating: value, count: size)
        let type = mpiDatatype(T.self)
        try mine.withUnsafeBufferPointer { send in
            try all.withUnsafeMutableBufferPointer { receive in
                try MPI.check(MPI_Allgather(send.baseAddress, 1, type, receive.baseAddress, 1, type, handle), "MPI_Allgather")
            }
        }
        return all
    }

    /// Throws `DistributedError.ranksDisagree` unless every rank passes the same `values`
    /// (e.g. the data's rows' width and the options); each element is compared by its minimum
    /// and maximum over the ranks, and the message lists every rank's values.
    public func requireAgreement(_ values: [Int64], on what: String) throws {
        let counts = try allGather(Int64(values.count))
        if Set(counts).count > 1 { throw DistributedError.ranksDisagree(what: "the number of \(what)", values: counts) }
        var low = values, high = values
        try allReduce(&low, .minimum)
        try allReduce(&high, .maximum)
        if let j = (0..<values.count).first(where: { low[$0] != high[$0] }) {
            throw DistributedError.ranksDisagree(what: what, values: try allGather(values[j]))
        }
    }

    private func zero<T: MPIElement>(_: T.Type) -> T {
        switch T.self {
        case is Float.Type: return Float(0) as! T
        case is Double.Type: return Double(0) as! T
        case is Int64.Type: return Int64(0) as! T
        default: return UInt8(0) as! T
        }
    }
}

extension Communicator {
    /// Runs `body` on rank `root` only and gives its result to every rank; when it throws, every
    /// rank throws (`root` its own error, the others `DistributedError.rankFailed` with its
    /// message), so no rank waits for a result that will not come.
    public func computeOnRoot<T: MPIElement>(_ root: Int = 0, _ body: () throws -> [T]) throws -> [T] {
        var result: [T] = [], failure: Error?
        if rank == root {
            do { result = try body() } catch { failure = error }
        }
        let message = try broadcast(any: Array((failure.map { "\($0)" } ?? "").utf8), from: root)
        if let failure { throw failure }
        if !message.isEmpty { throw DistributedError.rankFailed(rank: root, message: String(decoding: message, as: UTF8.self)) }
        return try broadcast(any: result, from: root)
    }
}

extension Communicator {
    /// Runs `body` on every rank (a local step: reading a file, checking data) and makes its
    /// failure collective: when any rank throws, every rank throws
    /// `DistributedError.rankFailed` naming the lowest rank that failed and its message (as
    /// `describe` words it), so no rank goes on to a collective the others will never join.
    public func collectively<T>(describe: (Error) -> String = { "\($0)" }, _ body: () throws -> T) throws -> T {
        var value: T?, message = ""
        do { value = try body() } catch { message = describe(error) }
        let failed = try allGather(Int64(message.isEmpty ? 0 : 1))
        guard let first = failed.firstIndex(of: 1) else { return value! }
        let text = try broadcast(any: Array(message.utf8), from: first)
        throw DistributedError.rankFailed(rank: first, message: String(decoding: text, as: UTF8.self))
    }
}

extension Communicator {
    /// The bytes of the file at `url`, read by rank 0 alone and sent to every rank, so the file
    /// need only be on rank 0's disk (a checkpoint on a machine's local disk). When rank 0 cannot
    /// read it, every rank throws `DistributedError.rankFailed` with rank 0's `IOError`.
    /// - Complexity: one read and a broadcast of the file's size.
    public func readOnRoot(_ url: URL) throws -> [UInt8] {
        let bytes = try collectively { () -> [UInt8] in
            guard isRoot else { return [] }
            do { return [UInt8](try Data(contentsOf: url)) } catch {
                let exists = FileManager.default.fileExists(atPath: url.path)
                throw IOError.cannotRead(path: url.path, reason: exists ? error.localizedDescription : "no such file")
            }
        }
        return try broadcast(any: bytes)
    }
}
