import Foundation
import Testing
import LatentCore
import LatentNN
import LatentTestSupport
@testable import LatentModels

/// `n` binary 4 × 4 images, each a horizontal or vertical bar (8 kinds), with 5% of pixels flipped.
private func bars(_ n: Int, seed: UInt64) -> Matrix<Float> {
    var rng = Xoshiro256StarStar(seed: seed)
    return Matrix(rows: n, columns: 16, storage: (0..<n).flatMap { _ -> [Float] in
        let kind = rng.integer(below: 8)
        return (0..<16).map { p in
            let on = kind < 4 ? p / 4 == kind : p % 4 == kind - 4
            return (on != (rng.uniform() < 0.05)) ? 1 : 0
        }
    })
}

private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(name)-\(UUID().uuidString).safetensors")
}

private func bits<S: BLASScalar>(_ tensors: [(name: String, tensor: Tensor<S>)]) -> [[UInt64]] {
    tensors.map { $0.tensor.storage.map { Double($0).bitPattern } }
}

@Suite("Autoencoders and VAEs trained by the Trainer")
struct AutoencoderTrainingTests {
    let data = bars(96, seed: 1)
    let heldOut = bars(32, seed: 2)

    @Test func denoisingAutoencoderLearnsAndResumesBitForBit() throws {
        let config = Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: [12]), codeSize: 4,
                                        noise: .masking(fraction: 0.25), sparsity: .l1(weight: 0.01),
                                        training: TrainingSettings(epochs: 6, batchSize: 16, learningRate: 1e-2, seed: 3))
        let straight = try config.fit(data, evaluation: heldOut)
        let first = straight.history.first!.evaluation!["reconstruction"]!, last = straight.history.last!.evaluation!["reconstruction"]!
        // coin flips cost 16·log 2 ≈ 11.1 nats per image
        #expect(last < first - 1 && last < 16 * Foundation.log(2.0) - 2, "held-out reconstruction \(first) → \(last) nats")
        #expect(straight.history.map(\.step) == [6, 12, 18, 24, 30, 36])

        let url = temporaryFile("dae")
        defer { try? FileManager.default.removeItem(at: url) }
        var short = config
        short.training.epochs = 3
        _ = try short.fit(data, evaluation: heldOut, checkpoint: url)
        let resumed = try config.fit(data, evaluation: heldOut, checkpoint: url, resume: true)
        #expect(resumed.history.map(\.epoch) == [4, 5, 6])
        #expect(bits(straight.namedTensors) == bits(resumed.namedTensors))
        #expect(resumed.network.generator == straight.network.generator)

        // another configuration refuses the checkpoint instead of continuing silently
        var other = config
        other.codeSize = 5
        #expect(throws: CheckpointError.self) { try other.fit(data, checkpoint: url, resume: true) }
    }

    @Test func capacityVAEResumesBitForBitAndCountsSteps() throws {
        let config = VariationalAutoencoder<Float>(architecture: .multilayerPerceptron(hidden: [12]), codeSize: 3,
                                                   weighting: .capacity(gamma: 5, maximum: 2, annealSteps: 20),
                                                   training: TrainingSettings(epochs: 4, batchSize: 32, learningRate: 1e-2, seed: 4))
        let straight = try config.fit(data, evaluation: heldOut)
        #expect(straight.network.stepsTaken.storage == [12])
        let url = temporaryFile("vae")
        defer { try? FileManager.default.removeItem(at: url) }
        var short = config
        short.training.epochs = 2
        _ = try short.fit(data, evaluation: heldOut, checkpoint: url)
        let resumed = try config.fit(data, evaluation: heldOut, checkpoint: url, resume: true)
        #expect(bits(straight.namedTensors) == bits(resumed.namedTensors))
        #expect(straight.history.last!.evaluation == resumed.history.last!.evaluation)
    }

    @Test func vaeLearnsAndItsBoundsAreOrdered() throws {
        let config = VariationalAutoencoder<Float>(architecture: .multilayerPerceptron(hidden: [16]), codeSize: 2,
                                                   training: TrainingSettings(epochs: 30, batchSize: 16, learningRate: 1e-2, seed: 5))
        let model = try config.fit(data, evaluation: heldOut)
        let elbo = model.history.map { $0.evaluation!["elbo"]! }
        #expect(elbo.last! > elbo.first! + 1.5, "held-out ELBO \(elbo.first!) → \(elbo.last!)")
        #expect(elbo.last! > -16 * Foundation.log(2.0), "better than coin flips: \(elbo.last!)")
        // E[IWAE_K] ≥ ELBO, and IWAE grows with K (Burda et al. 2016, theorem 1)
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        let bound = mean(model.evidenceLowerBound(heldOut, samples: 64, seed: 9))
        let iwae1 = mean(model.logLikelihood(heldOut, samples: 1, seed: 9))
        let iwae64 = mean(model.logLikelihood(heldOut, samples: 64, seed: 9))
        #expect(Swift.abs(iwae1 - bound) < 1.0, "one-sample IWAE \(iwae1) vs ELBO \(bound)")
        #expect(iwae64 > bound, "IWAE-64 \(iwae64) vs ELBO \(bound)")
        #expect(iwae64 <= 0)

        let samples = model.sample(count: 5, seed: 1)
        #expect(samples.rows == 5 && samples.columns == 16 && samples.storage.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(samples.storage == model.sample(count: 5, seed: 1).storage)
        #expect(samples.storage != model.sample(count: 5, seed: 2).storage)
        let codes = model.encode(heldOut)
        #expect(codes.rows == 32 && codes.columns == 2)
        #expect(model.reconstruct(heldOut).storage == model.decode(codes).storage)
    }

    @Test func savedModelsReloadExactly() throws {
        let url = temporaryFile("model")
        defer { try? FileManager.default.removeItem(at: url) }
        let vae = try VariationalAutoencoder<Float>(architecture: .multilayerPerceptron(hidden: [8]), codeSize: 2,
                                                    likelihood: .gaussian(variance: 0.25),
                                                    training: TrainingSettings(epochs: 1, batchSize: 32, seed: 6)).fit(data)
        try vae.save(to: url)
        let loaded = try FittedVariationalAutoencoder<Float>.load(from: url)
        #expect(loaded.configuration == vae.configuration)
        #expect(loaded.encode(heldOut).storage == vae.encode(heldOut).storage)
        #expect(loaded.sample(count: 3, seed: 4).storage == vae.sample(count: 3, seed: 4).storage)
        #expect(throws: CheckpointError.self) { try FittedAutoencoder<Float>.load(from: url) }

        let ae = try Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: []), codeSize: 3, sparsity: .kullbackLeibler(target: 0.1, weight: 1),
                                        training: TrainingSettings(epochs: 1, batchSize: 32, seed: 7)).fit(data)
        try ae.save(to: url)
        let aeLoaded = try FittedAutoencoder<Float>.load(from: url)
        #expect(aeLoaded.reconstruct(heldOut).storage == ae.reconstruct(heldOut).storage)
        #expect(ae.encode(heldOut).storage.allSatisfy { $0 > 0 && $0 < 1 })        // sigmoid codes for the KL penalty
    }

    @Test func badInputAndSettingsAreRejected() throws {
        let config = Autoencoder<Float>(architecture: .convolutional(channels: 1, height: 4, width: 4, filters: [2, 2, 2]), codeSize: 2)
        #expect(throws: AutoencoderError.self) { try config.fit(data) }                         // 4 is not divisible by 8
        let mlp = Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: [4]), codeSize: 2, noise: .masking(fraction: 1))
        #expect(throws: AutoencoderError.invalidConfiguration("masking fraction 1.0 must be in (0, 1)")) { try mlp.fit(data) }
        var bad = data
        bad[3, 5] = .nan
        let fine = Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: [4]), codeSize: 2)
        #expect(throws: AutoencoderError.nonFiniteInput(row: 3, column: 5)) { try fine.fit(bad) }
        #expect(throws: AutoencoderError.featureMismatch(expected: 16, found: 15)) {
            try fine.fit(data, evaluation: Matrix(rows: 2, columns: 15, repeating: 0))
        }
    }
}
