import Foundation
import Testing
import LatentCore
import LatentNN
import LatentTestSupport
@testable import LatentModels

/// `n` 16 × 16 images of an "L" (a vertical stroke with a foot to the right) of random size and
/// position: rotation changes it, and its parts have a fixed relative position.
func letterL(_ n: Int, seed: UInt64) -> Matrix<Float> {
    var rng = Xoshiro256StarStar(seed: seed)
    var storage = [Float](repeating: 0, count: n * 256)
    for i in 0..<n {
        let height = 8 + rng.integer(below: 5), foot = 5 + rng.integer(below: 4)
        let top = 1 + rng.integer(below: 15 - height), left = 1 + rng.integer(below: 14 - foot)
        for y in top..<(top + height) { for x in left..<(left + 2) { storage[i * 256 + y * 16 + x] = 1 } }
        for y in (top + height - 2)..<(top + height) { for x in left..<(left + foot) { storage[i * 256 + y * 16 + x] = 1 } }
    }
    return Matrix(rows: n, columns: 256, storage: storage)
}

private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(name)-\(UUID().uuidString).safetensors")
}

private func bits(_ model: FittedImageEncoder) -> [[UInt32]] { model.namedTensors.map { $0.tensor.storage.map(\.bitPattern) } }

@Suite("Self-supervised methods: SimCLR, rotation, context")
struct SelfSupervisedTests {
    let images = letterL(48, seed: 1)
    let architecture = ImageEncoderArchitecture(channels: 1, height: 16, width: 16, filters: [6, 8])

    /// Trains `epochs` straight, then 1 epoch + resume to `epochs`, and checks the weights agree bit for bit.
    func checkResume(_ fit: (_ epochs: Int, _ checkpoint: URL?, _ resume: Bool) throws -> FittedImageEncoder) throws -> FittedImageEncoder {
        let straight = try fit(3, nil, false)
        let url = temporaryFile("ssl")
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try fit(1, url, false)
        let resumed = try fit(3, url, true)
        #expect(resumed.history.map(\.epoch) == [2, 3])
        #expect(bits(straight) == bits(resumed))
        return straight
    }

    @Test func simCLRLearnsResumesAndDropsTheHead() throws {
        func config(_ epochs: Int) -> SimCLR {
            SimCLR(architecture: architecture, projection: [16, 8], temperature: 0.5,
                   training: TrainingSettings(epochs: epochs, batchSize: 16, learningRate: 3e-3, seed: 2))
        }
        let model = try checkResume { e, url, resume in try config(e).fit(images, threads: 2, checkpoint: url, resume: resume) }
        // 3 batches of 16 per epoch (dropLast); NT-Xent starts near log(2N − 1) = log 31
        #expect(model.history.map(\.step) == [3, 6, 9])
        #expect(model.history[0].trainingLoss > 2.5 && model.history[0].trainingLoss < 3.8)
        var longer = config(20)
        longer.augmentation = .light
        longer.training.learningRate = 1e-2
        let learned = try longer.fit(images)
        #expect(learned.history.last!.trainingLoss < learned.history.first!.trainingLoss - 0.2,
                "NT-Xent \(learned.history.first!.trainingLoss) → \(learned.history.last!.trainingLoss)")
        // g is gone: the fitted model holds only the encoder f
        #expect(!model.namedTensors.contains { $0.name.hasPrefix("projection") })
        let features = model.encode(images)
        #expect(features.rows == 48 && features.columns == 8 && features.storage.allSatisfy(\.isFinite))
        // a different seed trains a different encoder; the same seed the same one
        var other = config(3)
        other.training.seed = 9
        #expect(bits(try other.fit(images)) != bits(model))
        #expect(bits(try config(3).fit(images, threads: 1, prefetch: 0)) == bits(model))
    }

    @Test func rotationPredictionLearnsTheRotations() throws {
        func config(_ epochs: Int) -> RotationPrediction {
            RotationPrediction(architecture: architecture, head: [16], augmentation: .none,
                               training: TrainingSettings(epochs: epochs, batchSize: 16, learningRate: 1e-2, seed: 3))
        }
        _ = try checkResume { e, url, resume in try config(e).fit(images, checkpoint: url, resume: resume) }
        let model = try config(15).fit(images)
        // chance is log 4 = 1.39; an L's orientation is plain to see
        #expect(model.history.first!.trainingLoss > 1.0 && model.history.last!.trainingLoss < 0.7,
                "rotation loss \(model.history.first!.trainingLoss) → \(model.history.last!.trainingLoss)")
    }

    @Test func contextPredictionCutsAGridAndLearnsPositions() throws {
        let context = ContextPrediction(architecture: architecture, patchSize: 4, gap: 1, jitter: 1, head: [16], augmentation: .none,
                                        training: TrainingSettings(epochs: 3, batchSize: 16, learningRate: 1e-2, seed: 4))
        // the neighbour sits one grid step (patch + gap, ± 2·jitter) from the centre in its direction
        var rng = Xoshiro256StarStar(seed: 5)
        var marked = ImageSample(channels: 1, height: 16, width: 16)
        for y in 0..<16 { for x in 0..<16 { marked[0, y, x] = Float(y * 16 + x) } }
        for _ in 0..<200 {
            let pair = context.patchPair(marked, using: &rng)
            let (cy, cx) = (Int(pair.centre[0, 0, 0]) / 16, Int(pair.centre[0, 0, 0]) % 16)
            let (ny, nx) = (Int(pair.neighbour[0, 0, 0]) / 16, Int(pair.neighbour[0, 0, 0]) % 16)
            let (r, c) = ContextPrediction.positions[pair.position]
            #expect(abs((ny - cy) - (r - 1) * 5) <= 2 && abs((nx - cx) - (c - 1) * 5) <= 2)
        }
        _ = try checkResume { e, url, resume in
            var c = context
            c.training.epochs = e
            return try c.fit(images, checkpoint: url, resume: resume)
        }
        var longer = context
        longer.training.epochs = 15
        let model = try longer.fit(images)
        #expect(model.history.last!.trainingLoss < model.history.first!.trainingLoss - 0.2,
                "context loss \(model.history.first!.trainingLoss) → \(model.history.last!.trainingLoss)")
        // too small a grid for the images is a configuration error, not a trap
        var bad = context
        bad.patchSize = 6
        #expect(throws: SelfSupervisedError.self) { try bad.fit(images) }
    }

    @Test func encoderFilesRoundTripAndTheControlIsSeeded() throws {
        let random = FittedImageEncoder.randomlyInitialised(architecture, seed: 7)
        #expect(bits(random) == bits(FittedImageEncoder.randomlyInitialised(architecture, seed: 7)))
        let url = temporaryFile("encoder")
        defer { try? FileManager.default.removeItem(at: url) }
        try random.save(to: url)
        let loaded = try FittedImageEncoder.load(from: url)
        #expect(loaded.method == "random" && loaded.architecture == architecture)
        #expect(loaded.encode(images) == random.encode(images))
    }

    @Test func readingEarlierBlocksPrependsTheirGridAveragedOutputs() throws {
        var wide = architecture
        wide.featureGrid = 2
        wide.readoutBlocks = 2
        var last = wide
        last.readoutBlocks = 1
        #expect(wide.featureSize == (6 + 8) * 4 && wide.outputSize == 8 * 4 && last.featureSize == last.outputSize)
        let both = FittedImageEncoder.randomlyInitialised(wide, seed: 3), lastOnly = FittedImageEncoder.randomlyInitialised(last, seed: 3)
        let features = both.encode(images), tail = lastOnly.encode(images)
        #expect(features.columns == 56 && features.columns(24..<56) == tail)
        // block 1 = conv → BN → ReLU, then the 2 × 2 grid average of its 16 × 16 map
        let x = Tensor<Float>(shape: [48, 1, 16, 16], storage: images.storage)
        let block1 = both.encoder.layers.prefix(3).reduce(x) { $1($0) }
        #expect(GridAveragePool<Float>(grid: 2)(block1).storage == features.columns(0..<24).storage)
        // the methods' heads still see the last block: SimCLR trains with it
        var simclr = SimCLR(architecture: wide, projection: [8], training: TrainingSettings(epochs: 1, batchSize: 16, seed: 1))
        #expect(try simclr.fit(images).encode(images).columns == 56)
        simclr.architecture.readoutBlocks = 3
        #expect(throws: SelfSupervisedError.self) { try simclr.fit(images) }
        // files from before the settings read as the last block only, no dense layer, not normalised
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(wide)) as! [String: Any]
        object["readoutBlocks"] = nil
        object["dense"] = nil
        object["normalizedReadout"] = nil
        #expect(try JSONDecoder().decode(ImageEncoderArchitecture.self, from: JSONSerialization.data(withJSONObject: object)) == last)
    }

    @Test func aDenseLastBlockAndANormalisedReadout() throws {
        let conv = ImageEncoderArchitecture(channels: 1, height: 16, width: 16, filters: [6, 8], featureGrid: 2)
        var dense = conv
        (dense.dense, dense.readoutBlocks, dense.normalizedReadout) = (5, 2, true)
        #expect(dense.blockWidths == [24, 32, 5] && dense.featureSize == 37 && dense.outputSize == 5)
        // the convolutions draw their weights first, so the same seed gives the same conv blocks
        let withDense = FittedImageEncoder.randomlyInitialised(dense, seed: 4)
        let convOnly = FittedImageEncoder.randomlyInitialised(conv, seed: 4).encode(images)      // the last conv block, grid-averaged
        var denseOnly = dense
        (denseOnly.readoutBlocks, denseOnly.normalizedReadout) = (1, false)
        let denseOutput = FittedImageEncoder.randomlyInitialised(denseOnly, seed: 4).encode(images)
        #expect(denseOutput.columns == 5 && denseOutput.storage.allSatisfy { $0 >= 0 })        // after its ReLU
        let features = withDense.encode(images)
        func normalised(_ m: Matrix<Float>) -> Matrix<Float> {
            Matrix(rows: m.rows, columns: m.columns) { i, j in
                let norm = (0..<m.columns).reduce(Float(0)) { $0 + m[i, $1] * m[i, $1] }.squareRoot()
                return norm > 0 ? m[i, j] / norm : 0
            }
        }
        for (part, expected) in [(features.columns(0..<32), normalised(convOnly)), (features.columns(32..<37), normalised(denseOutput))] {
            #expect(zip(part.storage, expected.storage).allSatisfy { abs($0 - $1) < 1e-6 })
        }
        // SimCLR's head sees the dense layer's 5 outputs; reading more blocks than there are is refused
        var simclr = SimCLR(architecture: dense, projection: [4], training: TrainingSettings(epochs: 1, batchSize: 16, seed: 1))
        #expect(try simclr.fit(images).encode(images).columns == 37)
        simclr.architecture.readoutBlocks = 4
        #expect(throws: SelfSupervisedError.self) { try simclr.fit(images) }
        simclr.architecture.dense = -1
        #expect(simclr.architecture.problem != nil)
    }
}

@Suite("Self-supervised encoder pieces against PyTorch")
struct SelfSupervisedFixtureTests {
    private func fixture(_ name: String) throws -> [Double] { try Fixtures.vector("ssl/" + name) }

    @Test func gridPoolingMatchesAdaptiveAveragePoolingAndItsGradient() throws {
        let x = Tensor<Double>(shape: [2, 3, 7, 5], storage: try fixture("pool_x"))
        let pooled = GridAveragePool<Double>(grid: 2)(x)
        #expect(pooled.shape == [2, 12])
        #expect(zip(pooled.storage, try fixture("pool_grid2")).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(GridAveragePool<Double>(grid: 1)(x).shape == [2, 3])
        #expect(GradientCheck.check([x]) { (GridAveragePool<Double>(grid: 3)($0[0]) * $0[0].slice(alongAxis: 2, 0..<3).flattened(fromAxis: 1).slice(alongAxis: 1, 0..<27)).sum() }.maxRelativeError < 1e-6)
    }

    @Test func ntXentAtASmallTemperatureMatchesPyTorch() throws {
        let a = Tensor<Double>(shape: [6, 4], storage: try fixture("ntxent_a")), b = Tensor<Double>(shape: [6, 4], storage: try fixture("ntxent_b"))
        #expect(abs(Loss.ntXent(a, b, temperature: 0.1).item - (try fixture("ntxent_t01"))[0]) < 1e-10)
        #expect(GradientCheck.check([a, b]) { Loss.ntXent($0[0], $0[1], temperature: 0.1) }.maxRelativeError < 1e-6)
    }
}
