import LatentCore

/// Tiles the rows of a matrix — each row one image, e.g. a flattened 28 × 28 picture — into a
/// grid picture with padding, optional captions under each tile and an optional title.
///
/// Values become colours through a `Normalization` (which value range maps to the colormap's
/// ends) and a `Colormap`. Each image pixel becomes a `scale × scale` block. Cells are as wide
/// as the tile or the longest caption plus 6 pixels, whichever is wider; the tile is centred in its cell.
///
/// ```swift
/// let grid = ImageGrid(tileWidth: 28, tileHeight: 28, columns: 8, normalization: .symmetricPerTile,
///                      colormap: .blueWhiteRed)
/// try PNG.write(grid.render(pca.components, captions: (0..<16).map { "PC \($0 + 1)" }), to: url)
/// ```
public struct ImageGrid: Sendable {
    /// Which value range maps to the ends of the colormap.
    public enum Normalization: Sendable, Equatable {
        /// Minimum → 0, maximum → 1 over all tiles (finite values only).
        case global
        /// Minimum → 0, maximum → 1 within each tile.
        case perTile
        /// −m → 0, 0 → ½, +m → 1 with m the largest |value| over all tiles: zero stays at the
        /// colormap's middle, for signed components with a diverging colormap.
        case symmetricGlobal
        /// As `symmetricGlobal`, with m taken within each tile.
        case symmetricPerTile
        /// `low` → 0, `high` → 1, values outside clamped (e.g. `fixed(low: 0, high: 1)` for
        /// pixels scaled to the unit interval).
        case fixed(low: Double, high: Double)
    }

    /// Width of one image in pixels (before scaling).
    public var tileWidth: Int
    /// Height of one image in pixels (before scaling).
    public var tileHeight: Int
    /// Tiles per grid row.
    public var columns: Int
    /// Gap in output pixels between cells and around the border.
    public var padding: Int
    /// Each image pixel becomes a `scale × scale` block.
    public var scale: Int
    /// How values map to [0, 1] before the colormap.
    public var normalization: Normalization
    /// How [0, 1] maps to colours.
    public var colormap: Colormap
    /// Colour of padding and caption bands.
    public var background: Color
    /// Colour of captions and title.
    public var textColor: Color
    /// Optional title drawn above the grid at twice the font size.
    public var title: String?
    /// Columns per visual group: after every `groupColumns` columns the gap widens by
    /// `groupGap` pixels (e.g. 2 for original | reconstruction pairs; 1 = no groups).
    public var groupColumns: Int
    /// Extra horizontal gap in pixels between column groups.
    public var groupGap: Int

    /// A grid configuration; see the properties for the meaning of each argument.
    public init(tileWidth: Int, tileHeight: Int, columns: Int = 10, padding: Int = 2, scale: Int = 2,
                normalization: Normalization = .global, colormap: Colormap = .grey,
                background: Color = .white, textColor: Color = .black, title: String? = nil,
                groupColumns: Int = 1, groupGap: Int = 0) {
        precondition(groupColumns >= 1 && groupGap >= 0, "ImageGrid: need groupColumns ≥ 1 and groupGap ≥ 0, got \(groupColumns), \(groupGap)")
        precondition(tileWidth > 0 && tileHeight > 0, "ImageGrid: tile size must be positive, got \(tileWidth)×\(tileHeight)")
        precondition(columns > 0, "ImageGrid: columns must be positive, got \(columns)")
        precondition(padding >= 0 && scale >= 1, "ImageGrid: padding must be ≥ 0 and scale ≥ 1, got \(padding), \(scale)")
        if case let .fixed(low, high) = normalization {
            precondition(low < high, "ImageGrid: fixed normalisation needs low < high, got \(low), \(high)")
        }
        self.tileWidth = tileWidth; self.tileHeight = tileHeight; self.columns = columns
        self.padding = padding; self.scale = scale; self.normalization = normalization
        self.colormap = colormap; self.background = background; self.textColor = textColor; self.title = title
        self.groupColumns = groupColumns; self.groupGap = groupGap
    }

    /// Where things go in a grid of `tiles` images.
    public struct Layout: Sendable, Equatable {
        /// Output image width in pixels.
        public let width: Int
        /// Output image height in pixels.
        public let height: Int
        /// Grid columns actually used (`min(columns, tiles)`).
        public let columns: Int
        /// Grid rows: `⌈tiles / columns⌉`.
        public let rows: Int
        /// Width and height of one cell (tile plus caption band).
        public let cellWidth: Int, cellHeight: Int
        /// Height of the band above the grid that holds the title (0 without one).
        public let titleHeight: Int
        /// Width of a scaled tile (`tileWidth · scale`).
        public let tilePixelWidth: Int
        /// Gap between cells and around the border.
        public let padding: Int
        /// Columns per group and the extra gap between groups (see `ImageGrid.groupColumns`).
        public let groupColumns: Int, groupGap: Int

        /// The top-left corner of tile `index`'s scaled image. - Complexity: O(1).
        public func tileOrigin(_ index: Int) -> (x: Int, y: Int) {
            let r = index / columns, c = index % columns
            return (padding + c * (cellWidth + padding) + (c / groupColumns) * groupGap + (cellWidth - tilePixelWidth) / 2,
                    titleHeight + padding + r * (cellHeight + padding))
        }
    }

    /// The layout for `tiles` images with the given captions (nil: no caption band).
    /// - Complexity: O(captions' total length).
    public func layout(tiles: Int, captions: [String]? = nil) -> Layout {
        precondition(tiles > 0, "ImageGrid: need at least one tile")
        let used = min(columns, tiles), rows = (tiles + columns - 1) / columns
        let captionWidth = captions?.map { BitmapFont.width(of: $0) }.max() ?? 0
        let captionLines = captions?.map { $0.split(separator: "\n", omittingEmptySubsequences: false).count }.max() ?? 0
        let cellWidth = max(tileWidth * scale, captions == nil ? 0 : captionWidth + 6)   // keep captions apart
        let cellHeight = tileHeight * scale + (captions == nil ? 0 : 2 + captionLines * BitmapFont.lineHeight)
        let titleHeight = title.map { BitmapFont.height(of: $0, scale: 2) + 2 * max(padding, 4) } ?? 0
        var width = used * cellWidth + (used + 1) * padding + ((used - 1) / groupColumns) * groupGap
        if let title { width = max(width, BitmapFont.width(of: title, scale: 2) + 2 * max(padding, 4)) }
        return Layout(width: width, height: titleHeight + rows * cellHeight + (rows + 1) * padding,
                      columns: used, rows: rows, cellWidth: cellWidth, cellHeight: cellHeight, titleHeight: titleHeight,
                      tilePixelWidth: tileWidth * scale, padding: padding, groupColumns: groupColumns, groupGap: groupGap)
    }

    /// Renders each row of `tiles` (`k × (tileHeight · tileWidth)`, row-major pixels) as one
    /// tile, `captions[i]` (if given, one per row) under tile i. Grey colormaps give a 1-channel
    /// image, others RGB. Non-finite values map to the colormap's middle.
    /// - Complexity: O(k · tileWidth · tileHeight · scale²).
    public func render<S: BLASScalar>(_ tiles: Matrix<S>, captions: [String]? = nil) -> Image {
        precondition(tiles.columns == tileWidth * tileHeight,
                     "ImageGrid.render: rows have \(tiles.columns) values, tiles need \(tileWidth)×\(tileHeight) = \(tileWidth * tileHeight)")
        precondition(captions == nil || captions!.count == tiles.rows,
                     "ImageGrid.render: \(captions?.count ?? 0) captions for \(tiles.rows) tiles")
        let layout = self.layout(tiles: tiles.rows, captions: captions)
        let grey = colormap == .grey || colormap == .inverseGrey || colormap == .divergingGrey
        var image = Image(width: layout.width, height: layout.height, channels: grey ? 1 : 3, background: background)
        // An even number of steps puts t = ½ (zero on diverging maps) exactly on an entry.
        let steps = 1020
        let lookup = (0...steps).map { colormap.color(at: Double($0) / Double(steps)) }
        let globalRange = range(of: tiles.storage[...])
        let n = tileWidth * tileHeight
        for k in 0..<tiles.rows {
            let values = tiles.storage[(k * n)..<((k + 1) * n)]
            let (low, high, symmetric): (Double, Double, Bool)
            switch normalization {
            case .global: (low, high, symmetric) = (globalRange.min, globalRange.max, false)
            case .perTile: let r = range(of: values); (low, high, symmetric) = (r.min, r.max, false)
            case .symmetricGlobal: let m = max(abs(globalRange.min), abs(globalRange.max)); (low, high, symmetric) = (-m, m, true)
            case .symmetricPerTile: let r = range(of: values); let m = max(abs(r.min), abs(r.max)); (low, high, symmetric) = (-m, m, true)
            case let .fixed(l, h): (low, high, symmetric) = (l, h, false)
            }
            let origin = layout.tileOrigin(k)
            for y in 0..<tileHeight {
                for x in 0..<tileWidth {
                    let v = Double(values[values.startIndex + y * tileWidth + x])
                    var t = high > low ? (v - low) / (high - low) : (symmetric ? 0.5 : 0)
                    if !v.isFinite { t = 0.5 }
                    let color = lookup[Int((min(max(t, 0), 1) * Double(steps)).rounded())]
                    image.fillRect(x: origin.x + x * scale, y: origin.y + y * scale, width: scale, height: scale, color: color)
                }
            }
            if let caption = captions?[k] {
                let centre = origin.x + tileWidth * scale / 2
                for (line, text) in caption.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    image.drawText(String(text), centeredAt: centre,
                                   y: origin.y + tileHeight * scale + 2 + line * BitmapFont.lineHeight, color: textColor)
                }
            }
        }
        if let title {
            image.drawText(title, x: max(padding, 4), y: max(padding, 4), color: textColor, scale: 2)
        }
        return image
    }

    /// Smallest and largest finite value (0, 0 when there is none).
    private func range<S: BLASScalar>(of values: ArraySlice<S>) -> (min: Double, max: Double) {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, Double(v)); hi = max(hi, Double(v)) }
        return lo <= hi ? (lo, hi) : (0, 0)
    }
}
