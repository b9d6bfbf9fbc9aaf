import LatentCore

extension MethodDescriptor {
    /// `colorization`: colorization (`Colorization`) on the batch's rows as colour images —
    /// `image-shape: 3xHxW`, RGB planes with values in [0, 1] — converted to L\*a\*b\* for training;
    /// the representation is the lightness encoder's last feature map of each row's L\*
    /// (`FittedColorization.encodeColour`). No reconstruction (the network maps L\* to a\*b\*,
    /// not a row to itself). Defaults are those of `latent train colorization`.
    public static let colorization = MethodDescriptor(
        name: "colorization", summary: "colorization: a*b* regressed from L* of colour images; features are the lightness encoder's last feature map",
        parameters: ImageBatchParameters.pretextTraining + [
            .int("code-size", default: 128, min: 1, help: "size of the bottleneck between encoder and decoder"),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let method = "colorization"
        let (c, h, w) = try ImageBatchParameters.imageShape(p, columns: x.columns, method: method)
        if c != 3 {
            throw EstimatorError.invalidParameter(method: method, name: "image-shape",
                                                  reason: "colorization needs colour images (3xHxW, RGB planes), got \(c)×\(h)×\(w)")
        }
        let filters = try ImageBatchParameters.sizes(p, "filters", method: method)
        let configuration = Colorization<Float>(height: h, width: w, filters: filters, codeSize: p.int("code-size"),
                                                training: AutoencoderBatchParameters.training(p, seed))
        try ImageBatchParameters.refuse(configuration.problem(inputSize: x.columns), method: method)
        try ImageBatchParameters.check(x, method: method, unitRange: "colour images are RGB planes in [0, 1] (converted to L*a*b*)")
        let rgb = AutoencoderBatchParameters.float(x)
        // Shared with the batch's evaluation threads: a fitted model is immutable, and encode only
        // reads its network (without gradients, a task-local mode).
        nonisolated(unsafe) let model = try configuration.fit(Colorization<Float>.lab(ofRGB: rgb))
        let scale = 1 << filters.count
        return ImageBatchParameters.fitted(method: method, inputSize: x.columns, featureSize: filters.last! * (h / scale) * (w / scale),
                                           history: model.history, encode: { model.encodeColour($0) })
    }
}
