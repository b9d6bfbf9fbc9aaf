import Foundation

/// Methods whose memory grows faster than their input (kernel PCA's n × n kernel, exact t-SNE's
/// n × n affinities, an RBM's or dictionary's k × d weights for a huge k) check what they will
/// need against what the machine has before allocating, and refuse with both numbers instead of
/// being killed by the allocator half-way.
enum MemoryBudget {
    /// Bytes of memory available now: `MemAvailable` from /proc/meminfo (Linux), else the
    /// physical memory. `LATENT_MEMORY_LIMIT` (bytes) overrides it, for tests and shared machines.
    static var available: Double {
        if let text = ProcessInfo.processInfo.environment["LATENT_MEMORY_LIMIT"], let bytes = Double(text), bytes > 0 { return bytes }
        if let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kib * 1024
        }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }

    /// Refuses (exit 1) when `bytes` exceed the memory available. `what` says what needs it and
    /// `hint` what to do instead.
    static func require(_ bytes: Double, for what: String, hint: String) throws {
        let have = available
        guard bytes > have else { return }
        throw Failure("\(what) needs about \(format(bytes)) of memory, but \(format(have)) is available; \(hint)")
    }

    /// `29.3 GB`, `512 MB`.
    static func format(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", max(bytes / 1e6, 1))
    }
}
