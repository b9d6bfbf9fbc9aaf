import Foundation
import Testing
import LatentIO

@Suite struct AtomicFileTests {
    @Test func failedWriteLeavesOldFileAndNoTemporary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("out.txt")
        try AtomicFile.write(Data("old".utf8), to: target)
        struct Boom: Error {}
        #expect(throws: IOError.self) {
            try AtomicFile.write(to: target) { handle in
                try handle.write(contentsOf: Data("half".utf8))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.txt"])
    }
}
