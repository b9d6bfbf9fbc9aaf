import Foundation
import Latent

/// What the deep suite trains, with its budget: the full plan fits the 45 minutes on 2
/// cores for the whole suite (about 21 minutes measured, SimCLR's 10 epochs 15 of them; see
/// docs/benchmarks.md, "The deep suite"), the quick plan
/// runs in minutes on a few thousand images (for tests and CI; its numbers are not results).
struct DeepDemoPlan: Sendable {
    /// The encoder f shared by the random control, SimCLR, rotation and context prediction.
    var architecture: ImageEncoderArchitecture
    /// Training images the learned methods see (the first N), or nil for all; every row is still
    /// encoded and evaluated.
    var pretrainRows: Int?
    var simclr: SimCLR
    var rotation: RotationPrediction
    var context: ContextPrediction
    var autoencoder: Autoencoder<Float>
    var vae: VariationalAutoencoder<Float>
    /// The same VAE with β = 4 on the KL (Higgins et al. 2017).
    var betaVAE: VariationalAutoencoder<Float>
    /// Workers augmenting each batch (`DataPipeline.threads`).
    var threads: Int

    /// Settings chosen on the validation split (`--validation`; docs/self-supervised.md): a 3 × 3
    /// grid, a dense layer of 128 units as the encoder's last block (SimCLR's head g is then one
    /// linear layer: the same network as f → 128 → ReLU → 64 with the cut one layer later), the
    /// last two blocks read and each normalised, SimCLR's crops kept to 80–100% of the area.
    static func full(seed: UInt64, threads: Int) -> DeepDemoPlan {
        let architecture = ImageEncoderArchitecture(filters: [32, 64, 128], featureGrid: 3, dense: 128, readoutBlocks: 2, normalizedReadout: true)
        return DeepDemoPlan(
            architecture: architecture, pretrainRows: nil,
            simclr: SimCLR(architecture: architecture, projection: [64], temperature: 0.5, augmentation: .simCLR.withCropScale(0.8),
                           training: TrainingSettings(epochs: 10, batchSize: 256, learningRate: 2e-3, seed: seed)),
            rotation: RotationPrediction(architecture: architecture, training: TrainingSettings(epochs: 1, batchSize: 64, learningRate: 1e-3, seed: seed)),
            context: ContextPrediction(architecture: architecture, training: TrainingSettings(epochs: 1, batchSize: 128, learningRate: 1e-3, seed: seed)),
            autoencoder: Autoencoder(architecture: .multilayerPerceptron(hidden: [256]), codeSize: 32,
                                     training: TrainingSettings(epochs: 5, batchSize: 128, learningRate: 1e-3, seed: seed)),
            vae: VariationalAutoencoder(architecture: .multilayerPerceptron(hidden: [256]), codeSize: 16,
                                        training: TrainingSettings(epochs: 5, batchSize: 128, learningRate: 1e-3, seed: seed)),
            betaVAE: VariationalAutoencoder(architecture: .multilayerPerceptron(hidden: [256]), codeSize: 16, weighting: .beta(4),
                                            training: TrainingSettings(epochs: 5, batchSize: 128, learningRate: 1e-3, seed: seed)),
            threads: threads)
    }

    /// Minutes, not results: 2000 training images, a narrower encoder, one epoch each.
    static func quick(seed: UInt64, threads: Int) -> DeepDemoPlan {
        var plan = full(seed: seed, threads: threads)
        let architecture = ImageEncoderArchitecture(filters: [8, 16, 32], featureGrid: 3, dense: 32, readoutBlocks: 2, normalizedReadout: true)
        plan.architecture = architecture
        plan.pretrainRows = 2000
        plan.simclr.architecture = architecture
        plan.simclr.training.epochs = 1
        plan.simclr.training.batchSize = 128
        plan.rotation.architecture = architecture
        plan.context.architecture = architecture
        plan.autoencoder.training.epochs = 1
        plan.vae.training.epochs = 1
        plan.betaVAE.training.epochs = 1
        return plan
    }
}

extension DemoMethod {
    /// The deep suite's rows: pixels, the untrained encoder (control), SimCLR, rotation and
    /// context prediction (all with the same encoder f), and an MLP autoencoder, VAE and β-VAE.
    static func deep(_ plan: DeepDemoPlan) -> [DemoMethod] {
        let a = plan.architecture
        @Sendable func pretrain(_ x: Matrix<Float>) -> Matrix<Float> { plan.pretrainRows.map { x.rows(0..<Swift.min($0, x.rows)) } ?? x }
        @Sendable func variational(_ name: String, _ configuration: VariationalAutoencoder<Float>, _ train: Matrix<Float>, _ test: Matrix<Float>) throws -> DemoFeatures {
            let model = try configuration.fit(pretrain(train), onEvent: progress(name))
            var features = encoded(model, train, test, reconstruct: model.reconstruct)
            features.generator = model
            return features
        }
        let filters = a.filters.map(String.init).joined(separator: "-") + (a.featureGrid > 1 ? " (\(a.featureGrid)×\(a.featureGrid) grid" : " (global average")
            + (a.dense > 0 ? ", dense \(a.dense)" : "") + (a.readoutBlocks > 1 ? ", last \(a.readoutBlocks) blocks" : "")
            + (a.normalizedReadout ? ", each normalised)" : ")")
        let crops = "crops \(Int((plan.simclr.augmentation.cropScale.lowerBound * 100).rounded()))–100%"
        let pretrainNote = plan.pretrainRows.map { ", first \($0) images" } ?? ""
        return [
            raw,
            DemoMethod(name: "random-init", summary: "CNN \(filters), random weights, never trained (control)") { train, test, seed in
                encoded(FittedImageEncoder.randomlyInitialised(a, seed: seed), train, test)
            },
            DemoMethod(name: "simclr", summary: "SimCLR, CNN \(filters), \(crops), τ \(plan.simclr.temperature), batch \(plan.simclr.training.batchSize), \(plan.simclr.training.epochs) epochs\(pretrainNote)") { train, test, _ in
                encoded(try plan.simclr.fit(pretrain(train), threads: plan.threads, onEvent: progress("simclr")), train, test)
            },
            DemoMethod(name: "rotation", summary: "rotation prediction (4-way), CNN \(filters), \(plan.rotation.training.epochs) epochs\(pretrainNote)") { train, test, _ in
                encoded(try plan.rotation.fit(pretrain(train), threads: plan.threads, onEvent: progress("rotation")), train, test)
            },
            DemoMethod(name: "context", summary: "context prediction (8 positions, 7×7 patches, gap 2, jitter 1), CNN \(filters), \(plan.context.training.epochs) epochs\(pretrainNote)") { train, test, _ in
                encoded(try plan.context.fit(pretrain(train), threads: plan.threads, onEvent: progress("context")), train, test)
            },
            DemoMethod(name: "autoencoder", summary: "MLP autoencoder 784-256-32, Bernoulli, \(plan.autoencoder.training.epochs) epochs\(pretrainNote)") { train, test, _ in
                let model = try plan.autoencoder.fit(pretrain(train), onEvent: progress("autoencoder"))
                return encoded(model, train, test, reconstruct: model.reconstruct)
            },
            DemoMethod(name: "vae", summary: "VAE 784-256-16 (posterior means), Bernoulli, \(plan.vae.training.epochs) epochs\(pretrainNote)") { train, test, _ in
                try variational("vae", plan.vae, train, test)
            },
            DemoMethod(name: "beta-vae", summary: "β-VAE (β = 4) 784-256-16 (posterior means), Bernoulli, \(plan.betaVAE.training.epochs) epochs\(pretrainNote)") { train, test, _ in
                try variational("beta-vae", plan.betaVAE, train, test)
            },
        ]
    }

    /// The features of a trained encoder, with the reconstructions of the first 10 test images
    /// when the model has a decoder.
    private static func encoded(_ model: some ImageRepresentation, _ train: Matrix<Float>, _ test: Matrix<Float>,
                                reconstruct: ((Matrix<Float>) -> Matrix<Float>)? = nil) -> DemoFeatures {
        DemoFeatures(train: model.encode(train), test: model.encode(test), components: nil,
                     reconstructions: reconstruct.map { $0(test.rows(0..<Swift.min(10, test.rows))) })
    }

    /// Training progress on stderr: one line per epoch with its loss, time and images per second.
    private static func progress(_ name: String) -> (TrainingEvent) -> Void {
        { event in
            if case let .epochFinished(report) = event {
                StandardError.line(String(format: "         [%@] epoch %d: loss %.4f, %.1f s", name, report.epoch, report.trainingLoss, report.seconds))
            }
        }
    }
}
