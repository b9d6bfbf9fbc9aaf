import Foundation
import LatentCore
import LatentDecomposition
import LatentManifold
import Testing
@testable import LatentExperiments

/// Methods are described once (`MethodDescriptor`, beside each learner); batches use those
/// descriptions as they are.
@Suite("Method descriptors: one description per method")
struct DescriptorTests {
    @Test("the standard registry holds the classic learners, t-SNE and truncated SVD under kebab-case names")
    func standardMethods() {
        #expect(MethodRegistry.standard.names == ["dict", "ica", "kpca", "linear-autoencoder", "nmf", "pca", "rbm", "truncated-svd", "tsne"])
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
}
