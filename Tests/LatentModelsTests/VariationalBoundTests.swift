import Foundation
import Testing
import LatentCore
import LatentNN
import LatentTestSupport
@testable import LatentModels

/// The fixture of `scripts/fixtures/autoencoders.py` (PyTorch, float64).
private struct BoundFixture {
    let x, mean, logVariance, w, b: Tensor<Double>
    let noise: [Tensor<Double>]

    init() throws {
        func load(_ name: String, _ shape: [Int]) throws -> Tensor<Double> {
            Tensor(shape: shape, storage: try Fixtures.vector("autoencoders/" + name))
        }
        x = try load("x", [4, 6]); mean = try load("mean", [4, 3]); logVariance = try load("logvar", [4, 3])
        w = try load("W", [6, 3]); b = try load("b", [6])
        let eps = try Fixtures.vector("autoencoders/eps")
        noise = (0..<5).map { k in Tensor(shape: [4, 3], storage: Array(eps[(k * 12)..<((k + 1) * 12)])) }
    }

    /// The fixture's linear decoder: logits `z·Wᵀ + b`.
    func decode(_ z: Tensor<Double>) -> Tensor<Double> { z.matmul(w, transposeB: true) + b }
}

private func expected(_ name: String) throws -> [Double] { try Fixtures.vector("autoencoders/" + name) }

@Suite("VAE bounds against PyTorch and finite differences")
struct VariationalBoundTests {
    @Test func termsMatchPyTorch() throws {
        let f = try BoundFixture()
        let kl = VariationalBound.klToStandardNormal(mean: f.mean, logVariance: f.logVariance)
        #expect(maxAbsDifference(kl.storage, try expected("kl")) < 1e-12)
        let z = VariationalBound.reparameterise(mean: f.mean, logVariance: f.logVariance, noise: f.noise[0])
        let bernoulli = VariationalBound.bernoulliLogLikelihood(logits: f.decode(z), data: f.x)
        #expect(maxAbsDifference(bernoulli.storage, try expected("bernoulli_loglik")) < 1e-12)
        let gaussian = VariationalBound.gaussianLogLikelihood(mean: f.decode(z), data: f.x, variance: 0.5)
        #expect(maxAbsDifference(gaussian.storage, try expected("gaussian_loglik")) < 1e-12)
        #expect(maxAbsDifference((bernoulli - kl).storage, try expected("elbo")) < 1e-12)
        let iwae = VariationalBound.importanceWeighted(mean: f.mean, logVariance: f.logVariance, noise: f.noise) {
            VariationalBound.bernoulliLogLikelihood(logits: f.decode($0), data: f.x)
        }
        #expect(maxAbsDifference(iwae.storage, try expected("iwae")) < 1e-12)
        // one importance sample is the one-sample ELBO written with log p(z) − log q(z|x) in place of −KL
        let single = VariationalBound.importanceWeighted(mean: f.mean, logVariance: f.logVariance, noise: [f.noise[0]]) {
            VariationalBound.bernoulliLogLikelihood(logits: f.decode($0), data: f.x)
        }
        let logRatio = VariationalBound.gaussianLogDensity(z) - VariationalBound.gaussianLogDensity(z, mean: f.mean, logVariance: f.logVariance)
        #expect(maxAbsDifference(single.storage, (bernoulli + logRatio).storage) < 1e-12)
    }

    @Test func betaAndCapacityObjectivesMatchPyTorch() throws {
        let f = try BoundFixture()
        let kl = VariationalBound.klToStandardNormal(mean: f.mean, logVariance: f.logVariance).mean()
        let z = VariationalBound.reparameterise(mean: f.mean, logVariance: f.logVariance, noise: f.noise[0])
        let reconstruction = -VariationalBound.bernoulliLogLikelihood(logits: f.decode(z), data: f.x).mean()
        let beta = reconstruction + KLWeighting.beta(4).term(meanKL: kl, step: 0)
        #expect(Swift.abs(beta.item - (try expected("beta_loss"))[0]) < 1e-12)
        // C reaches its maximum 2.5 after the 100 anneal steps and stays there
        let capacity = KLWeighting.capacity(gamma: 10, maximum: 2.5, annealSteps: 100)
        #expect(capacity.capacity(atStep: 0) == 0 && capacity.capacity(atStep: 40) == 1 && capacity.capacity(atStep: 500) == 2.5)
        let loss = reconstruction + capacity.term(meanKL: kl, step: 100)
        #expect(Swift.abs(loss.item - (try expected("capacity_loss"))[0]) < 1e-12)
    }

    @Test func gradientsMatchPyTorchAndFiniteDifferences() throws {
        let f = try BoundFixture()
        func negativeELBO(_ t: [Tensor<Double>]) -> Tensor<Double> {
            let z = VariationalBound.reparameterise(mean: t[0], logVariance: t[1], noise: f.noise[0])
            let reconstruction = -VariationalBound.bernoulliLogLikelihood(logits: z.matmul(t[2], transposeB: true) + f.b, data: f.x).mean()
            return reconstruction + VariationalBound.klToStandardNormal(mean: t[0], logVariance: t[1]).mean()
        }
        let inputs = [f.mean, f.logVariance, f.w]
        let check = GradientCheck.check(inputs, negativeELBO)
        #expect(check.maxRelativeError < 1e-7)
        for t in inputs { t.grad = nil }
        negativeELBO(inputs).backward()
        #expect(maxAbsDifference(f.mean.grad!, try expected("grad_mean")) < 1e-12)
        #expect(maxAbsDifference(f.logVariance.grad!, try expected("grad_logvar")) < 1e-12)

        // the Gaussian likelihood and the IWAE bound, differentiated through every input
        let gaussian = GradientCheck.check([f.mean, f.logVariance, f.w]) { t in
            let z = VariationalBound.reparameterise(mean: t[0], logVariance: t[1], noise: f.noise[1])
            return VariationalBound.gaussianLogLikelihood(mean: z.matmul(t[2], transposeB: true), data: f.x, variance: 0.5)
        }
        #expect(gaussian.maxRelativeError < 1e-7)
        let iwae = GradientCheck.check([f.mean, f.logVariance, f.w]) { t in
            VariationalBound.importanceWeighted(mean: t[0], logVariance: t[1], noise: f.noise) {
                VariationalBound.bernoulliLogLikelihood(logits: $0.matmul(t[2], transposeB: true) + f.b, data: f.x)
            }
        }
        #expect(iwae.maxRelativeError < 1e-7)
    }

    @Test func sparsityPenaltiesAreTheirFormulas() throws {
        let z = Tensor<Double>(shape: [2, 2], storage: [0.1, 0.3, 0.5, 0.1])
        #expect(Swift.abs(SparsityPenalty.l1(weight: 2).penalty(z).item - 2 * (0.4 + 0.6) / 2) < 1e-15)
        // ρ̂ = (0.3, 0.2) against ρ = 0.2: the second unit is on target and costs nothing
        let rho = 0.2, rhoHat = 0.3
        let kl = rho * Foundation.log(rho / rhoHat) + (1 - rho) * Foundation.log((1 - rho) / (1 - rhoHat))
        #expect(Swift.abs(SparsityPenalty.kullbackLeibler(target: rho, weight: 3).penalty(z).item - 3 * kl) < 1e-14)
        let check = GradientCheck.check([Tensor<Double>(shape: [3, 2], storage: [0.1, 0.7, 0.4, 0.2, 0.6, 0.3])]) {
            SparsityPenalty.kullbackLeibler(target: 0.1, weight: 1).penalty($0[0]) + SparsityPenalty.l1(weight: 0.5).penalty($0[0])
        }
        #expect(check.maxRelativeError < 1e-7)
    }
}
