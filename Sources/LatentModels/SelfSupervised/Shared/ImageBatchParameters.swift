import LatentCore
import LatentNN

/// What the self-supervised image methods share as batch methods (`simclr`, `rotation`, `context`,
/// `cpc`, `inpainting`, `colorization`). Batch datasets are plain matrices, rows = flattened
/// images (channels first) with no shape of their own, so the shape is the `image-shape`
/// parameter; list-valued settings are comma-separated text, as on the command line, checked when a
/// batch file is parsed (`ParameterSpec.text`). The
/// representation a batch evaluates is the method's `encode`; the last epoch's training loss is
/// recorded as `final-training-loss`.
public enum ImageBatchParameters {
    /// `image-shape`: `auto` (one channel, square, side from the column count), `HxW` or `CxHxW`.
    static let imageShape = ParameterSpec.text(
        "image-shape", default: "auto",
        help: "image layout of a row, HxW (one channel) or CxHxW (channels first), e.g. 28x28 or 3x32x32; auto: one square channel",
        check: { shapeProblem($0) })

    /// `filters`, `augmentation`, `epochs`, `batch-size`, `learning-rate`: the options of
    /// `latent train simclr|rotation|context` (defaults: the command's).
    static func encoderTraining(augmentation: String, batchSize: Int) -> [ParameterSpec] {
        [imageShape,
         sizesParameter("filters", default: "32,64,128",
                        help: "output channels of each encoder block (3×3 conv, BatchNorm, ReLU; 2×2 max-pool between), comma-separated"),
         .choice("augmentation", ["simclr", "light", "none"], default: augmentation,
                 help: "simclr (crop 20–100%, flip, brightness/contrast, blur; pixels in [0, 1]), light (crop 60–100%, flip) or none"),
         .double("crop-scale", default: 0, min: 0, max: 1,
                 help: "smallest area fraction of the random resized crops (0: the augmentation's own, 20% for simclr, 60% for light)"),
         .int("feature-grid", default: 1, min: ImageEncoderArchitecture.featureGrids.lowerBound, max: ImageEncoderArchitecture.featureGrids.upperBound,
              help: "side of the grid of cells the last feature map is averaged over (1: global average pooling)"),
         .int("dense", default: 0, min: 0, max: 65_536,
              help: "units of a fully connected layer with ReLU after the grid averaging, the encoder's last block (0: none)"),
         .int("readout-blocks", default: 1, min: 1,
              help: "how many of the encoder's last blocks the representation reads, their grid-averaged outputs side by side"),
         .bool("normalized-readout", default: false, help: "divide each block read by its Euclidean norm before putting them side by side"),
         .int("epochs", default: 10, min: 1, help: "passes over the rows"),
         .int("batch-size", default: batchSize, min: 1, help: "images per mini-batch"),
         .double("learning-rate", default: 1e-3, min: 0, help: "Adam's learning rate")]
    }

    /// `filters`, `epochs`, `batch-size`, `learning-rate` of `latent train cpc|inpainting|colorization`.
    static let pretextTraining: [ParameterSpec] = [
        imageShape,
        sizesParameter("filters", default: "32,64",
                       help: "filters of each 4×4 stride-2 convolution of the encoder, comma-separated"),
        .int("epochs", default: 5, min: 1, help: "passes over the rows"),
        .int("batch-size", default: 64, min: 1, help: "samples per mini-batch"),
        .double("learning-rate", default: 1e-3, min: 0, help: "Adam's learning rate"),
    ]

    /// A list of sizes as text (`filters`, `projection`, `offsets`; `head` with `allowEmpty`).
    static func sizesParameter(_ name: String, default value: String, help: String, allowEmpty: Bool = false) -> ParameterSpec {
        .text(name, default: value, help: help) { allowEmpty && $0.isEmpty ? nil : sizesProblem($0) }
    }

    // MARK: - Reading the parameters

    /// Comma-separated integers in 1…65536 (the command line's rule), or `nil`.
    static func sizes(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 65_536 }) else { return nil }
        return parts.map { $0! }
    }

    static func sizesProblem(_ text: String) -> String? {
        sizes(text) == nil ? "must be comma-separated integers in 1…65536 (quote a single one: \"64\"), got '\(text)'" : nil
    }

    /// Parameter `name` as a list of sizes (`allowEmpty`: "" is the empty list).
    /// - Throws: `EstimatorError.invalidParameter` naming the method.
    static func sizes(_ p: Parameters, _ name: String, method: String, allowEmpty: Bool = false) throws -> [Int] {
        let text = p.string(name)
        if allowEmpty && text.isEmpty { return [] }
        guard let v = sizes(text) else { throw EstimatorError.invalidParameter(method: method, name: name, reason: sizesProblem(text)!) }
        return v
    }

    /// The shape `text` names, `HxW` (one channel) or `CxHxW`; `nil` when it is not one (`auto` is not).
    static func shape(_ text: String) -> (channels: Int, height: Int, width: Int)? {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 65_536 }) else { return nil }
        let v = parts.map { $0! }
        return v.count == 2 ? (1, v[0], v[1]) : (v[0], v[1], v[2])
    }

    static func shapeProblem(_ text: String) -> String? {
        text == "auto" || shape(text) != nil ? nil : "must be auto, HxW or CxHxW with sizes in 1…65536 (e.g. 28x28, 3x32x32), got '\(text)'"
    }

    /// The image shape of `x`'s rows: `image-shape` as given (its values must number `x.columns`),
    /// or one square channel.
    /// - Throws: `EstimatorError.invalidParameter` naming the method, for a malformed shape, one
    ///   that does not hold the row's values, or (`auto`) a column count that is not a square.
    static func imageShape(_ p: Parameters, columns: Int, method: String) throws -> (channels: Int, height: Int, width: Int) {
        let text = p.string("image-shape")
        func refuse(_ reason: String) -> EstimatorError { .invalidParameter(method: method, name: "image-shape", reason: reason) }
        if let problem = shapeProblem(text) { throw refuse(problem) }
        if let given = shape(text) {
            let size = given.channels * given.height * given.width
            if size != columns { throw refuse("\(text) holds \(size) values per image, the rows have \(columns)") }
            return given
        }
        let side = Int(Double(columns).squareRoot().rounded())
        guard side * side == columns else {
            throw refuse("auto needs a square number of columns (one square channel), the rows have \(columns): give the shape, e.g. image-shape: HxW or CxHxW")
        }
        return (1, side, side)
    }

    static func augmentation(_ p: Parameters) -> AugmentationSettings {
        // the choice parameter admits only the family names
        AugmentationSettings.named(p.string("augmentation"))!.withCropScale(p.double("crop-scale"))
    }

    // MARK: - Checking the data

    /// Throws unless `x` is finite, and (`unitRange`, with the reason) within [0, 1].
    static func check(_ x: Matrix<Double>, method: String, unitRange reason: String?) throws {
        try x.requireFiniteInput(for: method)
        if x.rows == 0 { throw EstimatorError.tooFewSamples(method: method, samples: 0, needed: 1) }
        if let reason, let i = x.storage.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw EstimatorError.invalidData(method: method, reason: "row \(i / x.columns + 1), column \(i % x.columns + 1) is \(x.storage[i]), outside [0, 1]: \(reason)")
        }
    }

    /// Throws `EstimatorError.invalidParameter(name: "settings")` when `problem` is set.
    static func refuse(_ problem: String?, method: String) throws {
        if let problem { throw EstimatorError.invalidParameter(method: method, name: "settings", reason: problem) }
    }

    // MARK: - Training an encoder f (simclr, rotation, context)

    /// The encoder f for `x`'s rows: `image-shape` and `filters`.
    static func architecture(_ p: Parameters, columns: Int, method: String) throws -> ImageEncoderArchitecture {
        let (c, h, w) = try imageShape(p, columns: columns, method: method)
        return ImageEncoderArchitecture(channels: c, height: h, width: w, filters: try sizes(p, "filters", method: method),
                                        featureGrid: p.int("feature-grid"), dense: p.int("dense"), readoutBlocks: p.int("readout-blocks"),
                                        normalizedReadout: p.bool("normalized-readout"))
    }

    /// Checks the settings (the encoder's, the augmentation's, the training's and the method's own
    /// `problem`) and the rows (finite, at least `minimumRows`, in [0, 1] under augmentation
    /// simclr, whose jitter clamps to that range), trains with `fit` and wraps the encoder.
    static func trainEncoder(_ x: Matrix<Double>, _ p: Parameters, method: String, architecture a: ImageEncoderArchitecture,
                             training: TrainingSettings, problem: String?, minimumRows: Int = 1,
                             fit: (Matrix<Float>) throws -> FittedImageEncoder) throws -> FittedModel {
        try refuse(a.problem ?? augmentation(p).problem ?? training.problem ?? problem, method: method)
        try check(x, method: method, unitRange: p.string("augmentation") == "simclr"
                  ? "augmentation simclr clamps brightness and contrast to [0, 1] (use light or none)" : nil)
        if x.rows < minimumRows { throw EstimatorError.tooFewSamples(method: method, samples: x.rows, needed: minimumRows) }
        // Shared with the batch's evaluation threads: a fitted encoder is immutable, and encode
        // only reads its network (without gradients, a task-local mode).
        nonisolated(unsafe) let model = try fit(AutoencoderBatchParameters.float(x))
        return fitted(method: method, inputSize: a.inputSize, featureSize: model.featureSize, history: model.history,
                      encode: { model.encode($0) })
    }

    // MARK: - The batch's view of a trained encoder

    /// Features `encode` gives the batch's rows (in Double; each row must have `inputSize` values),
    /// and the last epoch's training loss as `final-training-loss`. No reconstruction.
    static func fitted(method: String, inputSize: Int, featureSize: Int, history: [EpochReport],
                       encode: @escaping @Sendable (Matrix<Float>) -> Matrix<Float>) -> FittedModel {
        FittedModel(outputFeatures: featureSize,
                    transform: { x in
                        try x.requireFeatures(inputSize, for: method)
                        return AutoencoderBatchParameters.double(encode(AutoencoderBatchParameters.float(x)))
                    },
                    metrics: history.last.map { ["final-training-loss": $0.trainingLoss] } ?? [:])
    }
}
