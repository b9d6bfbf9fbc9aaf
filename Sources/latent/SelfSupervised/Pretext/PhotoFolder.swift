import Foundation
import Latent

/// The photographs of a folder: every `.jpg`, `.jpeg` and `.png` file directly in it, in name
/// order, each decoded and validated before any is used (a corrupt file stops the command with
/// its name, exit 1).
enum PhotoFolder {
    static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    /// The image files in `path`. - Throws: `Failure` when the folder is missing or holds none.
    static func files(_ path: String) throws -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure("\(path): not a folder of photographs")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        let urls = names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
            .filter { extensions.contains($0.pathExtension.lowercased()) }
        guard !urls.isEmpty else { throw Failure("\(path): no .jpg, .jpeg or .png files") }
        return urls
    }

    /// Every photograph of `path`, decoded. - Throws: `Failure`, `IOError` naming the file.
    static func read(_ path: String) throws -> [RasterImage] {
        try files(path).map { try ImageFile.read($0) }
    }
}
