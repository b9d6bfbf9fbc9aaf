import Foundation
import LatentCore
import LatentDecomposition
import LatentIO
import Testing
@testable import LatentPlot

/// Renders real pictures into /tmp/latent-plots for a person to look at. Off by default (it
/// fits PCA on 5000 Fashion-MNIST images); run with `LATENT_PLOT_PICTURES=1 swift test --filter PictureTests`.
@Suite struct PictureTests {
    static let enabled = ProcessInfo.processInfo.environment["LATENT_PLOT_PICTURES"] != nil && FashionMNIST.isAvailable()

    @Test(.enabled(if: enabled, "set LATENT_PLOT_PICTURES=1 (and install dataset-fashion-mnist) to render pictures"))
    func renderFashionMNISTPictures() throws {
        let folder = URL(fileURLWithPath: "/tmp/latent-plots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train)
        let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test)

        // The whole bitmap font, three times enlarged.
        var sheet = Image(width: 16 * BitmapFont.advance * 3 + 12, height: 6 * BitmapFont.lineHeight * 3 + 12, channels: 1)
        for row in 0..<6 {
            let line = String((0..<16).compactMap { c in (32 + row * 16 + c) <= 126 ? Character(Unicode.Scalar(UInt8(32 + row * 16 + c))) : nil })
            sheet.drawText(line, x: 6, y: 6 + row * BitmapFont.lineHeight * 3, color: .black, scale: 3)
        }
        try PNG.write(sheet, to: folder.appendingPathComponent("font.png"))

        // Two samples of each class, in class order.
        var picked = [Int]()
        for c in 0..<10 { picked += train.labels.indices.filter { train.labels[$0] == c }.prefix(2) }
        let sample = Matrix<Float>(rows: picked.count, columns: 784, storage: picked.flatMap { train.images.row($0) })
        let grid = ImageGrid.samples(sample, labels: picked.map { train.labels[$0] }, classNames: FashionMNIST.classNames,
                                     columns: 10, title: "Fashion-MNIST training samples")
        try PNG.write(grid, to: folder.appendingPathComponent("samples.png"))

        let x = Matrix<Float>(rows: 5000, columns: 784, storage: Array(train.images.storage.prefix(5000 * 784)))
        let pca = try PCA<Float>(components: 16).fit(x)
        let captions = (0..<16).map { "PC\($0 + 1) " + String(format: "%.1f%%", 100 * Double(pca.explainedVarianceRatio[$0])) }
        try PNG.write(ImageGrid.components(pca.components, columns: 8, captions: captions, title: "PCA eigen-images (5000 images)"),
                      to: folder.appendingPathComponent("pca-components.png"))

        let originals = Matrix<Float>(rows: 10, columns: 784, storage: Array(test.images.storage.prefix(10 * 784)))
        let recon = try pca.inverseTransform(pca.transform(originals))
        try PNG.write(ImageGrid.reconstructions(originals: originals, reconstructions: recon, title: "PCA-16 reconstructions"),
                      to: folder.appendingPathComponent("pca-reconstructions.png"))

        let x2 = Matrix<Float>(rows: 2000, columns: 784, storage: Array(test.images.storage.prefix(2000 * 784)))
        let z = try pca.transform(x2)
        try ScatterPlot(title: "Fashion-MNIST test images on the first two principal components",
                        xLabel: "PC 1", yLabel: "PC 2", classNames: FashionMNIST.classNames)
            .write(z, labels: Array(test.labels.prefix(2000)), to: folder.appendingPathComponent("pca-scatter.svg"))

        // Example accuracy-against-shots numbers (illustrative values for the picture only).
        let shots: [Double] = [1, 2, 4, 8]
        try LinePlot(title: "Few-shot accuracy (example numbers)", xLabel: "shots per class", yLabel: "accuracy",
                     xScale: .log2, yRange: 0.3...0.9)
            .write([LinePlot.Series(name: "PCA 50", x: shots, y: [0.52, 0.60, 0.66, 0.70], errors: [0.021, 0.015, 0.011, 0.008]),
                    LinePlot.Series(name: "raw pixels", x: shots, y: [0.48, 0.55, 0.61, 0.66], errors: [0.02, 0.016, 0.012, 0.009])],
                   to: folder.appendingPathComponent("fewshot.svg"))
        try LinePlot(title: "Training loss", xLabel: "epoch", yLabel: "loss")
            .write([LinePlot.Series(name: "train", y: [0.92, 0.61, 0.50, 0.45, 0.42, 0.40, 0.39, 0.38]),
                    LinePlot.Series(name: "validation", y: [0.70, 0.55, 0.49, 0.47, 0.46, 0.46, 0.47, 0.47])],
                   to: folder.appendingPathComponent("loss.svg"))
    }
}
