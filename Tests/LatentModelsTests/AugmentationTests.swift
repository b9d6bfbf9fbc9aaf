import Foundation
import Testing
import LatentCore
import LatentNN
@testable import LatentModels

/// A `channels × side × side` image of uniform random values, zero within `border` of the edge.
func randomImage(channels: Int = 1, side: Int = 12, border: Int = 0, seed: UInt64) -> ImageSample {
    var rng = Xoshiro256StarStar(seed: seed)
    var image = ImageSample(channels: channels, height: side, width: side)
    for c in 0..<channels {
        for y in border..<(side - border) { for x in border..<(side - border) { image[c, y, x] = Float(rng.uniform()) } }
    }
    return image
}

@Suite("Image augmentations: invariants")
struct AugmentationTests {
    @Test func flipTwiceAndFourQuarterTurnsAreTheIdentity() {
        let image = randomImage(channels: 3, side: 9, seed: 1)
        #expect(HorizontalFlip.flipped(HorizontalFlip.flipped(image)) == image)
        #expect(HorizontalFlip.flipped(image) != image)
        var turned = image
        for _ in 0..<4 { turned = RightAngleRotation.rotated(turned, quarterTurns: 1) }
        #expect(turned == image)
        #expect(RightAngleRotation.rotated(image, quarterTurns: 2) == RightAngleRotation.rotated(RightAngleRotation.rotated(image, quarterTurns: 1), quarterTurns: 1))
        // a quarter turn counter-clockwise takes the top-right corner to the top-left
        #expect(RightAngleRotation.rotated(image, quarterTurns: 1)[0, 0, 0] == image[0, 0, 8])
        // the interpolating rotation agrees with the exact one at 90° (grid points map to grid points)
        let smooth = RandomRotation.rotated(image, degrees: 90)
        let exact = RightAngleRotation.rotated(image, quarterTurns: 1)
        #expect(zip(smooth.pixels, exact.pixels).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func blurKeepsTheMeanAndConstants() {
        let kernel = GaussianBlur.kernel(size: 5, sigma: 1.3)
        #expect(abs(kernel.reduce(0, +) - 1) < 1e-6 && kernel[0] == kernel[4] && kernel[2] > kernel[1])
        let image = randomImage(side: 16, border: 3, seed: 2)            // zero on the outer radius + 1 rows and columns
        let blurred = GaussianBlur.blurred(image, kernel: kernel)
        #expect(abs(blurred.mean - image.mean) < 1e-6)
        #expect(blurred != image)
        let flat = ImageSample(channels: 2, height: 7, width: 5, pixels: [Float](repeating: 0.25, count: 70))
        #expect(GaussianBlur.blurred(flat, kernel: kernel).pixels.allSatisfy { abs($0 - 0.25) < 1e-6 })
    }

    @Test func cropBoxesStayWithinTheScaleAndRatioRanges() {
        let crop = RandomResizedCrop(height: 10, width: 10, scale: 0.2...0.6, ratio: 0.75...(4.0 / 3))
        var rng = Xoshiro256StarStar(seed: 3)
        for _ in 0..<2000 {
            let b = crop.box(height: 100, width: 100, using: &rng)
            let area = Double(b.height * b.width) / 10_000, ratio = Double(b.width) / Double(b.height)
            // rounding the sides to whole pixels moves the area by at most (h + w + 1)/(H·W)
            let slack = Double(b.height + b.width + 1) / 10_000
            #expect(area >= 0.2 - slack && area <= 0.6 + slack, "area \(area)")
            #expect(ratio >= 0.75 * 0.97 && ratio <= 4.0 / 3 * 1.03, "ratio \(ratio)")
            #expect(b.top >= 0 && b.left >= 0 && b.top + b.height <= 100 && b.left + b.width <= 100)
        }
        let view = crop.apply(randomImage(side: 30, seed: 4), using: &rng)
        #expect(view.height == 10 && view.width == 10)
        // the whole image resized to its own size is the image
        let image = randomImage(side: 6, seed: 5)
        #expect(RandomResizedCrop.resize(image, top: 0, left: 0, boxHeight: 6, boxWidth: 6, toHeight: 6, width: 6) == image)
    }

    @Test func erasingTranslationSobelAndColourDoWhatTheySay() {
        var rng = Xoshiro256StarStar(seed: 6)
        let ones = ImageSample(channels: 1, height: 20, width: 20, pixels: [Float](repeating: 1, count: 400))
        for _ in 0..<50 {
            let erased = RandomErasing(scale: 0.1...0.2).apply(ones, using: &rng)
            let zeros = erased.pixels.filter { $0 == 0 }.count
            #expect(zeros == 0 || (zeros >= 30 && zeros <= 90), "\(zeros) pixels erased")
        }
        #expect(Cutout(side: 4).apply(ones, using: &rng).pixels.filter { $0 == 0 }.count <= 16)

        let image = randomImage(side: 8, seed: 7)
        let moved = RandomTranslation.shifted(image, down: 2, right: -1)
        #expect(moved[0, 2, 0] == image[0, 0, 1] && moved[0, 0, 0] == 0)
        #expect(RandomTranslation.shifted(moved, down: -2, right: 1)[0, 3, 3] == image[0, 3, 3])

        let flat = ImageSample(channels: 1, height: 6, width: 6, pixels: [Float](repeating: 0.5, count: 36))
        #expect(SobelFilter.filtered(flat)[0, 2, 3] == 0)
        var edge = ImageSample(channels: 1, height: 6, width: 6)
        for y in 0..<6 { for x in 3..<6 { edge[0, y, x] = 1 } }
        let sobel = SobelFilter.filtered(edge)
        #expect(sobel[0, 2, 2] == 4 && sobel[0, 2, 3] == 4 && sobel[0, 2, 0] == 0)

        let rgb = randomImage(channels: 3, side: 5, seed: 8)
        let grey = ColourDrop().apply(rgb, using: &rng)
        #expect(grey[0, 1, 2] == grey[1, 1, 2] && grey[1, 1, 2] == grey[2, 1, 2])
        #expect(abs(grey[0, 1, 2] - (0.299 * rgb[0, 1, 2] + 0.587 * rgb[1, 1, 2] + 0.114 * rgb[2, 1, 2])) < 1e-6)
        // a zero hue rotation only passes through YIQ and back
        #expect(zip(ColourJitter.hueRotated(rgb, turns: 0).pixels, rgb.pixels).allSatisfy { abs($0 - $1) < 2e-3 })
        for _ in 0..<20 {
            let jittered = ColourJitter().apply(rgb, using: &rng)
            #expect(jittered.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(BrightnessContrastJitter().apply(image, using: &rng).pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        // noise keeps the mean (σ = 0.1 over 10 000 values: standard error 0.001)
        let big = randomImage(side: 100, seed: 9)
        #expect(abs(GaussianNoise(standardDeviation: 0.1...0.1).apply(big, using: &rng).mean - big.mean) < 0.005)
    }

    @Test func probabilitiesGateTheSteps() {
        var rng = Xoshiro256StarStar(seed: 10)
        let image = randomImage(side: 6, seed: 11)
        let never = AugmentationPipeline([.init(HorizontalFlip(), probability: 0)])
        let always = AugmentationPipeline([.init(HorizontalFlip(), probability: 1)])
        #expect(never(image, using: &rng) == image && always(image, using: &rng) == HorizontalFlip.flipped(image))
        let half = AugmentationPipeline([.init(HorizontalFlip(), probability: 0.5)])
        let flips = (0..<2000).filter { _ in half(image, using: &rng) != image }.count
        #expect(flips > 900 && flips < 1100)
    }

    @Test func sameSeedSameViewsWithAnyThreadsAndPrefetch() throws {
        var rng = Xoshiro256StarStar(seed: 12)
        let images = Matrix<Float>(rows: 37, columns: 3 * 10 * 10, storage: (0..<(37 * 300)).map { _ in Float(rng.uniform()) })
        let augment = AugmentationPipeline.simCLR(channels: 3, height: 10, width: 10)
        func collect(seed: UInt64, threads: Int, prefetch: Int, epoch: Int = 1) throws -> [[Float]] {
            var out: [[Float]] = []
            let source = augment.batches(of: images, channels: 3, height: 10, width: 10, views: 2, batchSize: 8,
                                         seed: seed, threads: threads, prefetch: prefetch)
            try source.forEachBatch(epoch: epoch) { views in
                #expect(views.count == 2 && views[0].shape[1...] == [3, 10, 10])
                out += views.map(\.storage)
            }
            return out
        }
        let one = try collect(seed: 5, threads: 1, prefetch: 0)
        #expect(one.count == 2 * 5)
        #expect(try collect(seed: 5, threads: 2, prefetch: 0) == one)
        #expect(try collect(seed: 5, threads: 2, prefetch: 2) == one)
        #expect(try collect(seed: 6, threads: 1, prefetch: 0) != one)
        #expect(try collect(seed: 5, threads: 1, prefetch: 0, epoch: 2) != one)
        #expect(one[0] != one[1])                         // the two views of a batch differ
    }
}
