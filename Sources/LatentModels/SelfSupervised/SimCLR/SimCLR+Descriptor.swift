import LatentCore

extension MethodDescriptor {
    /// `simclr`: SimCLR (`SimCLR`) on the batch's rows as images (`image-shape`); the
    /// representation is the encoder f's output h (`FittedImageEncoder.encode`), the projection
    /// head is dropped. Defaults are those of `latent train simclr`.
    public static let simCLR = MethodDescriptor(
        name: "simclr", summary: "SimCLR: CNN encoder trained with NT-Xent on two augmented views; features are the encoder's output",
        parameters: ImageBatchParameters.encoderTraining(augmentation: "simclr", batchSize: 256) + [
            .double("temperature", default: 0.5, min: 0, max: 100, help: "NT-Xent temperature τ"),
            ImageBatchParameters.sizesParameter("projection", default: "128,64",
                  help: "sizes of the projection head g after the encoder, comma-separated"),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let architecture = try ImageBatchParameters.architecture(p, columns: x.columns, method: "simclr")
        let configuration = SimCLR(architecture: architecture, projection: try ImageBatchParameters.sizes(p, "projection", method: "simclr"),
                                   temperature: p.double("temperature"), augmentation: ImageBatchParameters.augmentation(p),
                                   training: AutoencoderBatchParameters.training(p, seed))
        // NT-Xent's negatives are the rest of the batch: at least two images
        return try ImageBatchParameters.trainEncoder(x, p, method: "simclr", architecture: architecture, training: configuration.training,
                                                     problem: configuration.problem, minimumRows: 2) {
            try configuration.fit($0, threads: 1, prefetch: 0)
        }
    }
}
