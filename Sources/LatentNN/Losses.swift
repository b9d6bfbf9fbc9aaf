import LatentCore

/// Loss functions, composed from the primitive operations (so their gradients come for free and
/// are checked by the primitives' tests). Each returns a 0-D tensor: the mean over the batch
/// unless its comment says otherwise.
public enum Loss {
    /// Mean squared error `mean((prediction − target)²)` over all elements (`nn.MSELoss`).
    public static func meanSquaredError<S: BLASScalar>(_ prediction: Tensor<S>, _ target: Tensor<S>) -> Tensor<S> {
        precondition(prediction.shape == target.shape, "meanSquaredError: prediction \(prediction.shape) vs target \(target.shape)")
        return (prediction - target).squared().mean()
    }

    /// Binary cross-entropy on logits, mean over elements (`nn.BCEWithLogitsLoss`), in the stable
    /// form `max(x, 0) − x·y + log(1 + e^{−|x|})` (the fused `Tensor.binaryCrossEntropyWithLogits`).
    /// Targets are probabilities in [0, 1].
    public static func binaryCrossEntropyWithLogits<S: BLASScalar>(_ logits: Tensor<S>, _ target: Tensor<S>) -> Tensor<S> {
        logits.binaryCrossEntropyWithLogits(target: target).mean()
    }

    /// Cross-entropy of `(N, C)` logits against class indices (`nn.CrossEntropyLoss`), averaged over
    /// the targets that are not `ignoreIndex`. With label smoothing ε the target distribution is
    /// `(1 − ε)·onehot + ε/C`, so each term is `−(1 − ε)·log p_y − (ε/C)·Σ_c log p_c`.
    /// One fused operation (`Tensor.softmaxCrossEntropy`): no `(N, C)` temporaries.
    /// - Complexity: O(N·C).
    public static func crossEntropy<S: BLASScalar>(_ logits: Tensor<S>, _ targets: [Int], ignoreIndex: Int? = nil,
                                                  labelSmoothing: Double = 0) -> Tensor<S> {
        precondition(logits.rank == 2, "crossEntropy: logits must be (N, C), got \(logits.shape)")
        let (n, c) = (logits.shape[0], logits.shape[1])
        precondition(targets.count == n, "crossEntropy: \(targets.count) targets for \(n) rows of logits")
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing \(labelSmoothing) outside [0, 1]")
        var valid = 0
        for (i, t) in targets.enumerated() {
            if let ignoreIndex, t == ignoreIndex { continue }
            precondition(t >= 0 && t < c, "crossEntropy: target \(t) at row \(i) outside 0..<\(c)")
            valid += 1
        }
        return logits.softmaxCrossEntropy(targets: targets, ignoreIndex: ignoreIndex, labelSmoothing: S(labelSmoothing),
                                          divisor: S(Swift.max(valid, 1)))
    }

    /// KL divergence from `N(μ, diag(e^{logVariance}))` to the standard normal,
    /// `−½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²)`, summed over the latent dimensions and averaged over the
    /// batch (Kingma & Welling 2014, appendix B). Inputs `(N, D)`.
    public static func gaussianKLToStandardNormal<S: BLASScalar>(mean: Tensor<S>, logVariance: Tensor<S>) -> Tensor<S> {
        precondition(mean.shape == logVariance.shape && mean.rank == 2, "gaussianKL: mean \(mean.shape) vs logVariance \(logVariance.shape)")
        let perSample = (1 + logVariance - mean.squared() - logVariance.exp()).sum(alongAxis: 1)
        return perSample.mean() * S(-0.5)
    }

    /// InfoNCE (van den Oord et al. 2018): row i of `queries` should match row i of `keys` among all
    /// rows of `keys`; cross-entropy of the cosine similarities divided by `temperature`.
    /// Inputs `(N, D)`. - Complexity: O(N²·D).
    public static func infoNCE<S: BLASScalar>(queries: Tensor<S>, keys: Tensor<S>, temperature: Double) -> Tensor<S> {
        precondition(queries.shape == keys.shape && queries.rank == 2, "infoNCE: queries \(queries.shape) vs keys \(keys.shape)")
        precondition(temperature > 0, "infoNCE: temperature \(temperature) must be positive")
        let logits = normalizedRows(queries).matmul(normalizedRows(keys), transposeB: true) / S(temperature)
        return crossEntropy(logits, Array(0..<queries.shape[0]))
    }

    /// NT-Xent, SimCLR's loss (Chen et al. 2020): for `2N` embeddings of `N` pairs of views, each
    /// view must pick its partner among the other `2N − 1` by cosine similarity / `temperature`.
    /// Inputs `(N, D)` each. - Complexity: O(N²·D).
    public static func ntXent<S: BLASScalar>(_ a: Tensor<S>, _ b: Tensor<S>, temperature: Double) -> Tensor<S> {
        precondition(a.shape == b.shape && a.rank == 2, "ntXent: views \(a.shape) vs \(b.shape)")
        precondition(temperature > 0, "ntXent: temperature \(temperature) must be positive")
        let n = a.shape[0]
        let z = normalizedRows(Tensor.concatenate([a, b], alongAxis: 0))          // (2N, D)
        let similarity = z.matmul(z, transposeB: true) / S(temperature)           // (2N, 2N)
        var diagonal = [S](repeating: 0, count: 4 * n * n)
        for i in 0..<(2 * n) { diagonal[i * 2 * n + i] = 1 }
        let logits = similarity.maskedFill(where: Tensor(shape: [2 * n, 2 * n], storage: diagonal), with: -1e9)
        let partners = (0..<(2 * n)).map { ($0 + n) % (2 * n) }
        return crossEntropy(logits, partners)
    }

    /// Rows scaled to unit L2 norm (ε = 1e-12 guards zero rows).
    static func normalizedRows<S: BLASScalar>(_ x: Tensor<S>) -> Tensor<S> {
        x / (x.squared().sum(alongAxis: 1, keepDims: true) + S(1e-12)).sqrt()
    }
}
