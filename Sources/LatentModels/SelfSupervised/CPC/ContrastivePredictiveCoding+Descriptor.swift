import LatentCore

extension MethodDescriptor {
    /// `cpc`: contrastive predictive coding (`ContrastivePredictiveCoding`) on the batch's rows as
    /// images (`image-shape`); the representation is `encode`'s patch embeddings averaged over the
    /// grid. Defaults are those of `latent train cpc`.
    public static let contrastivePredictiveCoding = MethodDescriptor(
        name: "cpc", summary: "contrastive predictive coding: patch embeddings predicted rows ahead (InfoNCE); features are the mean patch embedding",
        parameters: ImageBatchParameters.pretextTraining + [
            .int("patch-size", default: 8, min: 1, max: 4096, help: "side of a patch in pixels (divisible by 2^filter layers)"),
            .int("patch-stride", default: 4, min: 1, max: 4096, help: "step between patches in pixels"),
            .int("embedding-size", default: 128, min: 1, max: 65_536, help: "patch embedding size"),
            ImageBatchParameters.sizesParameter("offsets", default: "2,3",
                  help: "grid rows ahead to predict, comma-separated (each below the grid's row count)"),
            .double("temperature", default: 0.1, min: 0, help: "InfoNCE temperature"),
        ],
        canReconstruct: false
    ) { x, p, seed in
        let method = "cpc"
        let (c, h, w) = try ImageBatchParameters.imageShape(p, columns: x.columns, method: method)
        let configuration = ContrastivePredictiveCoding<Float>(
            grid: PatchGrid(channels: c, height: h, width: w, size: p.int("patch-size"), stride: p.int("patch-stride")),
            filters: try ImageBatchParameters.sizes(p, "filters", method: method), embeddingSize: p.int("embedding-size"),
            offsets: try ImageBatchParameters.sizes(p, "offsets", method: method), temperature: p.double("temperature"),
            training: AutoencoderBatchParameters.training(p, seed))
        try ImageBatchParameters.refuse(configuration.problem(inputSize: x.columns), method: method)
        try ImageBatchParameters.check(x, method: method, unitRange: nil)
        // Shared with the batch's evaluation threads: a fitted model is immutable, and encode only
        // reads its network (without gradients, a task-local mode).
        nonisolated(unsafe) let model = try configuration.fit(AutoencoderBatchParameters.float(x))
        return ImageBatchParameters.fitted(method: method, inputSize: x.columns, featureSize: configuration.embeddingSize,
                                           history: model.history, encode: { model.encode($0) })
    }
}
