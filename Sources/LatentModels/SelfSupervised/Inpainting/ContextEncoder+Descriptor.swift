import LatentCore

extension MethodDescriptor {
    /// `inpainting`: a context encoder (`ContextEncoder`) on the batch's rows as images
    /// (`image-shape`, pixels in [0, 1]); the representation is `encode`, the encoder's last
    /// feature map. No reconstruction: the loss covers the hole only, so the decoder's output
    /// outside it is untrained, and `inpaint` copies those pixels from the input.
    /// Defaults are those of `latent train inpainting`.
    public static let contextEncoder = MethodDescriptor(
        name: "inpainting", summary: "context encoder: fill masked regions (L2 on the hole); features are the encoder's last feature map",
        parameters: ImageBatchParameters.pretextTraining + [
            .choice("mask", ["centre", "blocks", "regions"], default: "centre",
                    help: "hole: centre (fixed square), blocks (random squares) or regions (random unions of rectangles)"),
            .double("mask-fraction", default: 0.5, min: 0, max: 1,
                    help: "side of the centre square or of each block as a fraction of the image, or the regions' coverage (≤ 0.75)"),
            .int("blocks", default: 3, min: 1, max: 1000, help: "number of random blocks (mask: blocks)"),
            .int("code-size", default: 128, min: 1, help: "size of the bottleneck between encoder and decoder"),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let method = "inpainting"
        let (c, h, w) = try ImageBatchParameters.imageShape(p, columns: x.columns, method: method)
        let filters = try ImageBatchParameters.sizes(p, "filters", method: method)
        let fraction = p.double("mask-fraction")
        let mask: InpaintingMask = switch p.string("mask") {
        case "blocks": .randomBlocks(count: p.int("blocks"), fraction: fraction)
        case "regions": .randomRegions(coverage: fraction)
        default: .centre(fraction: fraction)
        }
        let configuration = ContextEncoder<Float>(channels: c, height: h, width: w, filters: filters, codeSize: p.int("code-size"),
                                                  mask: mask, training: AutoencoderBatchParameters.training(p, seed))
        try ImageBatchParameters.refuse(configuration.problem(inputSize: x.columns), method: method)
        try ImageBatchParameters.check(x, method: method, unitRange: "the hole is filled with mid-grey 0.5 of pixels in [0, 1]")
        // Shared with the batch's evaluation threads: a fitted model is immutable, and encode only
        // reads its network (without gradients, a task-local mode).
        nonisolated(unsafe) let model = try configuration.fit(AutoencoderBatchParameters.float(x))
        let scale = 1 << filters.count
        return ImageBatchParameters.fitted(method: method, inputSize: x.columns, featureSize: filters.last! * (h / scale) * (w / scale),
                                           history: model.history, encode: { model.encode($0) })
    }
}
