import ArgumentParser
import Foundation
import Latent

/// The image data sets the autoencoder commands train and draw on: rows of pixels in [0, 1].
enum ModelDataset: String, ExpressibleByArgument, CaseIterable {
    case fashionMNIST = "fashion-mnist"
    case dsprites

    /// Channels, height and width of one image.
    var imageShape: (channels: Int, height: Int, width: Int) {
        switch self {
        case .fashionMNIST: return (1, 28, 28)
        case .dsprites: return (1, DSprites.imageSize, DSprites.imageSize)
        }
    }

    /// Training and test images. Fashion-MNIST: its splits (the first `limit` training images when
    /// given). dSprites: `limit` (default 20,000) training and `limit/5` test images drawn without
    /// replacement from the 737,280 by `seed`.
    func load(folder: String?, limit: Int?, seed: UInt64) throws -> (train: Matrix<Float>, test: Matrix<Float>) {
        switch self {
        case .fashionMNIST:
            let url = folder.map { URL(fileURLWithPath: $0) } ?? FashionMNIST.defaultFolder
            var train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train, folder: url)
            if let limit { train = train.prefix(limit) }
            let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: url)
            return (train.images, test.images)
        case .dsprites:
            let n = limit ?? 20_000
            let indices = DSprites.sample(n + Swift.max(1, n / 5), seed: seed)
            return (DSprites.images(Array(indices.prefix(n))), DSprites.images(Array(indices.dropFirst(n))))
        }
    }
}

/// Writes rows of images (`n × c·h·w`, values in [0, 1]) as a grey PNG grid, `columns` per row.
func writeImageGrid(_ images: Matrix<Float>, side: (height: Int, width: Int), columns: Int, to path: String, title: String? = nil) throws {
    var grid = ImageGrid(tileWidth: side.width, tileHeight: side.height, columns: columns, normalization: .fixed(low: 0, high: 1))
    grid.title = title
    try PNG.write(grid.render(images), to: URL(fileURLWithPath: path))
}
