import Foundation
import Testing
import LatentCore
import LatentTestSupport
import LatentIO

@Suite struct IDXTests {
    func error(_ data: Data, labels: Bool = false, scale: Bool = false) -> IOError? {
        do {
            if labels { _ = try IDX.decodeLabels(data, path: "x.idx") } else { let _: Matrix<Double> = try IDX.decodeMatrix(data, scaleToUnit: scale, path: "x.idx") }
            return nil
        } catch { return error as? IOError }
    }

    @Test func readsImagesPlainAndGzip() throws {
        let expected: Matrix<Double> = try Fixtures.matrix("io/images-u1")
        for name in ["images-u1.idx", "images-u1.idx.gz"] {
            let m: Matrix<Double> = try IDX.readMatrix(ioFixture(name))
            #expect(m == expected, "\(name)")
            let scaled: Matrix<Float> = try IDX.readMatrix(ioFixture(name), scaleToUnit: true)
            #expect(scaled.storage == expected.storage.map { Float($0) / 255 }, "\(name)")
            #expect(scaled.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        let header = try IDX.parseHeader(ioFixtureData("images-u1.idx"))
        #expect(header == IDX.Header(dtype: .uint8, dimensions: [3, 4, 5], dataOffset: 16) && header.count == 60)
    }

    @Test func readsLabelsOfEveryIntegerType() throws {
        let labels = try Fixtures.vector("io/labels").map { Int($0) }
        #expect(try IDX.readLabels(ioFixture("labels-u1.idx.gz")) == labels)
        #expect(try IDX.readLabels(ioFixture("labels-two-members.idx.gz")) == labels)
        #expect(try IDX.readLabels(ioFixture("labels-i1.idx")) == [-128, -1, 0, 127])
        #expect(try IDX.readLabels(ioFixture("labels-i2.idx")) == [-32768, -1, 0, 32767])
        #expect(try IDX.readLabels(ioFixture("labels-i4.idx")) == [Int(Int32.min), -1, 0, Int(Int32.max)])
        let column: Matrix<Double> = try IDX.readMatrix(ioFixture("labels-i2.idx"))
        #expect(column.shape == (4, 1) && column.storage == [-32768, -1, 0, 32767])
        let bytes: Matrix<Double> = try IDX.readMatrix(ioFixture("labels-i1.idx"))
        #expect(bytes.storage == [-128, -1, 0, 127])
        let i4: Matrix<Float> = try IDX.readMatrix(ioFixture("labels-i4.idx"))
        #expect(i4.storage == [Float(Int32.min), -1, 0, Float(Int32.max)])
    }

    @Test func readsFloatMatrices() throws {
        let f4: Matrix<Double> = try IDX.readMatrix(ioFixture("matrix-f4.idx"))
        #expect(f4 == Matrix([[-4, -2.5, -1], [0.5, 2, 3.5]]))
        let f8: Matrix<Double> = try IDX.readMatrix(ioFixture("matrix-f8.idx"))
        #expect(f8.storage[0] == 0 && f8.storage[1].sign == .minus && f8.storage[2] == .infinity && f8.storage[3] == -.infinity)
        #expect(f8.storage[4].isNaN && f8.storage[5] == Double.leastNonzeroMagnitude)
    }

    @Test func errorsCarryOffsets() {
        func c(_ offset: Int, _ reason: String) -> IOError { .corrupt(path: "x.idx", offset: offset, reason: reason) }
        #expect(error(Data([0, 0])) == c(2, "file ends inside the 4-byte magic number"))
        var badMagic = idxBytes(code: 8, dimensions: [1], payload: [1])
        badMagic[0] = 1
        #expect(error(badMagic) == c(0, "not an IDX file (the magic number must start with two zero bytes)"))
        #expect(error(idxBytes(code: 0x0A, dimensions: [1], payload: [1])) == c(2, "unknown element type code 0xA"))
        #expect(error(Data([0, 0, 8, 0])) == c(3, "zero dimensions"))
        #expect(error(Data([0, 0, 8, 3, 0, 0, 0, 1])) == c(8, "file ends inside the sizes of 3 dimensions"))
        #expect(error(idxBytes(code: 8, dimensions: [60000, 28, 28], payload: Array(repeating: 0, count: 10)))
                == c(26, "dimensions [60000, 28, 28] of uint8 need 47040000 bytes of data, the file has 10"))
        #expect(error(idxBytes(code: 0x0E, dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: []))
                == c(20, "dimensions [4294967295, 4294967295, 4294967295, 4294967295] of float64 need more than \(Int.max) bytes of data, the file has 0"))
        #expect(error(idxBytes(code: 0x08, dimensions: [0, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: []))
                == c(20, "dimensions [0, 4294967295, 4294967295, 4294967295] of uint8 need more than \(Int.max) bytes of data, the file has 0"))
        #expect(error(idxBytes(code: 8, dimensions: [2], payload: [1, 2, 3])) == c(10, "1 byte of extra data after the elements"))
        #expect(error(idxBytes(code: 0x0B, dimensions: [1], payload: [0, 1]), scale: true)
                == .unsupported(path: "x.idx", reason: "scaling to [0, 1] applies to unsigned bytes, the file holds int16"))
        #expect(error(idxBytes(code: 8, dimensions: [1, 2], payload: [0, 1]), labels: true)
                == .unsupported(path: "x.idx", reason: "labels need a 1-D file, this one has dimensions [1, 2]"))
        #expect(error(idxBytes(code: 0x0D, dimensions: [1], payload: [0, 0, 0, 0]), labels: true)
                == .unsupported(path: "x.idx", reason: "labels need an integer type, the file holds float32"))
        #expect(throws: IOError.cannotRead(path: "/nonexistent/l.idx", reason: "no such file")) { try IDX.readLabels(URL(fileURLWithPath: "/nonexistent/l.idx")) }
    }

    @Test func damagedGzipIsReportedNotTrapped() throws {
        let gz = try ioFixtureData("images-u1.idx.gz")
        var flipped = gz
        flipped[gz.count - 6] ^= 0xFF   // the CRC-32 in the trailer
        #expect(error(flipped) == .corrupt(path: "x.idx", offset: gz.count - 4, reason: "gzip: incorrect data check"))
        #expect(error(gz.prefix(gz.count - 5)) == .corrupt(path: "x.idx", offset: gz.count - 5, reason: "gzip stream is truncated"))
        #expect(error(gz + Data([7, 7, 7])) == .corrupt(path: "x.idx", offset: gz.count, reason: "3 bytes of garbage after the gzip stream"))
        #expect(error(gz + Data([0, 0, 0])) == nil)   // zero padding after the stream is tolerated
        var header = gz
        header[2] = 9   // compression method must be 8 (deflate)
        #expect(error(header) == .corrupt(path: "x.idx", offset: 4, reason: "gzip: unknown compression method"))
    }
}

@Suite struct GzipTests {
    @Test func roundTripsAndMatchesPython() throws {
        var rng = Xoshiro256StarStar(seed: 5)
        let random = Data((0..<100_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        let text = Data(String(repeating: "latent representations ", count: 5000).utf8)
        for data in [Data(), random, text] {
            for level in [0, 1, 6, 9] {
                let packed = Gzip.compress(data, level: level)
                #expect(Gzip.isCompressed(packed))
                #expect(try Gzip.decompress(packed) == data)
            }
        }
        #expect(Gzip.compress(text, level: 9).count < text.count / 50)
        // Python's gzip output inflates to the same bytes as the plain file.
        #expect(try Gzip.decompress(ioFixtureData("images-u1.idx.gz")) == ioFixtureData("images-u1.idx"))
    }

    @Test func boundsOutputAndRejectsNonGzip() {
        let zeros = Gzip.compress(Data(count: 1 << 20))
        do {
            _ = try Gzip.decompress(zeros, path: "z.gz", maximumBytes: 1000)
            Issue.record("no error")
        } catch let IOError.corrupt(path, offset, reason) {
            // The offset is where zlib stood in the compressed bytes when the output passed the bound.
            #expect(path == "z.gz" && reason == "inflates to more than 1000 bytes" && offset > 0 && offset < zeros.count)
        } catch { Issue.record("\(error)") }
        #expect(throws: IOError.corrupt(path: "z.gz", offset: 0, reason: "not gzip data (no 1f 8b magic bytes)")) {
            _ = try Gzip.decompress(Data("plain".utf8), path: "z.gz")
        }
    }
}
