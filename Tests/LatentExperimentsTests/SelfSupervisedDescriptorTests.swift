import Foundation
import LatentCore
import LatentModels
import Testing
@testable import LatentExperiments

/// The self-supervised image models as batch methods: each descriptor trains what the model
/// trains with the same settings and seed, its representation is the model's `encode`, and the
/// image shape of the rows is a parameter.
@Suite("Self-supervised image models as batch methods")
struct SelfSupervisedDescriptorTests {
    /// `n` images `channels × side × side` as rows in [0, 1]: a bright square whose corner depends
    /// on the class (`i % 3`), plus seeded noise; the class is the last column when `labelled`.
    static func images(_ n: Int, channels: Int = 1, side: Int = 8, labelled: Bool = false) -> Matrix<Double> {
        var rng = Xoshiro256StarStar(seed: 5)
        let d = channels * side * side
        var storage = [Double]()
        for i in 0..<n {
            let (top, left) = [(0, 0), (side / 2, 0), (0, side / 2)][i % 3]
            for j in 0..<d {
                let (y, x) = ((j % (side * side)) / side, j % side)
                let inSquare = y >= top && y < top + side / 2 && x >= left && x < left + side / 2
                storage.append(min(1, (inSquare ? 0.7 : 0.1) + 0.3 * rng.uniform(0, 1)))
            }
            if labelled { storage.append(Double(i % 3)) }
        }
        return Matrix(rows: n, columns: d + (labelled ? 1 : 0), storage: storage)
    }

    static func float(_ m: Matrix<Double>) -> Matrix<Float> { Matrix(rows: m.rows, columns: m.columns, storage: m.storage.map(Float.init)) }
    static func double(_ m: Matrix<Float>) -> Matrix<Double> { Matrix(rows: m.rows, columns: m.columns, storage: m.storage.map(Double.init)) }

    static let training = TrainingSettings(epochs: 2, batchSize: 8, learningRate: 1e-3, seed: 7)

    func fit(_ method: MethodDescriptor, _ x: Matrix<Double>, _ given: [String: ParameterValue]) throws -> FittedModel {
        try method.fit(x, try method.resolve(given.merging(["epochs": .int(2), "batch-size": .int(8)]) { a, _ in a }), 7)
    }

    @Test("defaults are the commands': simclr, rotation and context share the encoder options of `latent train`, with their own batch sizes and augmentations")
    func commandDefaults() {
        let encoders: [MethodDescriptor] = [.simCLR, .rotationPrediction, .contextPrediction]
        for name in ["image-shape", "filters", "crop-scale", "feature-grid", "readout-blocks", "epochs", "learning-rate"] {
            #expect(Set(encoders.map { $0.defaultValue(name) }).count == 1, "\(name) differs between simclr, rotation and context")
        }
        #expect(encoders.map { $0.defaults.int("batch-size") } == [256, 64, 128])
        #expect(encoders.map { $0.defaults.string("augmentation") } == ["simclr", "light", "light"])
        #expect(MethodDescriptor.simCLR.defaults.string("filters") == "32,64,128" && MethodDescriptor.simCLR.defaults.int("epochs") == 10)
        let pretext: [MethodDescriptor] = [.contrastivePredictiveCoding, .contextEncoder, .colorization]
        #expect(pretext.allSatisfy { $0.defaults.string("filters") == "32,64" && $0.defaults.int("epochs") == 5 && $0.defaults.int("batch-size") == 64 })
        #expect(MethodDescriptor.contrastivePredictiveCoding.defaults.string("offsets") == "2,3")
        #expect((encoders + pretext).allSatisfy { !$0.canReconstruct })
    }

    @Test("simclr, rotation and context fit what the models fit: encoder features and final training loss, bit for bit")
    func encoderMethodsMatchModels() throws {
        let x = Self.images(16), f = Self.float(x)
        let small = ImageEncoderArchitecture(channels: 1, height: 8, width: 8, filters: [4, 8])

        let simclr = try fit(.simCLR, x, ["filters": .string("4,8"), "projection": .string("8,4")])
        let directSimCLR = try SimCLR(architecture: small, projection: [8, 4], training: Self.training).fit(f)
        #expect(simclr.outputFeatures == 8 && simclr.reconstruct == nil)
        #expect(try simclr.transform(x) == Self.double(directSimCLR.encode(f)))
        #expect(simclr.metrics["final-training-loss"] == directSimCLR.history.last!.trainingLoss)
        // the grid, the blocks read and the crops, as the deep demo sets them
        let gridded = try fit(.simCLR, x, ["filters": .string("4,8"), "projection": .string("8,4"), "feature-grid": .int(2),
                                           "readout-blocks": .int(2), "crop-scale": .double(0.8)])
        var griddedArchitecture = small
        (griddedArchitecture.featureGrid, griddedArchitecture.readoutBlocks) = (2, 2)
        let directGridded = try SimCLR(architecture: griddedArchitecture, projection: [8, 4], augmentation: .simCLR.withCropScale(0.8),
                                       training: Self.training).fit(f)
        #expect(gridded.outputFeatures == (4 + 8) * 4 && directGridded.architecture.outputSize == 8 * 4)
        #expect(try gridded.transform(x) == Self.double(directGridded.encode(f)))
        // a dense last block, read with the conv block before it, each normalised
        let dense = try fit(.simCLR, x, ["filters": .string("4,8"), "projection": .string("4"), "dense": .int(6),
                                         "readout-blocks": .int(2), "normalized-readout": .bool(true)])
        let denseArchitecture = ImageEncoderArchitecture(channels: 1, height: 8, width: 8, filters: [4, 8], dense: 6, readoutBlocks: 2, normalizedReadout: true)
        let directDense = try SimCLR(architecture: denseArchitecture, projection: [4], training: Self.training).fit(f)
        #expect(dense.outputFeatures == 8 + 6)
        #expect(try dense.transform(x) == Self.double(directDense.encode(f)))
        #expect(throws: EstimatorError.self) { try fit(.simCLR, x, ["filters": .string("4,8"), "readout-blocks": .int(3)]) }
        #expect(throws: MethodDescriptor.ResolveError.self) { try fit(.simCLR, x, ["filters": .string("4,8"), "dense": .int(-2)]) }    // refused when resolved

        let rotation = try fit(.rotationPrediction, x, ["image-shape": .string("8x8"), "filters": .string("4,8"), "head": .string("")])
        let directRotation = try RotationPrediction(architecture: small, head: [], training: Self.training).fit(f)
        #expect(try rotation.transform(x) == Self.double(directRotation.encode(f)))
        #expect(rotation.metrics["final-training-loss"] == directRotation.history.last!.trainingLoss)

        let wide = Self.images(16, side: 12), wideFloat = Self.float(wide)
        let context = try fit(.contextPrediction, wide, ["filters": .string("4,8"), "patch-size": .int(3), "gap": .int(0), "head": .string("6")])
        let directContext = try ContextPrediction(architecture: ImageEncoderArchitecture(channels: 1, height: 12, width: 12, filters: [4, 8]),
                                                  patchSize: 3, gap: 0, jitter: 1, head: [6], training: Self.training).fit(wideFloat)
        #expect(try context.transform(wide) == Self.double(directContext.encode(wideFloat)))
        #expect(context.metrics["final-training-loss"] == directContext.history.last!.trainingLoss)
    }

    @Test("cpc, inpainting and colorization fit what the models fit: encode and final training loss, bit for bit")
    func pretextMethodsMatchModels() throws {
        let x = Self.images(16), f = Self.float(x)

        let cpc = try fit(.contrastivePredictiveCoding, x, ["filters": .string("4"), "patch-size": .int(4), "patch-stride": .int(2),
                                                            "embedding-size": .int(6), "offsets": .string("2")])
        let directCPC = try ContrastivePredictiveCoding<Float>(grid: PatchGrid(channels: 1, height: 8, width: 8, size: 4, stride: 2), filters: [4],
                                                               embeddingSize: 6, offsets: [2], training: Self.training).fit(f)
        #expect(cpc.outputFeatures == 6 && cpc.reconstruct == nil)
        #expect(try cpc.transform(x) == Self.double(directCPC.encode(f)))
        #expect(cpc.metrics["final-training-loss"] == directCPC.history.last!.trainingLoss)

        let inpainting = try fit(.contextEncoder, x, ["filters": .string("4,8"), "code-size": .int(6), "mask": .string("blocks"), "mask-fraction": .double(0.25)])
        let directInpainting = try ContextEncoder<Float>(channels: 1, height: 8, width: 8, filters: [4, 8], codeSize: 6,
                                                         mask: .randomBlocks(count: 3, fraction: 0.25), training: Self.training).fit(f)
        let features = directInpainting.encode(f)
        #expect(inpainting.outputFeatures == features.columns && features.columns == 8 * 2 * 2 && inpainting.reconstruct == nil)
        #expect(try inpainting.transform(x) == Self.double(features))
        #expect(inpainting.metrics["final-training-loss"] == directInpainting.history.last!.trainingLoss)

        let colour = Self.images(16, channels: 3), colourFloat = Self.float(colour)
        let colorization = try fit(.colorization, colour, ["image-shape": .string("3x8x8"), "filters": .string("4,8"), "code-size": .int(6)])
        let directColorization = try Colorization<Float>(height: 8, width: 8, filters: [4, 8], codeSize: 6, training: Self.training)
            .fit(Colorization<Float>.lab(ofRGB: colourFloat))
        #expect(colorization.outputFeatures == 32)
        #expect(try colorization.transform(colour) == Self.double(directColorization.encodeColour(colourFloat)))
        #expect(colorization.metrics["final-training-loss"] == directColorization.history.last!.trainingLoss)
        // grey colour images (R = G = B) encode as the grey images themselves
        let grey = Matrix<Float>(rows: 16, columns: 192) { i, j in f[i, j % 64] }
        #expect(directColorization.encodeColour(grey) == directColorization.encode(f))
    }

    @Test("the image shape: inferred for a square column count, refused with the method's name otherwise; pixel ranges as the model needs")
    func imageShapeAndRanges() throws {
        let x = Self.images(6)
        let oblong = Matrix<Double>(rows: 6, columns: 60) { i, j in Double((i + j) % 5) / 4 }
        #expect(throws: EstimatorError.invalidParameter(method: "rotation", name: "image-shape", reason: "auto needs a square number of columns (one square channel), the rows have 60: give the shape, e.g. image-shape: HxW or CxHxW")) {
            try fit(.rotationPrediction, oblong, ["filters": .string("4,8")])
        }
        #expect(throws: EstimatorError.invalidParameter(method: "cpc", name: "image-shape", reason: "9x9 holds 81 values per image, the rows have 64")) {
            try fit(.contrastivePredictiveCoding, x, ["image-shape": .string("9x9")])
        }
        #expect(throws: EstimatorError.invalidParameter(method: "colorization", name: "image-shape", reason: "colorization needs colour images (3xHxW, RGB planes), got 1×8×8")) {
            try fit(.colorization, x, ["filters": .string("4,8")])
        }
        // a 6 × 10 shape trains context-free methods on oblong images
        #expect(try fit(.simCLR, oblong, ["image-shape": .string("6x10"), "filters": .string("4,8"), "epochs": .int(1)]).outputFeatures == 8)
        // SimCLR's jitter clamps to [0, 1], the context encoder fills holes with mid-grey: pixels outside are refused
        let bright = x * 2
        #expect(throws: EstimatorError.invalidData(method: "simclr", reason: "row 1, column 1 is \(bright[0, 0]), outside [0, 1]: augmentation simclr clamps brightness and contrast to [0, 1] (use light or none)")) {
            try fit(.simCLR, bright, ["filters": .string("4,8")])
        }
        #expect(throws: EstimatorError.self) { try fit(.contextEncoder, bright, ["filters": .string("4,8")]) }
        #expect(try fit(.simCLR, bright, ["filters": .string("4,8"), "augmentation": .string("none"), "epochs": .int(1)]).outputFeatures == 8)
        // settings the model refuses, before any training
        #expect(throws: EstimatorError.invalidParameter(method: "context", name: "settings", reason: "3 patches of 7 with gap 2 and jitter 1 need 27 pixels, the images have 8×8")) {
            try fit(.contextPrediction, x, ["filters": .string("4,8")])
        }
    }

    @Test("a malformed image-shape or size list is refused when the batch file is parsed, with its line")
    func parseTimeRefusals() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("images.npy", Self.images(6))
        func parse(_ method: String, _ line: String) throws -> BatchFile {
            try BatchFile.parse(yaml: "name: s\ndatasets: [{name: images, path: images.npy}]\nmethods:\n  - method: \(method)\n    \(line)\n",
                                path: "batch.yaml", baseDirectory: folder.url, catalog: .standard)
        }
        #expect(throws: BatchFileError(path: "batch.yaml", line: 5, message: "parameter 'image-shape' of method 'simclr' must be auto, HxW or CxHxW with sizes in 1…65536 (e.g. 28x28, 3x32x32), got '28by28'")) {
            try parse("simclr", "image-shape: 28by28")
        }
        #expect(throws: BatchFileError.self) { try parse("inpainting", "image-shape: [8x8, 0x8]") }
        #expect(throws: BatchFileError(path: "batch.yaml", line: 5, message: "parameter 'filters' of method 'rotation' must be comma-separated integers in 1…65536 (quote a single one: \"64\"), got '4,,8'")) {
            try parse("rotation", "filters: \"4,,8\"")
        }
        #expect(throws: BatchFileError.self) { try parse("cpc", "offsets: two") }
        #expect(try parse("context", "image-shape: [8x8, 1x8x8, auto]").methods[0].points.count == 3)
        #expect(try parse("rotation", "head: \"\"").methods[0].points[0]["head"] == .string(""))
    }

    @Test("simclr and rotation run in a batch: their encoders are scored by few-shot accuracy")
    func selfSupervisedBatch() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("images.npy", Self.images(30, labelled: true))
        let store = try RunStore(path: folder.path("ssl.sqlite"))
        let yaml = """
            name: self-supervised
            datasets:
              - {name: squares, path: images.npy, label-column: -1}
            methods:
              - method: simclr
                filters: "4,8"
                projection: "8,4"
                epochs: 1
                batch-size: 10
              - method: rotation
                image-shape: 8x8
                filters: "4,8"
                head: ""
                epochs: 1
                batch-size: 10
            evaluations: [fewshot]
            """
        let summary = try BatchRunner(store: store).run(try BatchFile.parse(yaml: yaml, path: "batch.yaml", baseDirectory: folder.url, catalog: .standard))
        #expect(summary.done == 2 && summary.failed == 0)
        let runs = try store.runs()
        #expect(Set(runs.map(\.run.method)) == ["simclr", "rotation"])
        #expect(runs.allSatisfy { ($0.metrics["final-training-loss"] ?? .nan).isFinite })
        #expect(runs.allSatisfy { (0...1).contains($0.metrics["fewshot-1"] ?? -1) && (0...1).contains($0.metrics["fewshot-4"] ?? -1) })
    }
}
