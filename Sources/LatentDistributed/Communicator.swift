import CMPI
import Foundation

/// The processes of an MPI job (`MPI_COMM_WORLD`): this process's `rank` among `size`.
///
/// `Communicator.world()` initialises MPI once per process (`MPI_Init_thread`, funneled: only
/// the thread that initialised calls MPI) and sets `MPI_ERRORS_RETURN`, so a failed call throws
/// `DistributedError.mpi` with MPI's own message instead of aborting the job. `finalize()` ends
/// MPI; a process must call it before it exits normally (Open MPI reports a rank that exits without
/// it as a failure).
///
/// When a rank dies, Open MPI's launcher (`mpirun`) terminates the others and names the rank that
/// died, so surviving ranks never wait forever in a collective.
///
/// Not `Sendable`: MPI is used from the thread that initialised it.
public final class Communicator {
    /// The `MPI_Comm` handle.
    let handle: MPI_Comm
    /// This process's rank, `0..<size`.
    public let rank: Int
    /// The number of processes.
    public let size: Int

    private init(handle: MPI_Comm) throws {
        self.handle = handle
        var r: Int32 = 0, s: Int32 = 0
        try MPI.check(MPI_Comm_rank(handle, &r), "MPI_Comm_rank")
        try MPI.check(MPI_Comm_size(handle, &s), "MPI_Comm_size")
        rank = Int(r)
        size = Int(s)
    }

    /// All processes of the job, initialising MPI on first use.
    /// - Throws: `DistributedError.mpi` when MPI cannot start.
    public static func world() throws -> Communicator {
        try MPI.initialize()
        let world: MPI_Comm = latent_mpi_comm_world()
        try MPI.check(MPI_Comm_set_errhandler(world, latent_mpi_errors_return()), "MPI_Comm_set_errhandler")
        return try Communicator(handle: world)
    }

    /// Whether this is rank 0, the one that writes files and prints results.
    public var isRoot: Bool { rank == 0 }

    /// Waits until every rank has called it.
    public func barrier() throws { try MPI.check(MPI_Barrier(handle), "MPI_Barrier") }

    /// Ends the whole job at once with `code` (`MPI_Abort`): for a rank that hit an error the others
    /// cannot know about, so they do not wait for it in the next collective.
    public func abort(code: Int32) -> Never {
        MPI_Abort(handle, code)
        exit(code)
    }

    /// Ends MPI (`MPI_Finalize`); call once, after the last collective.
    public func finalize() throws { try MPI.finalize() }
}

/// Process-wide MPI state: initialisation and error translation.
enum MPI {
    /// Starts MPI unless already started. MPI allows one initialisation per process.
    static func initialize() throws {
        var started: Int32 = 0
        try check(MPI_Initialized(&started), "MPI_Initialized")
        guard started == 0 else { return }
        var provided: Int32 = 0
        try check(MPI_Init_thread(nil, nil, latent_mpi_thread_funneled(), &provided), "MPI_Init_thread")
    }

    /// Ends MPI unless already ended.
    static func finalize() throws {
        var done: Int32 = 0
        try check(MPI_Finalized(&done), "MPI_Finalized")
        guard done == 0 else { return }
        try check(MPI_Finalize(), "MPI_Finalize")
    }

    /// Throws `DistributedError.mpi` with MPI's message unless `code` is `MPI_SUCCESS`.
    static func check(_ code: Int32, _ call: String) throws {
        guard code != latent_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(latent_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        let message = MPI_Error_string(code, &text, &length) == latent_mpi_success()
            ? String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown error"
        throw DistributedError.mpi(call: call, code: code, message: message)
    }

    /// Whether this process was started by an MPI launcher (`mpirun`/`mpiexec` of Open MPI, or a
    /// PMI-based one such as Slurm's `srun`), judged from the environment before MPI starts.
    static var launched: Bool {
        let env = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"].contains { env[$0] != nil }
    }
}

extension Communicator {
    /// Whether this process was started by `mpirun` (Open MPI) or another PMI launcher; read from
    /// the environment, without starting MPI.
    public static var isLaunchedByMPI: Bool { MPI.launched }
}

extension Communicator {
    /// This rank's contiguous block of `count` items (rows of a data set): rank r gets
    /// `⌊r·count/size⌋ ..< ⌊(r+1)·count/size⌋`, so the blocks cover every item once, in rank order,
    /// and differ in size by at most one.
    public func block(of count: Int) -> Range<Int> {
        precondition(count >= 0, "Communicator.block: count must be non-negative, got \(count)")
        return (rank * count / size)..<((rank + 1) * count / size)
    }
}
