import Foundation
import Testing
import LatentCore
import LatentIO

@Suite struct FashionMNISTTests {
    @Test(.enabled(if: FashionMNIST.isAvailable(), "Fashion-MNIST is not installed (apt install dataset-fashion-mnist)"))
    func realFilesHaveTheDocumentedShapes() throws {
        // Reference sums and labels from NumPy reading the same files.
        let test: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, scaleToUnit: false)
        #expect(test.images.shape == (10000, 784))
        #expect(Array(test.labels.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        #expect(LabelEncoding(test.labels.map(String.init)).counts == Array(repeating: 1000, count: 10))
        #expect(test.images.row(0).reduce(0, +) == 33456 && test.images.row(9999).reduce(0, +) == 24390)
        let train: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .train)
        #expect(train.images.shape == (60000, 784) && train.labels.count == 60000)
        var counts = [Int](repeating: 0, count: 10)
        for l in train.labels { counts[l] += 1 }
        #expect(counts == Array(repeating: 6000, count: 10))
        // Scaled pixels: k/255 in [0, 1]; NumPy's sums of the first and last raw images.
        for (row, sum) in [(0, 76247.0), (59999, 16684.0)] {
            let pixels = train.images.row(row)
            #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(abs(pixels.reduce(0.0) { $0 + Double($1) } * 255 - sum) < 0.05)
        }
        #expect(FashionMNIST.classNames[test.labels[0]] == "Ankle boot")
    }

    @Test func missingFolderSaysHowToInstall() {
        let folder = URL(fileURLWithPath: "/nonexistent/fashion")
        #expect(!FashionMNIST.isAvailable(folder: folder))
        #expect(throws: IOError.cannotRead(path: "/nonexistent/fashion/t10k-images-idx3-ubyte.gz",
                                          reason: "Fashion-MNIST is not there; install it with `apt install dataset-fashion-mnist` or pass the folder that holds it")) {
            let _: FashionMNIST.Dataset<Float> = try FashionMNIST.load(split: .test, folder: folder)
        }
    }

    @Test func damagedSetsAreRejected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = FashionMNIST.files(split: .train, folder: folder)
        func write(images: Data, labels: Data) throws {
            try AtomicFile.write(Gzip.compress(images), to: files.images)
            try AtomicFile.write(Gzip.compress(labels), to: files.labels)
        }
        func error() -> IOError? {
            do { let _: FashionMNIST.Dataset<Double> = try FashionMNIST.load(split: .train, folder: folder); return nil }
            catch { return error as? IOError }
        }
        let twoImages = idxBytes(code: 8, dimensions: [2, 28, 28], payload: Array(repeating: 255, count: 2 * 784))
        try write(images: idxBytes(code: 8, dimensions: [2, 3, 3], payload: Array(repeating: 0, count: 18)),
                  labels: idxBytes(code: 8, dimensions: [2], payload: [0, 1]))
        #expect(error() == .corrupt(path: files.images.path, offset: 4, reason: "expected images of 28 × 28 pixels, found dimensions [2, 3, 3]"))
        try write(images: twoImages, labels: idxBytes(code: 8, dimensions: [3], payload: [0, 1, 2]))
        #expect(error() == .corrupt(path: files.labels.path, offset: 4, reason: "3 labels for 2 images"))
        try write(images: twoImages, labels: idxBytes(code: 8, dimensions: [2], payload: [0, 10]))
        #expect(error() == .corrupt(path: files.labels.path, offset: 9, reason: "label 10 of image 1 is outside 0..<10"))
        try write(images: twoImages, labels: idxBytes(code: 8, dimensions: [2], payload: [0, 9]))
        let ok: FashionMNIST.Dataset<Double> = try FashionMNIST.load(split: .train, folder: folder)
        #expect(ok.images.shape == (2, 784) && ok.images.storage.allSatisfy { $0 == 1 } && ok.labels == [0, 9] && ok.split == .train)
    }
}
