import Testing
@testable import LatentPlot

@Suite struct ImageTests {
    /// Coordinates of pixels that differ from white.
    static func inked(_ image: Image) -> [(Int, Int)] {
        var out = [(Int, Int)]()
        for y in 0..<image.height { for x in 0..<image.width where image[x, y] != .white { out.append((x, y)) } }
        return out
    }

    @Test func fillRectClipsToTheImage() {
        var image = Image(width: 10, height: 6, channels: 1)
        image.fillRect(x: -2, y: 4, width: 5, height: 10, color: .black)
        let ink = Self.inked(image)
        #expect(ink.count == 3 * 2)
        #expect(ink.allSatisfy { $0.0 < 3 && $0.1 >= 4 })
    }

    @Test func bresenhamLinesHitBothEndsWithOnePixelPerStep() {
        var image = Image(width: 20, height: 20, channels: 3)
        image.drawLine(from: (2, 3), to: (15, 8), color: .black)
        let ink = Self.inked(image)
        #expect(ink.count == 14)                                    // one pixel per x step
        #expect(image[2, 3] == .black && image[15, 8] == .black)
        #expect(Set(ink.map(\.0)).count == 14)
        var steep = Image(width: 20, height: 20, channels: 1)
        steep.drawLine(from: (5, 19), to: (3, 0), color: .black)
        #expect(Self.inked(steep).count == 20 && steep[5, 19] == .black && steep[3, 0] == .black)
    }

    @Test func circlesAreSymmetricAndFilledDiscsMatchTheirRadius() {
        var ring = Image(width: 21, height: 21, channels: 1)
        ring.strokeCircle(cx: 10, cy: 10, radius: 6, color: .black)
        let ink = Set(Self.inked(ring).map { $0.1 * 100 + $0.0 })
        #expect(ink.contains(4 * 100 + 10) && ink.contains(16 * 100 + 10) && ink.contains(10 * 100 + 4) && ink.contains(10 * 100 + 16))
        #expect(ink.allSatisfy { ink.contains((20 - $0 / 100) * 100 + $0 % 100) && ink.contains(($0 % 100) * 100 + $0 / 100) })
        #expect(ring[10, 10] == .white)
        var dot = Image(width: 5, height: 5, channels: 1)
        dot.fillCircle(cx: 2, cy: 2, radius: 0, color: .black)
        #expect(Self.inked(dot).count == 1)
        var disc = Image(width: 9, height: 9, channels: 1)
        disc.fillCircle(cx: 4, cy: 4, radius: 2, color: .black)
        #expect(Self.inked(disc).count == 21)   // 5×5 square minus the 4 corners
    }

    @Test func alphaBlendsOverTheBackground() {
        var image = Image(width: 2, height: 1, channels: 3, background: .white)
        image.plot(0, 0, Color(red: 0, green: 0, blue: 0, alpha: 128))
        #expect(image[0, 0] == Color(grey: 127))
        var rgba = Image(width: 1, height: 1, channels: 4, background: Color(red: 0, green: 0, blue: 0, alpha: 0))
        rgba.plot(0, 0, Color(red: 200, green: 100, blue: 50, alpha: 64))
        #expect(rgba[0, 0] == Color(red: 200, green: 100, blue: 50, alpha: 64))
        #expect(Color(red: 255, green: 0, blue: 0).grey == 76 && Color(hex: 0x4E79A7).hexString == "#4e79a7")
    }

    @Test func rectangleOutlinesAndCopiesLandWhereAsked() {
        var frame = Image(width: 8, height: 6, channels: 1)
        frame.strokeRect(x: 1, y: 1, width: 5, height: 4, color: .black)
        #expect(ImageTests.inked(frame).count == 2 * 5 + 2 * 2)
        #expect(frame[1, 1] == .black && frame[5, 4] == .black && frame[3, 2] == .white)
        var canvas = Image(width: 6, height: 6, channels: 3, background: .white)
        var stamp = Image(width: 2, height: 2, channels: 1, background: .black)
        stamp[1, 1] = Color(grey: 200)
        canvas.draw(stamp, atX: 4, y: 3)
        #expect(canvas[4, 3] == .black && canvas[5, 4] == Color(grey: 200) && canvas[3, 3] == .white)
        canvas.draw(stamp, atX: 5, y: 5)        // clipped to the corner pixel
        #expect(canvas[5, 5] == .black && ImageTests.inked(canvas).count == 5)
    }

    @Test func scalingRepeatsPixelsInBlocks() {
        let image = Image(width: 2, height: 1, channels: 1, pixels: [10, 200])
        let big = image.scaled(by: 3)
        #expect(big.width == 6 && big.height == 3)
        #expect(big.pixels == Array(repeating: [10, 10, 10, 200, 200, 200], count: 3).flatMap { $0 })
    }
}

@Suite struct FontAndColormapTests {
    @Test func everyPrintableGlyphHasInkAndAllDiffer() {
        let printable = (33...126).map { Character(Unicode.Scalar(UInt8($0))) }
        #expect(printable.allSatisfy { BitmapFont.glyph($0).contains { $0 != 0 } })
        #expect(BitmapFont.glyph(" ").allSatisfy { $0 == 0 })
        #expect(Set(printable.map { BitmapFont.glyph($0) }).count == printable.count)
        #expect(printable.allSatisfy { BitmapFont.glyph($0).count == BitmapFont.glyphHeight && BitmapFont.glyph($0).allSatisfy { $0 < 32 } })
        #expect(BitmapFont.glyph("A") == [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001, 0])
        #expect(BitmapFont.glyph("é") == BitmapFont.glyph("?") && BitmapFont.glyph("–") == BitmapFont.glyph("-"))
        // Descenders use the last row; capitals never do.
        #expect("gjpqy,".allSatisfy { BitmapFont.glyph($0)[7] != 0 })
        #expect("ABCXYZ0189".allSatisfy { BitmapFont.glyph($0)[7] == 0 })
    }

    @Test func textRendersInsideItsBoxAndMeasuresRight() {
        #expect(BitmapFont.width(of: "Bag") == 17 && BitmapFont.width(of: "Bag", scale: 2) == 34)
        #expect(BitmapFont.width(of: "ab\nlonger") == 35 && BitmapFont.height(of: "a\nb") == 18)
        var image = Image(width: 40, height: 20, channels: 1)
        image.drawText("Hi!", x: 3, y: 2, color: .black)
        let ink = ImageTests.inked(image)
        #expect(!ink.isEmpty)
        #expect(ink.allSatisfy { $0.0 >= 3 && $0.0 < 3 + BitmapFont.width(of: "Hi!") && $0.1 >= 2 && $0.1 < 9 })
        // "H" occupies its first column fully (rows 0…6), "i" has the dot in row 0 and a gap in row 1.
        #expect((2..<9).allSatisfy { image[3, $0] == .black })
        #expect(image[11, 2] == .black && image[11, 3] == .white)
        var scaled = Image(width: 40, height: 20, channels: 1)
        scaled.drawText("H", x: 0, y: 0, color: .black, scale: 2)
        #expect(ImageTests.inked(scaled).count == 4 * ImageTests.inked({ var i = Image(width: 8, height: 8, channels: 1); i.drawText("H", x: 0, y: 0, color: .black); return i }()).count)
    }

    @Test func colormapEndpoints() {
        #expect(Colormap.grey.color(at: 0) == .black && Colormap.grey.color(at: 1) == .white)
        #expect(Colormap.inverseGrey.color(at: 0) == .white && Colormap.inverseGrey.color(at: 1) == .black)
        #expect(Colormap.blueWhiteRed.color(at: 0) == Color(hex: 0x2166AC))
        #expect(Colormap.blueWhiteRed.color(at: 0.5) == .white)
        #expect(Colormap.blueWhiteRed.color(at: 1) == Color(hex: 0xB2182B))
        #expect(Colormap.blueWhiteRed.color(at: -3) == Color(hex: 0x2166AC) && Colormap.grey.color(at: .nan) == Color(grey: 128))
        #expect(Colormap.divergingGrey.color(at: 0.5) == Color(grey: 128) && Colormap.blueWhiteRed.isDiverging)
        #expect(Palette.tableau10.count == 10 && Palette.categorical(11) == Palette.tableau10[1] && Palette.categorical(-1) == Palette.tableau10[9])
    }
}
