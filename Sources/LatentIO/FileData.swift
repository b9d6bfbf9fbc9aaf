import Foundation

/// Reading whole files for the decoders, with failures reported as `IOError.cannotRead`.
enum FileData {
    /// The bytes of `url` (memory-mapped where safe).
    /// - Throws: `IOError.cannotRead` naming the path and the reason ("no such file", "is a folder", …).
    static func read(_ url: URL) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw IOError.cannotRead(path: url.path, reason: "no such file")
        }
        if isFolder.boolValue { throw IOError.cannotRead(path: url.path, reason: "is a folder, not a file") }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw IOError.cannotRead(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}

extension Data {
    /// Calls `body` with the bytes as a buffer that starts at index 0 (an empty buffer has a valid
    /// base address too, so decoders need no special case).
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            if raw.count == 0 {
                var empty: UInt8 = 0
                return try withUnsafePointer(to: &empty) { try body(UnsafeBufferPointer(start: $0, count: 0)) }
            }
            return try body(raw.bindMemory(to: UInt8.self))
        }
    }
}
