import LatentCore
import LatentNN

/// The terms of a VAE's evidence lower bound (Kingma & Welling 2014) and the importance-weighted
/// bound (Burda et al. 2016), per sample, composed from LatentNN's primitives (so gradients come
/// from autograd). Shapes: `B` samples, `D` code dimensions, `d` data features; every result is
/// `(B)` in nats per sample.
public enum VariationalBound {
    /// `KL(N(μ, diag σ²) ‖ N(0, I)) = −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²)` per row of `(B, D)` inputs.
    public static func klToStandardNormal<S: BLASScalar>(mean: Tensor<S>, logVariance: Tensor<S>) -> Tensor<S> {
        precondition(mean.shape == logVariance.shape && mean.rank == 2, "klToStandardNormal: mean \(mean.shape) vs logVariance \(logVariance.shape)")
        return (1 + logVariance - mean.squared() - logVariance.exp()).sum(alongAxis: 1) * S(-0.5)
    }

    /// The reparameterised sample `z = μ + exp(½ log σ²) ⊙ ε` for standard normal `noise` ε, all `(B, D)`.
    public static func reparameterise<S: BLASScalar>(mean: Tensor<S>, logVariance: Tensor<S>, noise: Tensor<S>) -> Tensor<S> {
        precondition(mean.shape == logVariance.shape && mean.shape == noise.shape, "reparameterise: mean \(mean.shape), logVariance \(logVariance.shape), noise \(noise.shape)")
        return mean + (logVariance * S(0.5)).exp() * noise
    }

    /// `log p(x | logits) = Σⱼ xⱼ·lⱼ − softplus(lⱼ)` for a Bernoulli decoder with logits `l`; `x` may
    /// hold probabilities in [0, 1] (then it is minus the binary cross-entropy). Inputs `(B, d)`.
    public static func bernoulliLogLikelihood<S: BLASScalar>(logits: Tensor<S>, data x: Tensor<S>) -> Tensor<S> {
        precondition(logits.shape == x.shape && x.rank == 2, "bernoulliLogLikelihood: logits \(logits.shape) vs data \(x.shape)")
        // x·l − softplus(l) is minus the binary cross-entropy, fused and stable for large logits
        return -logits.binaryCrossEntropyWithLogits(target: x).sum(alongAxis: 1)
    }

    /// `log N(x; μ, σ² I) = −½ Σⱼ ((xⱼ − μⱼ)²/σ² + log 2πσ²)` for a Gaussian decoder with fixed
    /// variance σ². Inputs `(B, d)`.
    public static func gaussianLogLikelihood<S: BLASScalar>(mean: Tensor<S>, data x: Tensor<S>, variance: Double) -> Tensor<S> {
        precondition(mean.shape == x.shape && x.rank == 2, "gaussianLogLikelihood: mean \(mean.shape) vs data \(x.shape)")
        precondition(variance > 0, "gaussianLogLikelihood: variance \(variance) must be positive")
        let constant = Double(x.shape[1]) * 0.5 * Double.log(2 * Double.pi * variance)
        return (x - mean).squared().sum(alongAxis: 1) * S(-0.5 / variance) - S(constant)
    }

    /// `log N(z; μ, diag σ²) = −½ Σⱼ (log 2π + log σⱼ² + (zⱼ − μⱼ)²/σⱼ²)` per row of `(B, D)` inputs;
    /// with `mean` and `logVariance` `nil`, the standard normal prior `log N(z; 0, I)`.
    public static func gaussianLogDensity<S: BLASScalar>(_ z: Tensor<S>, mean: Tensor<S>? = nil, logVariance: Tensor<S>? = nil) -> Tensor<S> {
        precondition(z.rank == 2, "gaussianLogDensity: need (B, D), got \(z.shape)")
        let log2pi = S(Double.log(2 * Double.pi))
        guard let mean, let logVariance else { return (z.squared() + log2pi).sum(alongAxis: 1) * S(-0.5) }
        precondition(mean.shape == z.shape && logVariance.shape == z.shape, "gaussianLogDensity: z \(z.shape), mean \(mean.shape), logVariance \(logVariance.shape)")
        return ((z - mean).squared() / logVariance.exp() + logVariance + log2pi).sum(alongAxis: 1) * S(-0.5)
    }

    /// The importance-weighted bound with `K = noise.count` samples (Burda et al. 2016, eq. 8):
    /// `log (1/K) Σₖ p(x | zₖ) p(zₖ) / q(zₖ | x)` with `zₖ = μ + σ ⊙ εₖ`, computed as a log-sum-exp.
    /// K = 1 is the single-sample ELBO estimate; the bound tightens towards `log p(x)` as K grows,
    /// which is how a VAE's test log-likelihood is reported.
    /// - Parameters:
    ///   - logLikelihood: `log p(x | z)` per row for codes `z` `(B, D)` (decoder and likelihood).
    ///   - noise: K standard normal `(B, D)` tensors.
    /// - Complexity: K decoder passes.
    public static func importanceWeighted<S: BLASScalar>(mean: Tensor<S>, logVariance: Tensor<S>, noise: [Tensor<S>],
                                                         logLikelihood: (Tensor<S>) -> Tensor<S>) -> Tensor<S> {
        precondition(!noise.isEmpty, "importanceWeighted: need at least one sample")
        let logWeights = noise.map { eps -> Tensor<S> in
            let z = reparameterise(mean: mean, logVariance: logVariance, noise: eps)
            return logLikelihood(z) + gaussianLogDensity(z) - gaussianLogDensity(z, mean: mean, logVariance: logVariance)
        }
        return Tensor.stack(logWeights, alongAxis: 0).logSumExp(alongAxis: 0) - S(Double.log(Double(noise.count)))   // (B)
    }
}
