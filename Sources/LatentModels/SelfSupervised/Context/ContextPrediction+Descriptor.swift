import LatentCore

extension MethodDescriptor {
    /// `context`: context prediction (`ContextPrediction`) on the batch's rows as images
    /// (`image-shape`); the representation is the encoder f's output on whole images, the 8-way
    /// head is dropped. Defaults are those of `latent train context`.
    public static let contextPrediction = MethodDescriptor(
        name: "context", summary: "context prediction: CNN encoder trained to place a patch among its 8 neighbours; features are the encoder's output",
        parameters: ImageBatchParameters.encoderTraining(augmentation: "light", batchSize: 128) + [
            .int("patch-size", default: 7, min: 1, max: 4096, help: "side of the square patches"),
            .int("gap", default: 2, min: 0, max: 4096, help: "pixels between neighbouring patches"),
            .int("jitter", default: 1, min: 0, max: 4096, help: "largest random shift of each patch, in pixels"),
            ImageBatchParameters.sizesParameter("head", default: "128",
                  help: "hidden sizes of the 8-way classifier head, comma-separated (\"\": linear)", allowEmpty: true),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let architecture = try ImageBatchParameters.architecture(p, columns: x.columns, method: "context")
        let configuration = ContextPrediction(architecture: architecture, patchSize: p.int("patch-size"), gap: p.int("gap"), jitter: p.int("jitter"),
                                              head: try ImageBatchParameters.sizes(p, "head", method: "context", allowEmpty: true),
                                              augmentation: ImageBatchParameters.augmentation(p), training: AutoencoderBatchParameters.training(p, seed))
        return try ImageBatchParameters.trainEncoder(x, p, method: "context", architecture: architecture, training: configuration.training,
                                                     problem: configuration.problem) {
            try configuration.fit($0, threads: 1, prefetch: 0)
        }
    }
}
