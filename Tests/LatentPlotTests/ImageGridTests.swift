import LatentCore
import Testing
@testable import LatentPlot

@Suite struct ImageGridTests {
    /// `k` tiles of 3 × 2 pixels; tile i holds i, i+1, …, i+5.
    static func tiles(_ k: Int) -> Matrix<Double> { Matrix(rows: k, columns: 6) { i, j in Double(i + j) } }

    @Test func geometryFollowsTilesColumnsPaddingAndScale() {
        let grid = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 4, padding: 2, scale: 5)
        let layout = grid.layout(tiles: 10)
        #expect(layout.rows == 3 && layout.columns == 4 && layout.cellWidth == 15 && layout.cellHeight == 10)
        #expect(layout.width == 4 * 15 + 5 * 2 && layout.height == 3 * 10 + 4 * 2)
        let image = grid.render(Self.tiles(10))
        #expect(image.width == 70 && image.height == 38 && image.channels == 1)
        // Fewer tiles than columns: the grid shrinks to one row of 2.
        #expect(grid.layout(tiles: 2).width == 2 * 15 + 3 * 2 && grid.layout(tiles: 2).rows == 1)
        // Tile 5 (row 1, column 1) starts after one cell and two paddings in each direction.
        #expect(layout.tileOrigin(5) == (x: 2 + 15 + 2, y: 2 + 10 + 2))
        // Groups of two columns get 7 extra pixels between them.
        let grouped = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 4, padding: 2, scale: 5, groupColumns: 2, groupGap: 7).layout(tiles: 8)
        #expect(grouped.width == 4 * 15 + 5 * 2 + 7)
        #expect(grouped.tileOrigin(1).x == 2 + 15 + 2 && grouped.tileOrigin(2).x == 2 + 2 * (15 + 2) + 7 && grouped.tileOrigin(7).x == 2 + 3 * 17 + 7)
    }

    @Test func globalAndPerTileNormalisation() {
        let m = Self.tiles(3)   // values 0…7 overall; tile 0 spans 0…5, tile 2 spans 2…7
        let global = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 3, padding: 1, scale: 1, normalization: .global).render(m)
        #expect(global[1, 1].grey == 0)                    // tile 0 pixel 0 = 0: the global minimum
        #expect(global[1 + 2 * 4 + 2, 2].grey == 255)      // tile 2 last pixel = 7: the maximum
        #expect(global[1 + 2 * 4, 1].grey == 73)           // 2/7 · 255
        let perTile = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 3, padding: 1, scale: 1, normalization: .perTile).render(m)
        #expect(perTile[1 + 2 * 4, 1].grey == 0 && perTile[1 + 2 * 4 + 2, 2].grey == 255)
        #expect(perTile[0, 0] == .white)                   // padding
        let fixed = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 3, padding: 1, scale: 1, normalization: .fixed(low: 0, high: 14)).render(m)
        #expect(fixed[1 + 2 * 4 + 2, 2].grey == 128)
    }

    @Test func symmetricNormalisationKeepsZeroWhite() {
        let m = Matrix<Float>([[-2, 0, 1, 2, -1, 0.5]])
        let image = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 1, padding: 0, scale: 1,
                              normalization: .symmetricPerTile, colormap: .blueWhiteRed, background: .black).render(m)
        #expect(image.channels == 3)
        #expect(image[0, 0] == Color(hex: 0x2166AC) && image[1, 0] == .white && image[0, 1] == Color(hex: 0xB2182B))
        #expect(image[2, 0].red > image[2, 0].blue)     // +1: light red
        let constant = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 1, padding: 0, scale: 1,
                                 normalization: .symmetricGlobal, colormap: .blueWhiteRed).render(Matrix<Double>.zeros(1, 6))
        #expect(constant.pixels.allSatisfy { $0 == 255 })
    }

    @Test func captionsWidenCellsAndInkBelowTheTiles() {
        let grid = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 2, padding: 2, scale: 2)
        let captions = ["Ankle boot", "Bag"]
        let layout = grid.layout(tiles: 2, captions: captions)
        #expect(layout.cellWidth == BitmapFont.width(of: "Ankle boot") + 6 && layout.cellHeight == 4 + 2 + BitmapFont.lineHeight)
        let image = grid.render(Self.tiles(2), captions: captions)
        let origin = layout.tileOrigin(0)
        var inkBelow = 0
        for y in (origin.y + 4)..<image.height { for x in 0..<layout.cellWidth + 2 where image[x, y].grey < 128 { inkBelow += 1 } }
        #expect(inkBelow > 20)
        let titled = ImageGrid(tileWidth: 3, tileHeight: 2, columns: 2, title: "PCA").layout(tiles: 2)
        #expect(titled.titleHeight == BitmapFont.height(of: "PCA", scale: 2) + 8)
    }

    @Test func presetsShapeAndInterleave() {
        let originals = Matrix<Float>(rows: 3, columns: 16) { i, j in Float(j) / 15 }
        let recon = Matrix<Float>(rows: 3, columns: 16) { _, _ in 0.5 }
        let pairs = ImageGrid.reconstructions(originals: originals, reconstructions: recon, side: 4, pairs: 3, scale: 1)
        let layout = ImageGrid(tileWidth: 4, tileHeight: 4, columns: 6, scale: 1, groupColumns: 2, groupGap: 6)
            .layout(tiles: 6, captions: ["original"])
        #expect(pairs.width == layout.width && pairs.height == layout.height)
        // Reconstruction tile (index 1) is uniform mid grey on the originals' 0…1 scale.
        let o = layout.tileOrigin(1)
        #expect(pairs[o.x, o.y].grey == 128 && pairs[o.x + 3, o.y + 3].grey == 128)
        let samples = ImageGrid.samples(originals, labels: [0, 1, 9], classNames: ["zero", "one"], side: 4, scale: 1)
        #expect(samples.channels == 1 && samples.width > 3 * 4)
        let comps = ImageGrid.components(Matrix<Double>(rows: 5, columns: 16) { i, j in Double(j - 8 + i) }, side: 4, columns: 5, scale: 1)
        #expect(comps.channels == 3 && comps.height == ImageGrid(tileWidth: 4, tileHeight: 4, scale: 1).layout(tiles: 5, captions: ["#1"]).height)
    }
}
