/// Why a distributed run stopped. Every case names what went wrong in words a user can act on.
public enum DistributedError: Error, Equatable, CustomStringConvertible {
    /// An MPI call returned an error code (with `MPI_ERRORS_RETURN` set, MPI reports instead of aborting).
    case mpi(call: String, code: Int32, message: String)
    /// The ranks hold different values of something that must agree (data shape, options).
    case ranksDisagree(what: String, values: [Int64])
    /// A checkpoint was written by a run with a different number of ranks.
    case rankCountChanged(checkpoint: String, saved: Int, now: Int)
    /// A global batch has fewer samples than there are ranks, so some rank would get none.
    case batchSmallerThanRanks(batch: Int, samples: Int, ranks: Int)
    /// Rank `rank` failed in a step the others wait for; its message.
    case rankFailed(rank: Int, message: String)
    /// The data are unusable (a rank's rows hold NaN or infinity, too few samples in all, …).
    case invalidData(String)
    /// The model uses something data-parallel training cannot average (e.g. sparse embedding rows).
    case unsupported(String)

    public var description: String {
        switch self {
        case let .mpi(call, code, message):
            return "\(call) failed (MPI error \(code)): \(message)"
        case let .ranksDisagree(what, values):
            return "the ranks disagree on \(what): \(values.map(String.init).joined(separator: ", ")) (rank 0, 1, …); every rank must read the same data with the same options"
        case let .rankCountChanged(checkpoint, saved, now):
            return "\(checkpoint) was written by a run on \(saved) ranks; resume it with `mpirun -np \(saved)`, not \(now)"
        case let .batchSmallerThanRanks(batch, samples, ranks):
            return "batch \(batch) holds \(samples) sample\(samples == 1 ? "" : "s"), fewer than the \(ranks) ranks; use a batch size of at least \(ranks) and a sample count whose last batch does too (or drop the last batch)"
        case let .rankFailed(rank, message):
            return "rank \(rank) failed: \(message)"
        case let .invalidData(reason):
            return reason
        case let .unsupported(what):
            return "data-parallel training does not support \(what)"
        }
    }
}
