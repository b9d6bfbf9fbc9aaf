import Foundation
import ArgumentParser
import Latent

/// The one check every command with outputs runs before any work: no output may be one of the
/// inputs, and every output must be writable where it is named.
///
/// Files are compared by device and inode (`stat`), not by spelling, so `./data.csv`,
/// `../dir/data.csv`, a symbolic link and a hard link to an input are all caught. Refused
/// (`UsageError`, exit 2):
/// - an output that resolves to an input, or two outputs that resolve to one file;
/// - an output that is a folder, that exists and is read-only (no write bit, or `access(2)` says so:
///   a read-only file stays as it is;
///   the atomic rename would otherwise replace it), or whose folder is missing or not writable.
enum OutputSafety {
    /// A file named on the command line: the option that names it and the path.
    struct Named {
        let option: String
        let path: String
        init(_ option: String, _ path: String) { self.option = option; self.path = path }

        /// The file `option` names, or nil when the option was not given.
        static func file(_ option: String, _ path: String?) -> Named? { path.map { Named(option, $0) } }
    }

    /// Checks `outputs` against `inputs` (and each other). Paths that are not files (e.g.
    /// `fashion-mnist:train`) are skipped as inputs.
    static func check(inputs: [Named?], outputs: [Named?]) throws {
        let inputFiles = inputs.compactMap { $0 }.compactMap { named in identity(named.path).map { (named, $0) } }
        let outputs = outputs.compactMap { $0 }
        var seen: [(Named, String)] = []
        for output in outputs {
            if output.path.isEmpty { throw UsageError("\(output.option) needs a file name") }
            let id = identity(output.path)
            if let id, let (input, _) = inputFiles.first(where: { $0.1 == id }) {
                throw UsageError("\(output.option) \(MessageText.quoted(output.path, limit: 200)) is the same file as \(input.option) \(MessageText.quoted(input.path, limit: 200)); refusing to overwrite an input")
            }
            // Existing files by identity; files still to be made by their absolute, normalised path.
            let key = id.map { "\($0.device):\($0.inode)" } ?? URL(fileURLWithPath: output.path).standardizedFileURL.path
            if let (other, _) = seen.first(where: { $0.1 == key }) {
                throw UsageError("\(output.option) and \(other.option) name the same file \(MessageText.quoted(output.path, limit: 200))")
            }
            seen.append((output, key))
            try checkWritable(output)
        }
    }

    /// `check` for use inside an argument parser `validate()`, where only a `ValidationError`
    /// makes the parser exit 2.
    static func validate(inputs: [Named?], outputs: [Named?]) throws {
        do { try check(inputs: inputs, outputs: outputs) } catch let error as UsageError { throw ValidationError(error.message) }
    }

    /// Device and inode of the file `path` names, following links; nil when there is none.
    static func identity(_ path: String) -> FileIdentity? {
        var s = stat()
        guard !path.isEmpty, stat(path, &s) == 0 else { return nil }
        return FileIdentity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino))
    }

    private static func checkWritable(_ output: Named) throws {
        let shown = MessageText.quoted(output.path, limit: 200)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw UsageError("\(output.option) \(shown) is a folder, not a file") }
            // Read-only by its mode (no write bit for anyone: even root, who may write anyway, is
            // told the file was meant to be kept) or by access(2).
            var s = stat()
            let noWriteBits = stat(output.path, &s) == 0 && s.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0
            if noWriteBits || access(output.path, W_OK) != 0 { throw UsageError("\(output.option) \(shown) is read-only; it is left as it is") }
        }
        let folder = URL(fileURLWithPath: output.path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw UsageError("\(output.option) \(shown): the folder \(MessageText.quoted(folder, limit: 200)) does not exist")
        }
        if access(folder, W_OK | X_OK) != 0 { throw UsageError("\(output.option) \(shown): cannot write in the folder \(MessageText.quoted(folder, limit: 200))") }
    }
}

/// A file's identity on this machine.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
}
