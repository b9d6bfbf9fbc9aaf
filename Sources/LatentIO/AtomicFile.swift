import Foundation

/// Writes files so that a crash or an error never leaves a half-written file behind.
///
/// The bytes go to a temporary file in the destination's folder (same file system), are flushed
/// to disk, and the temporary file is then renamed over the destination — an atomic step on POSIX
/// systems — and the folder is flushed so the rename survives a power cut. Readers see either the
/// old file or the complete new one. Every writer in LatentIO goes through this type.
///
/// Temporary files are named `.NAME.PID.RANDOM.tmp`. A process killed with `kill -9` (no chance to
/// clean up) leaves its temporary behind; the next write to the same destination removes every
/// `.NAME.PID.*.tmp` whose process `PID` no longer exists (`kill(PID, 0)` fails with `ESRCH`).
/// Temporaries of running processes, and files of any other naming, are never touched.
public enum AtomicFile {
    /// Writes `data` to `url` atomically.
    /// - Throws: `IOError.cannotWrite` naming the path and the system's reason.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { handle in try handle.write(contentsOf: data) }
    }

    /// Streams content to `url` atomically: `body` writes to a handle on the temporary file; if it
    /// throws, the temporary file is removed and the destination is left untouched.
    public static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        removeStaleTemporaries(of: url)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw IOError.cannotWrite(path: url.path, reason: "cannot create a temporary file in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if rename(temporary.path, url.path) != 0 {
                throw IOError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
            // Make the rename itself durable: flush the folder's entry.
            let folderDescriptor = open(folder.path, O_RDONLY)
            if folderDescriptor >= 0 {
                _ = fsync(folderDescriptor)
                close(folderDescriptor)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is IOError { throw error }
            throw IOError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }

    /// Removes `.NAME.PID.RANDOM.tmp` files beside `url` left by processes that no longer run.
    /// Returns the names removed.
    @discardableResult
    public static func removeStaleTemporaries(of url: URL) -> [String] {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            // The middle must be exactly PID.RANDOM, both decimal.
            let middle = name.dropFirst(prefix.count).dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
            guard middle.count == 2, let pid = Int32(middle[0]), pid > 0, UInt64(middle[1]) != nil else { continue }
            guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil { removed.append(name) }
        }
        return removed
    }
}
