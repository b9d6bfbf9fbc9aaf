import Foundation
import Testing
import LatentCore
import LatentNN
import LatentTestSupport
@testable import LatentModels

/// Whole-model losses in `Double` against central finite differences, with the model's noise
/// stream reseeded before every evaluation so each one sees the same draws.
@Suite("Autoencoder and VAE losses against finite differences")
struct NetworkGradientTests {
    private func batch(_ rows: Int, _ columns: Int, seed: UInt64) -> DataLoader<Double>.Batch {
        var rng = Xoshiro256StarStar(seed: seed)
        let x = Matrix<Double>(rows: rows, columns: columns) { _, _ in rng.uniform(0.05, 0.95) }
        return DataLoader(features: x, batchSize: rows, shuffle: false).batch(rows: Array(0..<rows))
    }

    private func check<T: TrainingTask>(_ task: T, _ b: T.Batch, reseed: @escaping () -> Void) -> [(String, Double)] where T.Scalar == Double {
        let named = task.model.namedParameters
        let result = GradientCheck.check(named.map(\.tensor)) { _ in reseed(); return task.loss(b) }
        return zip(named.map(\.name), result.relativeErrors).map { ($0, $1) }
    }

    @Test func convolutionalVAEWithCapacity() {
        let network = VariationalNetwork<Double>(architecture: .convolutional(channels: 1, height: 8, width: 8, filters: [2, 3]),
                                                 inputSize: 64, codeSize: 2, seed: 2)
        #expect(network.namedParameters.map(\.name) == ["encoder.layers.1.weight", "encoder.layers.1.bias", "encoder.layers.3.weight", "encoder.layers.3.bias",
                                                        "mean.weight", "mean.bias", "logVariance.weight", "logVariance.bias",
                                                        "decoder.layers.0.weight", "decoder.layers.0.bias", "decoder.layers.3.weight", "decoder.layers.3.bias",
                                                        "decoder.layers.5.weight", "decoder.layers.5.bias"])
        // (seed chosen so no ReLU input lies within the finite-difference step of its kink)
        // capacity fully annealed (0 steps) so C is the same in every evaluation
        let task = VariationalAutoencoderTask(network: network, likelihood: .bernoulli, weighting: .capacity(gamma: 3, maximum: 0.01, annealSteps: 0))
        for (name, error) in check(task, batch(3, 64, seed: 2), reseed: { network.seedRandomStreams(9) }) {
            #expect(error < 1e-6, "\(name): relative error \(error)")
        }
    }

    @Test func denoisingSparseMLPAutoencoder() {
        let network = AutoencoderNetwork<Double>(architecture: .multilayerPerceptron(hidden: [5]), inputSize: 6, codeSize: 3,
                                                 sigmoidCode: true, seed: 3)
        let task = AutoencoderTask(network: network, likelihood: .gaussian(variance: 0.3), noise: .gaussian(standardDeviation: 0.1),
                                   sparsity: .kullbackLeibler(target: 0.2, weight: 0.5))
        for (name, error) in check(task, batch(4, 6, seed: 4), reseed: { network.seedRandomStreams(9) }) {
            #expect(error < 1e-6, "\(name): relative error \(error)")
        }
    }

    @Test func convolutionalAutoencoderShapes() {
        let network = AutoencoderNetwork<Float>(architecture: .convolutional(channels: 2, height: 8, width: 4, filters: [3, 5]),
                                                inputSize: 64, codeSize: 6, sigmoidCode: false, seed: 5)
        let x = Tensor<Float>.zeros([7, 64])
        let z = network.encode(x)
        #expect(z.shape == [7, 6])
        #expect(network.decode(z).shape == [7, 64])
    }
}
