import Foundation
import Testing
import LatentCore
import LatentNN
import LatentTestSupport
@testable import LatentModels

/// `n` grey 8 × 8 images: a bright horizontal or vertical bar of width 2 at a random place on a
/// dark background, plus a little noise — structure a hole or a lower row can be predicted from.
private func barImages(_ n: Int, seed: UInt64) -> Matrix<Float> {
    var rng = Xoshiro256StarStar(seed: seed)
    return Matrix(rows: n, columns: 64, storage: (0..<n).flatMap { _ -> [Float] in
        let vertical = rng.bernoulli(0.5), at = rng.integer(below: 7)
        return (0..<64).map { p in
            let (y, x) = (p / 8, p % 8)
            let on = vertical ? (x == at || x == at + 1) : (y == at || y == at + 1)
            return Float((on ? 0.9 : 0.1) + 0.05 * rng.uniform())
        }
    })
}

/// `n` Lab rows of 8 × 8 patches whose colour is a function of lightness (bright → warm, dark →
/// cool), so colour can be learned from lightness alone.
private func labPatches(_ n: Int, seed: UInt64) -> Matrix<Float> {
    let grey = barImages(n, seed: seed)
    return Matrix(rows: n, columns: 192) { i, j in
        let l = grey[i, j % 64]
        switch j / 64 {
        case 0: return l
        case 1: return 0.4 * (l - 0.5)
        default: return -0.3 * (l - 0.5)
        }
    }
}

private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(name)-\(UUID().uuidString).safetensors")
}

private func bits<S: BLASScalar>(_ m: Matrix<S>) -> [UInt64] { m.storage.map { Double($0).bitPattern } }

@Suite("Inpainting, colorization and CPC on small images")
struct SelfSupervisedImageTests {
    let images = barImages(96, seed: 1)
    let heldOut = barImages(32, seed: 2)
    let settings = TrainingSettings(epochs: 4, batchSize: 16, learningRate: 1e-2, seed: 5)

    @Test func masksCoverWhatTheySay() {
        var rng = Xoshiro256StarStar(seed: 1)
        let centre: [Float] = InpaintingMask.centre(fraction: 0.5).draw(height: 8, width: 8, using: &rng)
        #expect(centre == (0..<64).map { p in (2..<6).contains(p / 8) && (2..<6).contains(p % 8) ? 1 : 0 })
        for _ in 0..<20 {
            let blocks: [Float] = InpaintingMask.randomBlocks(count: 1, fraction: 0.25).draw(height: 8, width: 8, using: &rng)
            #expect(blocks.reduce(0, +) == 4)                          // one 2 × 2 block
            let regions: [Float] = InpaintingMask.randomRegions(coverage: 0.3).draw(height: 8, width: 8, using: &rng)
            #expect(regions.reduce(0, +) >= 0.3 * 64)
        }
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
        let first: [Float] = InpaintingMask.randomRegions(coverage: 0.4).draw(height: 8, width: 8, using: &a)
        let second: [Float] = InpaintingMask.randomRegions(coverage: 0.4).draw(height: 8, width: 8, using: &b)
        #expect(first == second)
        #expect(InpaintingMask.centre(fraction: 1).problem != nil && InpaintingMask.randomBlocks(count: 0, fraction: 0.2).problem != nil)
    }

    @Test func contextEncoderLearnsTheHoleAndResumesBitForBit() throws {
        let config = ContextEncoder<Float>(channels: 1, height: 8, width: 8, filters: [4, 8], codeSize: 16,
                                           mask: .randomBlocks(count: 2, fraction: 0.25), training: settings)
        let straight = try config.fit(images, evaluation: heldOut)
        let first = straight.history.first!.evaluationLoss!, last = straight.history.last!.evaluationLoss!
        #expect(last < 0.8 * first, "held-out hole MSE \(first) → \(last)")
        #expect(straight.encode(heldOut).columns == 8 * 2 * 2)

        let url = temporaryFile("context-encoder")
        defer { try? FileManager.default.removeItem(at: url) }
        var short = config
        short.training.epochs = 2
        _ = try short.fit(images, evaluation: heldOut, checkpoint: url)
        let resumed = try config.fit(images, evaluation: heldOut, checkpoint: url, resume: true)
        #expect(resumed.history.map(\.epoch) == [3, 4])
        #expect(bits(straight.encode(heldOut)) == bits(resumed.encode(heldOut)))
        #expect(resumed.network.generator == straight.network.generator)

        try straight.save(to: url)
        let loaded = try FittedContextEncoder<Float>.load(from: url)
        #expect(bits(loaded.encode(heldOut)) == bits(straight.encode(heldOut)))
        // inpainting keeps the known pixels
        var rng = Xoshiro256StarStar(seed: 0)
        let holes = Matrix<Float>(rows: 32, columns: 64, storage: (0..<32).flatMap { _ in InpaintingMask.centre(fraction: 0.5).draw(height: 8, width: 8, using: &rng) as [Float] })
        let filled = straight.inpaint(heldOut, holes: holes)
        #expect((0..<filled.storage.count).allSatisfy { holes.storage[$0] > 0 || filled.storage[$0] == heldOut.storage[$0] })
        #expect(throws: CheckpointError.self) { try FittedColorization<Float>.load(from: url) }
    }

    @Test func colorizationLearnsColourFromLightness() throws {
        let patches = labPatches(96, seed: 3), held = labPatches(32, seed: 4)
        let config = Colorization<Float>(height: 8, width: 8, filters: [4, 8], codeSize: 16,
                                         training: TrainingSettings(epochs: 8, batchSize: 16, learningRate: 1e-2, seed: 2))
        let model = try config.fit(patches, evaluation: held)
        // predicting grey (a = b = 0) costs the mean square of the colour planes (8 epochs get to ~0.63 of it)
        let grey = (0..<held.rows).flatMap { i in (64..<192).map { Double(held[i, $0] * held[i, $0]) } }.reduce(0, +) / Double(held.rows * 128)
        let last = model.history.last!.evaluationLoss!
        #expect(last < 0.7 * grey, "held-out colour MSE \(last), grey guess \(grey)")
        let colours = model.colorize(held)
        #expect(colours.rows == 32 && (0..<64).allSatisfy { colours[0, $0] == held[0, $0] })
        // encode takes grey images, converted to lightness
        let features = model.encode(barImages(5, seed: 9))
        #expect(features.rows == 5 && features.columns == 32)
        #expect(abs(FittedColorization<Float>.lightness(ofGrey: Matrix(rows: 1, columns: 2, storage: [0, 1]))[0, 1] - 1) < 1e-5)

        let url = temporaryFile("colorization")
        defer { try? FileManager.default.removeItem(at: url) }
        var short = config
        short.training.epochs = 3
        _ = try short.fit(patches, checkpoint: url)
        let resumed = try config.fit(patches, checkpoint: url, resume: true)
        #expect(bits(resumed.encode(barImages(5, seed: 9))) == bits(features))
        #expect(throws: AutoencoderError.self) { try config.fit(images) }          // grey rows, not Lab
    }

    @Test func patchGridCutsOverlappingWindows() {
        let grid = PatchGrid(channels: 2, height: 6, width: 7, size: 4, stride: 2)
        #expect(grid.rows == 2 && grid.columns == 2)
        let x = Tensor<Float>(shape: [2, 84], storage: (0..<168).map(Float.init))
        let p = grid.patches(of: x)
        #expect(p.shape == [8, 32])
        for n in 0..<2 { for i in 0..<2 { for j in 0..<2 { for c in 0..<2 { for y in 0..<4 { for xx in 0..<4 {
            let row = (n * 2 + i) * 2 + j
            #expect(p.storage[row * 32 + c * 16 + y * 4 + xx] == Float(n * 84 + c * 42 + (i * 2 + y) * 7 + j * 2 + xx))
        } } } } } }
    }

    @Test func cpcContextSeesOnlyRowsAbove() {
        let grid = PatchGrid(channels: 1, height: 8, width: 8, size: 4, stride: 2)
        let network = CPCNetwork<Float>(grid: grid, filters: [4], embeddingSize: 5, offsets: 1, seed: 1)
        var rng = Xoshiro256StarStar(seed: 2)
        let z = Tensor<Float>.randomNormal([2, 5, 3, 3], using: &rng)
        var changed = z.storage
        for n in 0..<2 { for d in 0..<5 { for j in 0..<3 { changed[((n * 5 + d) * 3 + 2) * 3 + j] += 1 } } }   // row 2 only
        let (a, b) = (network.summarise(z), network.summarise(Tensor(shape: z.shape, storage: changed)))
        for n in 0..<2 { for d in 0..<5 { for i in 0..<3 { for j in 0..<3 {
            let k = ((n * 5 + d) * 3 + i) * 3 + j
            if i < 2 { #expect(a.storage[k] == b.storage[k], "row \(i) saw row 2") }
        } } } }
        #expect(a.storage != b.storage)
    }

    @Test func cpcLearnsAndResumesBitForBit() throws {
        let config = ContrastivePredictiveCoding<Float>(grid: PatchGrid(channels: 1, height: 8, width: 8, size: 4, stride: 2),
                                                        filters: [8], embeddingSize: 16, offsets: [1, 2], temperature: 0.2, training: settings)
        let straight = try config.fit(images, evaluation: heldOut)
        let first = straight.history.first!.trainingLoss, last = straight.history.last!.trainingLoss
        #expect(last < first - 0.1, "InfoNCE \(first) → \(last)")
        #expect(straight.encode(heldOut).columns == 16)

        let url = temporaryFile("cpc")
        defer { try? FileManager.default.removeItem(at: url) }
        var short = config
        short.training.epochs = 2
        _ = try short.fit(images, checkpoint: url)
        let resumed = try config.fit(images, checkpoint: url, resume: true)
        #expect(bits(straight.encode(heldOut)) == bits(resumed.encode(heldOut)))
        try straight.save(to: url)
        let loaded = try FittedContrastivePredictiveCoding<Float>.load(from: url)
        #expect(bits(loaded.encode(heldOut)) == bits(straight.encode(heldOut)))

        var bad = config
        bad.offsets = [3]
        #expect(throws: AutoencoderError.self) { try bad.fit(images) }
    }
}
