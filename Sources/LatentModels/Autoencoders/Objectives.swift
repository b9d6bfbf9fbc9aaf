import LatentCore
import LatentNN

/// How a decoder's output is compared with the input, as a negative log-likelihood per sample.
public enum ReconstructionLikelihood: Codable, Sendable, Equatable {
    /// Bernoulli with logits (binary or [0, 1] data such as MNIST or dSprites): the decoder outputs
    /// logits, `decode` returns `sigmoid(logits)`, the loss is the binary cross-entropy summed over
    /// features.
    case bernoulli
    /// Gaussian with fixed variance σ²: the decoder outputs means, the loss is
    /// `Σⱼ (xⱼ − μⱼ)²/(2σ²) + (d/2) log 2πσ²`.
    case gaussian(variance: Double)

    /// `log p(x | output)` per row `(B)`.
    func logLikelihood<S: BLASScalar>(output: Tensor<S>, data x: Tensor<S>) -> Tensor<S> {
        switch self {
        case .bernoulli: return VariationalBound.bernoulliLogLikelihood(logits: output, data: x)
        case let .gaussian(variance): return VariationalBound.gaussianLogLikelihood(mean: output, data: x, variance: variance)
        }
    }

    /// The data-space value of a decoder output: probabilities for Bernoulli, the means otherwise.
    func mean<S: BLASScalar>(of output: Tensor<S>) -> Tensor<S> {
        switch self {
        case .bernoulli: return output.sigmoid()
        case .gaussian: return output
        }
    }

    var problem: String? {
        if case let .gaussian(v) = self, !(v > 0 && v.isFinite) { return "Gaussian decoder variance \(v) must be positive and finite" }
        return nil
    }
}

/// The corruption of a denoising autoencoder (Vincent et al. 2008): the encoder sees a corrupted
/// input and the loss compares the reconstruction with the clean one. Applied in training only.
public enum CorruptionNoise: Codable, Sendable, Equatable {
    /// No corruption (a plain autoencoder).
    case none
    /// Additive isotropic Gaussian noise `x + N(0, σ²)`.
    case gaussian(standardDeviation: Double)
    /// Masking noise: each feature set to 0 with probability `fraction`.
    case masking(fraction: Double)

    /// `x` corrupted with draws from `rng` (one per element), no gradient to the noise.
    func corrupt<S: BLASScalar>(_ x: Tensor<S>, using rng: inout Xoshiro256StarStar) -> Tensor<S> {
        switch self {
        case .none: return x
        case let .gaussian(sd): return x + Tensor<S>.randomNormal(x.shape, standardDeviation: S(sd), using: &rng)
        case let .masking(p):
            let keep = (0..<x.count).map { _ in rng.uniform() < p ? S(0) : S(1) }
            return x * Tensor(shape: x.shape, storage: keep)
        }
    }

    var problem: String? {
        switch self {
        case .none: return nil
        case let .gaussian(sd): return sd > 0 && sd.isFinite ? nil : "Gaussian noise standard deviation \(sd) must be positive and finite"
        case let .masking(p): return p > 0 && p < 1 ? nil : "masking fraction \(p) must be in (0, 1)"
        }
    }
}

/// A sparsity penalty on the code of a sparse autoencoder, added to the batch-mean loss.
public enum SparsityPenalty: Codable, Sendable, Equatable {
    /// No penalty.
    case none
    /// `weight · mean_b Σⱼ |z_bj|` (L1 on the code, Goodfellow et al. 2016 §14.2.1).
    case l1(weight: Double)
    /// `weight · Σⱼ KL(ρ ‖ ρ̂ⱼ)`, `ρ̂ⱼ` the batch-mean activation of code unit j, so each unit is
    /// active a fraction ρ of the time (Ng 2011, "Sparse autoencoder" notes). The code goes through
    /// a sigmoid so that activations lie in (0, 1).
    case kullbackLeibler(target: Double, weight: Double)

    /// The penalty of codes `(B, k)` as a 0-D tensor.
    func penalty<S: BLASScalar>(_ z: Tensor<S>) -> Tensor<S> {
        switch self {
        case .none: return Tensor(S(0))
        case let .l1(weight): return z.abs().sum(alongAxis: 1).mean() * S(weight)
        case let .kullbackLeibler(rho, weight):
            let rhoHat = z.mean(alongAxis: 0).clamped(min: S(1e-7), max: S(1 - 1e-7))          // (k)
            let kl = (rhoHat.log() * S(-rho) + (1 - rhoHat).log() * S(-(1 - rho))).sum()
                + S(Double(z.shape[1]) * (rho * Double.log(rho) + (1 - rho) * Double.log(1 - rho)))
            return kl * S(weight)
        }
    }

    /// Whether the code passes through a sigmoid.
    var needsSigmoidCode: Bool { if case .kullbackLeibler = self { return true } else { return false } }

    var problem: String? {
        switch self {
        case .none: return nil
        case let .l1(w): return w >= 0 && w.isFinite ? nil : "L1 weight \(w) must be ≥ 0 and finite"
        case let .kullbackLeibler(rho, w):
            if !(rho > 0 && rho < 1) { return "target activation \(rho) must be in (0, 1)" }
            return w >= 0 && w.isFinite ? nil : "KL sparsity weight \(w) must be ≥ 0 and finite"
        }
    }
}

/// How the KL term enters a VAE's loss.
public enum KLWeighting: Codable, Sendable, Equatable {
    /// `reconstruction + β·KL`: β = 1 is the VAE's negative ELBO, β > 1 the β-VAE (Higgins et al. 2017).
    case beta(Double)
    /// `reconstruction + γ·|KL − C|` with the capacity C raised linearly from 0 to `maximum` nats
    /// over `annealSteps` optimizer steps, then held (Burgess et al. 2018, eq. 8).
    case capacity(gamma: Double, maximum: Double, annealSteps: Int)

    /// The capacity C after `step` optimizer steps (0 for `.beta`).
    public func capacity(atStep step: Int) -> Double {
        guard case let .capacity(_, maximum, anneal) = self else { return 0 }
        return anneal <= 0 ? maximum : maximum * Double(Swift.min(step, anneal)) / Double(anneal)
    }

    /// The weighted KL term for the batch-mean KL (a 0-D tensor) at `step`.
    func term<S: BLASScalar>(meanKL kl: Tensor<S>, step: Int) -> Tensor<S> {
        switch self {
        case let .beta(beta): return kl * S(beta)
        case let .capacity(gamma, _, _): return (kl - S(capacity(atStep: step))).abs() * S(gamma)
        }
    }

    var problem: String? {
        switch self {
        case let .beta(b): return b >= 0 && b.isFinite ? nil : "β \(b) must be ≥ 0 and finite"
        case let .capacity(g, c, n):
            if !(g >= 0 && g.isFinite) { return "γ \(g) must be ≥ 0 and finite" }
            if !(c >= 0 && c.isFinite) { return "maximum capacity \(c) must be ≥ 0 and finite" }
            return n >= 0 ? nil : "anneal steps \(n) must be ≥ 0"
        }
    }
}
