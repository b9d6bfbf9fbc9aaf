import Foundation
import LatentTestSupport

/// `Tests/Fixtures/io/<name>`.
func ioFixture(_ name: String) -> URL { Fixtures.folder.appendingPathComponent("io").appendingPathComponent(name) }

/// The bytes of `Tests/Fixtures/io/<name>`.
func ioFixtureData(_ name: String) throws -> Data { try Data(contentsOf: ioFixture(name)) }

/// A fresh empty folder under the temporary directory, removed by the caller.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-io-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// IDX bytes: magic `00 00 code rank`, big-endian sizes, then `payload`.
func idxBytes(code: UInt8, dimensions: [Int], payload: [UInt8]) -> Data {
    var d = Data([0, 0, code, UInt8(dimensions.count)])
    for n in dimensions { d.append(contentsOf: [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]) }
    d.append(contentsOf: payload)
    return d
}

/// `.npy` bytes with the given header text (padded as NumPy pads) and `payload`.
func npyBytes(header: String, payload: [UInt8], version: UInt8 = 1) -> Data {
    let prefix = version == 1 ? 10 : 12
    var h = header
    h += String(repeating: " ", count: 63 - (prefix + h.utf8.count) % 64) + "\n"
    var d = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
    let n = h.utf8.count
    d.append(contentsOf: version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), 0])
    d.append(contentsOf: Array(h.utf8) + payload)
    return d
}
