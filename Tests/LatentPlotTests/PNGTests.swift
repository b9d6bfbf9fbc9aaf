import Foundation
import Testing
@testable import LatentPlot

@Suite struct PNGTests {
    /// Deterministic pixel pattern with smooth and noisy parts, so every filter type is useful.
    static func pattern(width: Int, height: Int, channels: Int) -> Image {
        var state: UInt32 = 12345
        let pixels = (0..<(width * height * channels)).map { i -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            let x = (i / channels) % width, y = i / (channels * width)
            if y % 3 == 0 { return UInt8(truncatingIfNeeded: state >> 24) }
            let smooth: Int = 7 * x + 3 * y + 50 * (i % channels)
            return UInt8(truncatingIfNeeded: smooth)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    @Test func crcMatchesStandardValues() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)   // the CRC-32 check value
        #expect(PNG.chunk("IEND", []) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func headerHasSignatureSizeAndColourType() throws {
        for (channels, colorType) in [(1, 0), (3, 2), (4, 6)] {
            let data = PNG.encode(Image(width: 300, height: 2, channels: channels))
            #expect(Array(data.prefix(8)) == PNG.signature)
            let chunks = try PNGDecoder.chunks(data)
            #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
            #expect(chunks[0].data == [0, 0, 1, 44, 0, 0, 0, 2, 8, UInt8(colorType), 0, 0, 0])
        }
    }

    @Test(arguments: [1, 3, 4], [true, false])
    func pixelsSurviveTheRoundTrip(channels: Int, adaptive: Bool) throws {
        let image = Self.pattern(width: 37, height: 11, channels: channels)
        let decoded = try PNGDecoder.decode(PNG.encode(image, level: 6, adaptiveFilters: adaptive))
        #expect(decoded == image)
    }

    @Test func filterZeroRowsStartWithZero() {
        let image = Self.pattern(width: 5, height: 4, channels: 3)
        let rows = PNG.filteredRows(image, adaptive: false)
        #expect(rows.count == 4 * 16)
        #expect((0..<4).allSatisfy { rows[$0 * 16] == 0 })
        #expect(Array(rows[1..<16]) == Array(image.pixels[0..<15]))
        // Identical rows are predicted exactly from the row above: Up (type 2) after the first row
        // (Paeth also costs 0 there; the first filter with the least cost wins).
        let row: [UInt8] = [0, 120, 10, 110, 60, 140, 20, 100]
        let rampPixels: [UInt8] = row + row + row + row
        let ramp = Image(width: 8, height: 4, channels: 1, pixels: rampPixels)
        let adaptive = PNG.filteredRows(ramp, adaptive: true)
        #expect((1..<4).allSatisfy { adaptive[$0 * 9] == 2 })
    }

    @Test func paethBreaksTiesLeftThenAbove() {
        #expect(PNG.paeth(10, 10, 10) == 10)
        #expect(PNG.paeth(5, 9, 5) == 9)      // p = 9: above is exact
        #expect(PNG.paeth(9, 5, 5) == 9)      // p = 9: left is exact
        #expect(PNG.paeth(4, 8, 6) == 6)      // p = 6: upper-left is exact
        #expect(PNG.paeth(7, 4, 5) == 7)      // p = 6: all three 1 away, left wins
        #expect(PNG.paeth(6, 0, 4) == 0)      // p = 2: above and upper-left 2 away, above wins
    }

    @Test func writesAtomicallyAndDecodes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-png-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var image = Image(width: 20, height: 10, channels: 3, background: .white)
        image.fillRect(x: 5, y: 2, width: 3, height: 4, color: Color(hex: 0x4E79A7))
        let url = folder.appendingPathComponent("a.png")
        try PNG.write(image, to: url)
        let decoded = try PNGDecoder.decode(Data(contentsOf: url))
        #expect(decoded.width == 20 && decoded.height == 10)
        #expect(decoded[6, 3] == Color(hex: 0x4E79A7) && decoded[0, 0] == .white && decoded[8, 3] == .white)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.png"])
        #expect(throws: (any Error).self) { try PNG.write(image, to: folder.appendingPathComponent("missing/b.png")) }
    }
}
