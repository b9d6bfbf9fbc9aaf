import LatentCore

extension MethodDescriptor {
    /// `rotation`: rotation prediction (`RotationPrediction`) on the batch's rows as square images
    /// (`image-shape`); the representation is the encoder f's output, the 4-way head is dropped.
    /// Defaults are those of `latent train rotation`.
    public static let rotationPrediction = MethodDescriptor(
        name: "rotation", summary: "rotation prediction: CNN encoder trained to tell 0°, 90°, 180°, 270°; features are the encoder's output",
        parameters: ImageBatchParameters.encoderTraining(augmentation: "light", batchSize: 64) + [
            ImageBatchParameters.sizesParameter("head", default: "128",
                  help: "hidden sizes of the 4-way classifier head, comma-separated (\"\": linear)", allowEmpty: true),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let architecture = try ImageBatchParameters.architecture(p, columns: x.columns, method: "rotation")
        let configuration = RotationPrediction(architecture: architecture, head: try ImageBatchParameters.sizes(p, "head", method: "rotation", allowEmpty: true),
                                               augmentation: ImageBatchParameters.augmentation(p), training: AutoencoderBatchParameters.training(p, seed))
        return try ImageBatchParameters.trainEncoder(x, p, method: "rotation", architecture: architecture, training: configuration.training,
                                                     problem: configuration.problem) {
            try configuration.fit($0, threads: 1, prefetch: 0)
        }
    }
}
