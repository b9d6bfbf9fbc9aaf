import Foundation
import LatentCore

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28 × 28 grey images of clothing in 10 classes,
/// 60 000 for training and 10 000 for testing, as gzip-compressed IDX files
/// (`train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, `t10k-…`). On Debian the
/// `dataset-fashion-mnist` package installs them in `/usr/share/datasets/fashion-mnist`.
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package puts the files.
    public static let defaultFolder = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    /// The ten class names, indexed by label.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// Image height and width in pixels.
    public static let imageSide = 28

    /// Which half of the data set.
    public enum Split: String, Sendable, CaseIterable, Codable {
        /// The 60 000 training images.
        case train
        /// The 10 000 test images.
        case test

        /// The file-name prefix: `train` or `t10k`.
        var prefix: String { self == .train ? "train" : "t10k" }
    }

    /// One split: images as rows and their labels.
    public struct Dataset<Scalar: BLASScalar>: Sendable {
        /// Which split this is.
        public let split: Split
        /// `n × 784` pixels, one image per row in row-major pixel order; in [0, 1] when loaded
        /// with `scaleToUnit`, else 0…255.
        public let images: Matrix<Scalar>
        /// `n` class indices in 0..<10; `FashionMNIST.classNames[label]` names each.
        public let labels: [Int]

        /// A split from images and their labels. - Precondition: one label per row.
        public init(split: Split, images: Matrix<Scalar>, labels: [Int]) {
            precondition(images.rows == labels.count, "FashionMNIST.Dataset: \(images.rows) images, \(labels.count) labels")
            self.split = split
            self.images = images
            self.labels = labels
        }

        /// The first `n` images and labels (all of them when `n` is larger), for quick runs.
        public func prefix(_ n: Int) -> Dataset {
            let k = Swift.min(Swift.max(0, n), labels.count)
            return Dataset(split: split, images: images.rows(0..<k), labels: Array(labels.prefix(k)))
        }
    }

    /// The image and label files of `split` in `folder`.
    public static func files(split: Split, folder: URL = defaultFolder) -> (images: URL, labels: URL) {
        (folder.appendingPathComponent("\(split.prefix)-images-idx3-ubyte.gz"),
         folder.appendingPathComponent("\(split.prefix)-labels-idx1-ubyte.gz"))
    }

    /// Whether both splits' files are in `folder`.
    public static func isAvailable(folder: URL = defaultFolder) -> Bool {
        Split.allCases.allSatisfy { split in
            let f = files(split: split, folder: folder)
            return FileManager.default.fileExists(atPath: f.images.path) && FileManager.default.fileExists(atPath: f.labels.path)
        }
    }

    /// Loads one split. Pixels are divided by 255 when `scaleToUnit` (the default).
    /// - Throws: `IOError.cannotRead` when the folder or a file is missing (saying to install
    ///   `dataset-fashion-mnist`), `IOError.corrupt` when a file is damaged or the images are not
    ///   28 × 28, the counts of images and labels differ, or a label is outside 0..<10.
    /// - Complexity: O(n · 784); about 0.5 s of CPU time for the training split in a release build.
    public static func load<S: BLASScalar>(split: Split, folder: URL = defaultFolder, as type: S.Type = S.self,
                                           scaleToUnit: Bool = true) throws -> Dataset<S> {
        let f = files(split: split, folder: folder)
        for url in [f.images, f.labels] where !FileManager.default.fileExists(atPath: url.path) {
            throw IOError.cannotRead(path: url.path, reason: "Fashion-MNIST is not there; install it with `apt install dataset-fashion-mnist` or pass the folder that holds it")
        }
        let imageData = try FileData.read(f.images)
        let raw = Gzip.isCompressed(imageData) ? try Gzip.decompress(imageData, path: f.images.path) : imageData
        let header = try IDX.parseHeader(raw, path: f.images.path)
        guard header.dimensions.count == 3, header.dimensions[1] == imageSide, header.dimensions[2] == imageSide else {
            throw IOError.corrupt(path: f.images.path, offset: 4, reason: "expected images of 28 × 28 pixels, found dimensions \(header.dimensions)")
        }
        let images: Matrix<S> = try IDX.decodeMatrix(raw, scaleToUnit: scaleToUnit, path: f.images.path)
        let labels = try IDX.readLabels(f.labels)
        guard labels.count == images.rows else {
            throw IOError.corrupt(path: f.labels.path, offset: 4, reason: "\(labels.count) labels for \(images.rows) images")
        }
        if let bad = labels.firstIndex(where: { !(0..<classNames.count).contains($0) }) {
            throw IOError.corrupt(path: f.labels.path, offset: 8 + bad, reason: "label \(labels[bad]) of image \(bad) is outside 0..<10")
        }
        return Dataset(split: split, images: images, labels: labels)
    }
}
