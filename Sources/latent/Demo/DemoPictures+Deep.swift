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

    /// A VAE's generative pictures: decoded prior samples; linear and spherical interpolations
    /// between the codes (posterior means) of test-image pairs; and a traversal of every code
    /// dimension over ±3 prior standard deviations around the code of the first test image.
    mutating func generative(_ name: String, model: FittedVariationalAutoencoder<Float>, originals: Matrix<Float>, seed: UInt64) throws {
        let samples = model.sample(count: 40, seed: seed)
        try add(ImageGrid.samples(samples, columns: 10, title: "\(name): decoded samples z ~ N(0, I)"), "\(name)-samples.png",
                "\(name): 40 codes drawn from the prior N(0, I) and decoded (Bernoulli means).")
        let pairs = [(0, 1), (2, 3), (4, 5)].filter { $0.1 < originals.rows }
        if !pairs.isEmpty {
            let codes = model.encode(originals.rows(0..<(2 * pairs.count)))
            func code(_ i: Int) -> [Float] { Array(codes.storage[(i * codes.columns)..<((i + 1) * codes.columns)]) }
            var rows: [Float] = []
            for (a, b) in pairs {
                for path in [LatentPaths.Interpolation.linear, .spherical] {
                    rows += model.decode(LatentPaths.interpolate(from: code(a), to: code(b), steps: 10, path: path)).storage
                }
            }
            let grid = Matrix(rows: rows.count / originals.columns, columns: originals.columns, storage: rows)
            try add(ImageGrid.samples(grid, columns: 10, title: "\(name): interpolations, linear and spherical"), "\(name)-interpolations.png",
                    "\(name): between the codes of test images 0 and 1, 2 and 3, 4 and 5 (left to right, 10 steps), decoded; " +
                    "in each pair of rows the first is linear, the second spherical (slerp).")
        }
        let centre = model.encode(originals.rows(0..<1)).storage
        let traversal = model.decode(LatentPaths.traversal(centre: centre, steps: 9, range: 3))
        try add(ImageGrid.samples(traversal, columns: 9, title: "\(name): latent traversals"), "\(name)-traversals.png",
                "\(name): one row per code dimension, swept over −3 … +3 around the code of test image 0 (others fixed), decoded.")
    }
}
