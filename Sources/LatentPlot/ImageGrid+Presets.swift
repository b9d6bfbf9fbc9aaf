import LatentCore

/// Ready-made grids for the pictures representation learning needs most.
extension ImageGrid {
    /// Data set samples (e.g. Fashion-MNIST rows) in grey, each captioned with its class name
    /// when `labels` are given (`classNames[label]`, or the label number without names). Pixel
    /// values map by the global min–max range, so images in [0, 1] and in 0…255 both work.
    /// - Parameters:
    ///   - images: `k × side²` (or `k × width·height` with `width` given) pixels, one image per row.
    /// - Complexity: O(k · side² · scale²).
    public static func samples<S: BLASScalar>(_ images: Matrix<S>, labels: [Int]? = nil, classNames: [String]? = nil,
                                              side: Int = 28, width: Int? = nil, columns: Int = 10, scale: Int = 2,
                                              title: String? = nil) -> Image {
        let w = width ?? side, h = images.columns / max(w, 1)
        precondition(labels == nil || labels!.count == images.rows, "ImageGrid.samples: \(labels!.count) labels for \(images.rows) images")
        let captions = labels.map { $0.map { l in classNames.map { l >= 0 && l < $0.count ? $0[l] : "\(l)" } ?? "\(l)" } }
        return ImageGrid(tileWidth: w, tileHeight: h, columns: columns, scale: scale, normalization: .global,
                         colormap: .grey, title: title).render(images, captions: captions)
    }

    /// Learned components shown as images — PCA eigen-images, ICA components, dictionary atoms,
    /// NMF parts, RBM filters: any `k × side²` matrix of rows. Signed components use a diverging
    /// blue–white–red map, each tile scaled symmetrically around zero (white = 0); pass
    /// `signed: false` for non-negative parts (NMF), which use per-tile min–max in inverse grey.
    /// Captions default to `prefix` + 1-based index ("#1", "#2", …).
    /// - Complexity: O(k · side² · scale²).
    public static func components<S: BLASScalar>(_ components: Matrix<S>, side: Int = 28, columns: Int = 8,
                                                 scale: Int = 2, signed: Bool = true, captions: [String]? = nil,
                                                 prefix: String = "#", title: String? = nil) -> Image {
        let h = components.columns / side
        let labels = captions ?? (1...components.rows).map { "\(prefix)\($0)" }
        return ImageGrid(tileWidth: side, tileHeight: h, columns: columns, scale: scale,
                         normalization: signed ? .symmetricPerTile : .perTile,
                         colormap: signed ? .blueWhiteRed : .inverseGrey, title: title)
            .render(components, captions: labels)
    }

    /// Originals beside their reconstructions: tile pairs (original | reconstruction), `pairs`
    /// pairs per grid row with a wider gap between pairs, captioned "original" and "recon" (or
    /// `captions`). Both use the
    /// originals' value range, so a faded reconstruction looks faded.
    /// - Parameters:
    ///   - originals, reconstructions: `k × side²` each, same shape.
    /// - Complexity: O(k · side² · scale²).
    public static func reconstructions<S: BLASScalar>(originals: Matrix<S>, reconstructions: Matrix<S>, side: Int = 28,
                                                      pairs: Int = 5, scale: Int = 2,
                                                      captions: (original: String, reconstruction: String) = ("original", "recon"),
                                                      title: String? = nil) -> Image {
        precondition(originals.rows == reconstructions.rows && originals.columns == reconstructions.columns,
                     "ImageGrid.reconstructions: originals \(originals.shapeDescription) and reconstructions \(reconstructions.shapeDescription) differ")
        let k = originals.rows, d = originals.columns
        var interleaved = [S](); interleaved.reserveCapacity(2 * k * d)
        var labels = [String]()
        for i in 0..<k {
            interleaved += originals.storage[(i * d)..<((i + 1) * d)]
            interleaved += reconstructions.storage[(i * d)..<((i + 1) * d)]
            labels += [captions.original, captions.reconstruction]
        }
        var lo = Double.infinity, hi = -Double.infinity
        for v in originals.storage where v.isFinite { lo = min(lo, Double(v)); hi = max(hi, Double(v)) }
        if !(lo < hi) { lo = 0; hi = 1 }
        return ImageGrid(tileWidth: side, tileHeight: d / side, columns: 2 * pairs, scale: scale,
                         normalization: .fixed(low: lo, high: hi), colormap: .grey, title: title,
                         groupColumns: 2, groupGap: 6)
            .render(Matrix(rows: 2 * k, columns: d, storage: interleaved), captions: labels)
    }
}
