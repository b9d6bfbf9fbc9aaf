import LatentCore

/// A trained linear autoencoder: codes `z = A (x − mean)`, reconstructions `x̂ = B z + mean`.
public struct LinearAutoencoderModel<Scalar: BLASScalar>: InvertibleTransformer {
    /// Encoder A (components × features).
    public let encoder: Matrix<Scalar>
    /// Decoder B (features × components).
    public let decoder: Matrix<Scalar>
    /// Per-feature mean of the training data (features).
    public let mean: [Scalar]
    /// Epochs run, convergence, and the mean training loss `(1/n) Σ ‖x − x̂‖²` of each epoch
    /// (averaged over the epoch's batches, each measured before its step); for the closed form, the
    /// single final loss.
    public let report: FitReport

    /// A model from explicit weights.
    public init(encoder: Matrix<Scalar>, decoder: Matrix<Scalar>, mean: [Scalar], report: FitReport) {
        precondition(decoder.rows == encoder.columns && decoder.columns == encoder.rows && mean.count == encoder.columns,
                     "LinearAutoencoderModel: encoder \(encoder.shapeDescription), decoder \(decoder.shapeDescription), mean \(mean.count)")
        self.encoder = encoder
        self.decoder = decoder
        self.mean = mean
        self.report = report
    }

    func with(report: FitReport) -> LinearAutoencoderModel {
        LinearAutoencoderModel(encoder: encoder, decoder: decoder, mean: mean, report: report)
    }

    /// Number of input features d.
    public var inputFeatures: Int { encoder.columns }
    /// Code size k.
    public var outputFeatures: Int { encoder.rows }

    /// Codes `(x − mean) Aᵀ` (n × d → n × k). - Complexity: one GEMM, O(n·d·k).
    public func transform(_ x: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try x.requireFeatures(inputFeatures, for: "LinearAutoencoder")
        return Matrix.gemm(x.subtracting(row: mean), encoder, transposeB: true)
    }

    /// Reconstructions `z Bᵀ + mean` (n × k → n × d). - Complexity: one GEMM, O(n·d·k).
    public func inverseTransform(_ z: Matrix<Scalar>) throws -> Matrix<Scalar> {
        try z.requireFeatures(outputFeatures, for: "LinearAutoencoder.inverseTransform")
        return Matrix.gemm(z, decoder, transposeB: true).adding(row: mean)
    }

    /// The loss `(1/n) Σᵢ ‖xᵢ − x̂ᵢ‖²` on `x` (n × d). - Complexity: two GEMMs.
    public func reconstructionError(_ x: Matrix<Scalar>) throws -> Double {
        try x.requireFeatures(inputFeatures, for: "LinearAutoencoder")
        return centredLoss(x.subtracting(row: mean))
    }

    /// The loss on data that is already centred.
    func centredLoss(_ centred: Matrix<Scalar>) -> Double {
        guard centred.rows > 0 else { return 0 }
        var residual = centred
        let codes = Matrix.gemm(centred, encoder, transposeB: true)
        Matrix.gemm(codes, decoder, into: &residual, transposeB: true, alpha: 1, beta: -1)   // x̂ − x
        let norm = Double(residual.frobeniusNorm())
        return norm * norm / Double(centred.rows)
    }
}
