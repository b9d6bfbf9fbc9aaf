import Foundation
import Latent

extension DemoPictures {
    /// One training image under 16 draws of SimCLR's augmentations (first tile: the original).
    mutating func augmentations(of images: Matrix<Float>, row: Int, seed: UInt64) throws {
        let image = ImageSample(row: row, of: images, channels: 1, height: 28, width: 28)
        let augment = AugmentationPipeline.simCLR(channels: 1, height: 28, width: 28)
        var rng = Xoshiro256StarStar(seed: seed)
        let views = [image] + rng.split(into: 16).map { stream -> ImageSample in var s = stream; return augment(image, using: &s) }
        let tiles = Matrix(rows: views.count, columns: 784, storage: views.flatMap(\.pixels))
        let grid = ImageGrid.samples(tiles, columns: 17, title: "One training image and 16 SimCLR augmentations")
        try add(grid, "augmentations.png", "A training image (first) and 16 views drawn by SimCLR's augmentations: resized crop (20–100% of the area), flip, brightness/contrast jitter, blur.")
    }

    /// For each of `queries` test images, its 8 nearest training images in a method's feature
    /// space (cosine similarity of centred features, as the few-shot protocol compares them).
    mutating func neighbours(method: String, features: DemoFeatures, train: FashionMNIST.Dataset<Float>,
                             test: FashionMNIST.Dataset<Float>, queries: [Int]) throws {
        let mean = features.train.mean(over: .rows)
        func normalised(_ x: Matrix<Float>) -> Matrix<Float> {
            let c = x.subtracting(row: mean)
            var out = c
            for i in 0..<c.rows {
                let row = c.storage[(i * c.columns)..<((i + 1) * c.columns)]
                let norm = Swift.max(row.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                for j in 0..<c.columns { out.storage[i * c.columns + j] = c.storage[i * c.columns + j] / norm }
            }
            return out
        }
        let similarity = Matrix.gemm(normalised(features.test.rows(at: queries)), normalised(features.train), transposeB: true)
        var rows: [[Float]] = [], labels: [Int] = []
        for (q, query) in queries.enumerated() {
            let scores = similarity.storage[(q * similarity.columns)..<((q + 1) * similarity.columns)]
            let nearest = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(8).map { $0 - q * similarity.columns }
            rows.append(Array(test.images.storage[(query * 784)..<((query + 1) * 784)]))
            labels.append(test.labels[query])
            for n in nearest {
                rows.append(Array(train.images.storage[(n * 784)..<((n + 1) * 784)]))
                labels.append(train.labels[n])
            }
        }
        let tiles = Matrix(rows: rows.count, columns: 784, storage: rows.flatMap { $0 })
        let grid = ImageGrid.samples(tiles, labels: labels, classNames: FashionMNIST.classNames, columns: 9,
                                     title: "\(method): test images (left) and their 8 nearest training images")
        try add(grid, "\(method)-neighbours.png",
                "\(method): each row is a test image (first column) and its 8 nearest training images by cosine similarity of centred features.")
    }
}
