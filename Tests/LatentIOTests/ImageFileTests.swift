import Foundation
import Testing
import LatentCore
import LatentTestSupport
import LatentIO

/// `Tests/Fixtures/images/<name>`.
private func imageFixture(_ name: String) -> URL { Fixtures.folder.appendingPathComponent("images").appendingPathComponent(name) }

@Suite struct ImageFileTests {
    func expected(_ name: String) throws -> [Double] { try Fixtures.vector("images/" + name) }

    @Test func decodesPNGExactly() throws {
        let rgb = try ImageFile.read(imageFixture("rgb.png"))
        #expect(rgb.height == 12 && rgb.width == 16 && rgb.channels == 3)
        let expectedRGB = try expected("rgb"), expectedGrey = try expected("grey")
        #expect(rgb.pixels.map(Double.init) == expectedRGB)
        let grey = try ImageFile.read(imageFixture("grey.png"))
        #expect(grey.channels == 1 && grey.pixels.map(Double.init) == expectedGrey)
        // 16-bit samples reduced to 8 bits: v·257 comes back as v
        let grey16 = try ImageFile.read(imageFixture("grey16.png"))
        #expect(grey16.channels == 1 && grey16.pixels.map(Double.init) == expectedGrey)
    }

    @Test func compositesAlphaOntoBlack() throws {
        let image = try ImageFile.read(imageFixture("rgba.png"))
        #expect(image.channels == 3)
        // libpng composites in linear light then re-encodes sRGB; NumPy's reference blends the sRGB
        // values directly, so they agree only where alpha is 0 or 255 exactly
        let reference = try expected("rgba-on-black")
        for y in 0..<12 {
            for (x, alpha) in [(0, 0), (15, 255)] {
                for c in 0..<3 {
                    let i = (y * 16 + x) * 3 + c
                    #expect(Double(image.pixels[i]) == reference[i], "x \(x) alpha \(alpha)")
                }
            }
        }
    }

    /// JPEG is lossy and decoders may differ in IDCT and chroma upsampling; the reference is
    /// Pillow's libjpeg-turbo build, so allow 2 levels (of 255) per sample.
    @Test func decodesJPEGWithinTwoLevelsOfPillow() throws {
        for (file, reference, channels) in [("rgb.jpg", "rgb-jpg-pillow", 3), ("grey.jpg", "grey-jpg-pillow", 1)] {
            let image = try ImageFile.read(imageFixture(file))
            #expect(image.height == 12 && image.width == 16 && image.channels == channels, "\(file)")
            let r = try expected(reference)
            let worst = zip(image.pixels, r).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst <= 2, "\(file): largest difference \(worst)")
        }
    }

    @Test func everyTruncationFailsCleanly() throws {
        for file in ["rgb.jpg", "grey.jpg", "rgb.png", "rgba.png"] {
            let data = try Data(contentsOf: imageFixture(file))
            for length in 0..<data.count {
                #expect(throws: IOError.self, "\(file) cut at \(length)") { try ImageFile.decode(data.prefix(length), path: file) }
            }
        }
    }

    /// Seeded byte flips: each corrupted file either decodes to an image of the file's size or is
    /// refused with an `IOError`; nothing traps or exits.
    @Test func corruptedBytesNeverTrap() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        for file in ["rgb.jpg", "rgb.png"] {
            let original = try Data(contentsOf: imageFixture(file))
            var refused = 0
            for _ in 0..<300 {
                var data = original
                for _ in 0..<(1 + rng.integer(below: 4)) {
                    data[rng.integer(below: data.count)] = UInt8(truncatingIfNeeded: rng.next())
                }
                do {
                    let image = try ImageFile.decode(data, path: file)
                    #expect(image.pixels.count == image.height * image.width * image.channels)
                } catch is IOError { refused += 1 }
            }
            #expect(refused > 0, "\(file): some corruptions must be detected")
        }
    }

    @Test func errorsNameTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = folder.appendingPathComponent("cut.jpg")
        try Data(contentsOf: imageFixture("rgb.jpg")).prefix(300).write(to: cut)
        let text = folder.appendingPathComponent("notes.png")
        try Data("not an image".utf8).write(to: text)
        for url in [cut, text] {
            do { _ = try ImageFile.read(url); Issue.record("\(url.lastPathComponent) decoded") } catch let error as IOError {
                #expect(error.description.hasPrefix(url.path), "\(error)")
            }
        }
    }

    @Test func labMatchesScikitImage() throws {
        let table: Matrix<Double> = try Fixtures.matrix("images/lab")
        for i in 0..<table.rows {
            let (r, g, b) = (table[i, 0], table[i, 1], table[i, 2])
            let lab = LabColor.fromRGB(r, g, b)
            #expect(abs(lab.l - table[i, 3]) < 1e-3 && abs(lab.a - table[i, 4]) < 1e-3 && abs(lab.b - table[i, 5]) < 1e-3,
                    "row \(i): \(lab) vs \(table[i, 3]), \(table[i, 4]), \(table[i, 5])")
            let back = LabColor.toRGB(lab.l, lab.a, lab.b)
            #expect(abs(back.r - r) < 1e-4 && abs(back.g - g) < 1e-4 && abs(back.b - b) < 1e-4, "row \(i) round trip \(back)")
        }
    }

    @Test func patchesAreSeededAndLaidOut() throws {
        let image = try ImageFile.read(imageFixture("rgb.png"))
        let rgb = NaturalPatches(size: 5, count: 40, layout: .rgb, seed: 3).cut(from: [image])
        #expect(rgb.rows == 40 && rgb.columns == 75)
        #expect(rgb == NaturalPatches(size: 5, count: 40, layout: .rgb, seed: 3).cut(from: [image]))
        #expect(rgb != NaturalPatches(size: 5, count: 40, layout: .rgb, seed: 4).cut(from: [image]))
        // each patch is a 5 × 5 window of the image: find it by its top-left pixel and compare all of it
        for row in 0..<rgb.rows {
            let found = (0...7).contains { top in (0...11).contains { left in
                (0..<3).allSatisfy { c in (0..<25).allSatisfy { p in
                    rgb[row, c * 25 + p] == image.value(top + p / 5, left + p % 5, c)
                } }
            } }
            #expect(found, "patch \(row) is not a window of the image")
        }
        let grey = NaturalPatches(size: 5, count: 40, layout: .grey, seed: 3).cut(from: [image])
        let lab = NaturalPatches(size: 5, count: 40, layout: .lab, seed: 3).cut(from: [image])
        for row in 0..<40 {
            for p in 0..<25 {
                let (r, g, b) = (rgb[row, p], rgb[row, 25 + p], rgb[row, 50 + p])
                #expect(abs(grey[row, p] - (0.2125 * r + 0.7154 * g + 0.0721 * b)) < 1e-6)
                #expect(abs(Double(lab[row, p]) - LabColor.fromRGB(Double(r), Double(g), Double(b)).l / 100) < 1e-6)
            }
        }
    }
}
