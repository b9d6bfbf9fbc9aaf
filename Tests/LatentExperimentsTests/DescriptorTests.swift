import Foundation
import LatentCore
import LatentDecomposition
import LatentManifold
import LatentModels
import Testing
@testable import LatentExperiments

/// Methods are described once (`MethodDescriptor`, beside each learner); batches use those
/// descriptions as they are.
@Suite("Method descriptors: one description per method")
struct DescriptorTests {
    @Test("the standard registry holds the classic learners, t-SNE, truncated SVD, the autoencoders, the self-supervised encoders, word2vec, GPT and BERT under kebab-case names")
    func standardMethods() {
        #expect(MethodRegistry.standard.names == ["autoencoder", "bert", "colorization", "context", "cpc", "dict", "gpt", "ica", "inpainting", "kpca", "linear-autoencoder", "nmf", "pca", "rbm", "rotation", "simclr", "truncated-svd", "tsne", "vae", "word2vec"])
        for method in MethodRegistry.standard.methods.values {
            for p in method.parameters {
                #expect(p.name == p.name.lowercased() && !p.name.contains("_") && !p.name.contains(" "), "\(method.name).\(p.name) is not kebab-case")
                #expect(!p.help.isEmpty, "\(method.name).\(p.name) has no help")
            }
        }
    }

    @Test("defaults agree with the command line: kernel PCA linear, RBM 256 hidden units, max-iter spelled with a hyphen")
    func agreedDefaults() {
        #expect(MethodDescriptor.kernelPCA.defaults.string("kernel") == "linear")
        #expect(MethodDescriptor.rbm.defaults.int("hidden") == 256)
        #expect(MethodDescriptor.fastICA.parameter(named: "max-iter") != nil && MethodDescriptor.fastICA.parameter(named: "maxIter") == nil)
        #expect(MethodDescriptor.nmf.defaults.int("max-iter") == 200)
    }

    @Test("the PCA descriptor fits what PCA fits")
    func pcaMatchesLibrary() throws {
        let x = Matrix<Double>.randomNormal(30, 4, seed: 3)
        let fitted = try MethodDescriptor.pca.fit(x, try MethodDescriptor.pca.resolve(["components": .int(3)]), 9)
        let direct = try PCA<Double>(components: 3, seed: 9).fit(x)
        #expect(fitted.outputFeatures == 3)
        #expect(try fitted.transform(x) == direct.transform(x))
        #expect(try fitted.reconstruct!(x) == direct.inverseTransform(direct.transform(x)))
    }

    @Test("t-SNE is a batch method: on its training data the representation is the fitted embedding")
    func tsneDescriptor() throws {
        let x = Matrix<Double>.randomNormal(40, 5, seed: 1)
        let p = try MethodDescriptor.tsne.resolve(["perplexity": .int(5), "iterations": .int(300)])
        let fitted = try MethodDescriptor.tsne.fit(x, p, 4)
        let direct = try TSNE<Double>(components: 2, perplexity: 5, maxIterations: 300, seed: 4).fit(x)
        #expect(fitted.outputFeatures == 2 && fitted.reconstruct == nil)
        #expect(try fitted.transform(x) == direct.embedding)
        #expect(fitted.metrics["kl-divergence"] == direct.klDivergence)
        #expect(throws: MethodDescriptor.ResolveError.self) { try MethodDescriptor.tsne.resolve(["components": .int(4)]) }
    }

    @Test("the vae and autoencoder descriptors fit what the models fit: codes and reconstructions, bit for bit")
    func autoencodersMatchLibrary() throws {
        let x = Matrix<Double>(rows: 30, columns: 8) { i, j in Double((i * 7 + j * 3) % 11) / 10 }   // features in [0, 1]
        let float = Matrix<Float>(rows: 30, columns: 8, storage: x.storage.map(Float.init))
        let double = { (m: Matrix<Float>) in Matrix<Double>(rows: m.rows, columns: m.columns, storage: m.storage.map(Double.init)) }
        let given: [String: ParameterValue] = ["code-size": .int(2), "hidden": .int(6), "epochs": .int(2), "batch-size": .int(10), "beta": .double(4)]
        let training = TrainingSettings(epochs: 2, batchSize: 10, learningRate: 1e-3, seed: 7)

        let vae = try MethodDescriptor.variationalAutoencoder.fit(x, try MethodDescriptor.variationalAutoencoder.resolve(given), 7)
        let direct = try VariationalAutoencoder<Float>(architecture: .multilayerPerceptron(hidden: [6]), codeSize: 2, weighting: .beta(4),
                                                       training: training).fit(float)
        #expect(vae.outputFeatures == 2)
        #expect(try vae.transform(x) == double(direct.encode(float)))
        #expect(try vae.reconstruct!(x) == double(direct.reconstruct(float)))
        #expect(vae.metrics["final-training-loss"] == direct.history.last!.trainingLoss)

        var plain = given
        plain["beta"] = nil
        plain["noise"] = .string("masking")
        let ae = try MethodDescriptor.autoencoder.fit(x, try MethodDescriptor.autoencoder.resolve(plain), 7)
        let directAE = try Autoencoder<Float>(architecture: .multilayerPerceptron(hidden: [6]), codeSize: 2, noise: .masking(fraction: 0.3),
                                              training: training).fit(float)
        #expect(try ae.transform(x) == double(directAE.encode(float)))

        // a Bernoulli decoder refuses features outside [0, 1]; the Gaussian one takes them
        let wide = x * 3 - 1
        #expect(throws: EstimatorError.self) { try MethodDescriptor.variationalAutoencoder.fit(wide, try MethodDescriptor.variationalAutoencoder.resolve(given), 7) }
        var gaussian = given
        gaussian["likelihood"] = .string("gaussian")
        #expect(try MethodDescriptor.variationalAutoencoder.fit(wide, try MethodDescriptor.variationalAutoencoder.resolve(gaussian), 7).outputFeatures == 2)
    }
}
