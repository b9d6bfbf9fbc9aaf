import Foundation
import Testing
import LatentCore
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

@Suite struct AtomicWriterTests {
    @Test func writersReplaceFilesWholeAndLeaveNoTemporaries() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("data.out")
        try AtomicFile.write(Data("first version, longer than the second".utf8), to: target)
        try AtomicFile.write(Data("second".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "second")
        try NPY.write(integers: [1, 2], to: target)
        #expect(try NPY.readIntegers(target) == [1, 2])
        try CSV.write(Matrix<Float>([[1, 2]]), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "1,2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data.out"])
    }

    @Test func failedRenameIsCannotWriteAndCleansUp() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A non-empty folder where the file should go: rename(2) refuses to replace it.
        let target = folder.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("inside"), withIntermediateDirectories: true)
        #expect(throws: IOError.cannotWrite(path: target.path, reason: "Is a directory")) {
            try CSV.write(Matrix<Double>.zeros(1, 1), to: target)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["taken"])
    }

    @Test func missingFolderIsCannotWrite() {
        let url = URL(fileURLWithPath: "/nonexistent-latent/x.npy")
        #expect(throws: IOError.cannotWrite(path: url.path, reason: "cannot create a temporary file in /nonexistent-latent")) {
            try NPY.write(Matrix<Double>.zeros(1, 1), to: url)
        }
        #expect(IOError.cannotWrite(path: "a", reason: "b").localizedDescription == "a: cannot write: b")
        #expect(IOError.malformed(path: "f.csv", line: 3, column: 2, reason: "missing value").description == "f.csv:3:2: missing value")
        #expect(IOError.corrupt(path: "f.npy", offset: 9, reason: "x").description == "f.npy: byte 9: x")
        #expect(IOError.unsupported(path: "f.npy", reason: "y").description == "f.npy: unsupported: y")
        #expect(IOError.cannotRead(path: "f", reason: "z").description == "f: cannot read: z")
    }
}
