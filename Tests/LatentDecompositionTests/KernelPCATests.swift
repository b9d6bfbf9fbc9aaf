import Foundation
import LatentCore
import LatentDecomposition
import LatentTestSupport
import Testing

@Suite("KernelPCA")
struct KernelPCATests {
    static let kernels: [(String, KernelFunction)] = [
        ("linear", .linear),
        ("poly", .polynomial(degree: 3, gamma: 0.3, coef0: 1)),
        ("rbf", .rbf(gamma: 0.2)),
        ("sigmoid", .sigmoid(gamma: 0.05, coef0: 0.5)),
        ("cosine", .cosine),
        ("rbfdefault", .rbf()),
    ]

    /// Max over components of the relative error of `a`'s column against `b`'s, up to the sign of each column.
    func errorUpToSign(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
        #expect(a.rows == b.rows && a.columns == b.columns)
        return (0..<b.columns).map { j in
            let (x, y) = (a.column(j), b.column(j))
            let sign: Double = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } < 0 ? -1 : 1
            return relativeDifference(x.map { sign * $0 }, y)
        }.max() ?? 0
    }

    @Test("eigenvalues, training and new projections match scikit-learn for each kernel", arguments: kernels.map(\.0))
    func matchesScikitLearn(name: String) throws {
        let kernel = Self.kernels.first { $0.0 == name }!.1
        let x = try Fixtures.matrix("pca/xk", as: Double.self), xNew = try Fixtures.matrix("pca/xk_new", as: Double.self)
        let model = try KernelPCA<Double>(kernel: kernel, components: 4).fit(x)
        #expect(model.outputFeatures == 4 && model.inputFeatures == 5)
        #expect(relativeDifference(model.eigenvalues, try Fixtures.vector("pca/kpca_\(name)_eigenvalues")) < 1e-8)
        let train = try Fixtures.matrix("pca/kpca_\(name)_fit_transform", as: Double.self)
        #expect(errorUpToSign(model.trainingProjections, train) < 1e-6)
        // Same sign convention as scikit-learn, so the comparison also holds without the sign freedom.
        #expect(relativeError(model.trainingProjections, train) < 1e-6)
        #expect(relativeError(try model.transform(x), try Fixtures.matrix("pca/kpca_\(name)_train")) < 1e-6)
        #expect(relativeError(try model.transform(xNew), try Fixtures.matrix("pca/kpca_\(name)_new")) < 1e-6)
    }

    @Test("a precomputed kernel gives the same projections")
    func precomputed() throws {
        let x = try Fixtures.matrix("pca/xk", as: Double.self), xNew = try Fixtures.matrix("pca/xk_new", as: Double.self)
        let rbf = KernelFunction.rbf(gamma: 0.2)
        let model = try KernelPCA<Double>(kernel: .precomputed, components: 4).fit(rbf.matrix(x, x))
        #expect(model.inputFeatures == 60)
        #expect(relativeDifference(model.eigenvalues, try Fixtures.vector("pca/kpca_rbf_eigenvalues")) < 1e-8)
        #expect(relativeError(try model.transform(rbf.matrix(xNew, x)), try Fixtures.matrix("pca/kpca_precomputed_new")) < 1e-6)
        #expect(throws: EstimatorError.self) { try KernelPCA<Double>(kernel: .precomputed, fitInverseTransform: true).fit(rbf.matrix(x, x)) }
        #expect(throws: EstimatorError.self) { try KernelPCA<Double>(kernel: .precomputed).fit(x) }
    }

    @Test("inverseTransform by kernel ridge regression matches scikit-learn")
    func inverse() throws {
        let x = try Fixtures.matrix("pca/xk", as: Double.self), xNew = try Fixtures.matrix("pca/xk_new", as: Double.self)
        let model = try KernelPCA<Double>(kernel: .rbf(gamma: 0.2), components: 4, fitInverseTransform: true, alpha: 0.1).fit(x)
        let back = try model.inverseTransform(try model.transform(xNew))
        #expect(relativeError(back, try Fixtures.matrix("pca/kpca_rbf_inverse_new")) < 1e-6)
        let plain = try KernelPCA<Double>(kernel: .rbf(gamma: 0.2), components: 4).fit(x)
        #expect(throws: EstimatorError.self) { try plain.inverseTransform(try plain.transform(xNew)) }
    }

    @Test("all components: zero eigenvalues are removed")
    func zeroEigenvalues() throws {
        let x = try Fixtures.matrix("pca/xk", as: Double.self).columns(0..<3) * Matrix<Double>.ones(3, 5)   // rank 1
        let model = try KernelPCA<Double>(kernel: .linear).fit(x)
        let expected = try Fixtures.vector("pca/kpca_zero_eigenvalues", as: Double.self)
        #expect(model.outputFeatures == expected.count)
        #expect(relativeDifference(model.eigenvalues, expected) < 1e-8)
        let kept = try KernelPCA<Double>(kernel: .linear, components: 3).fit(x)
        #expect(kept.outputFeatures == 3 && kept.eigenvalues[1] == 0 && kept.eigenvalues[2] == 0)
        let removed = try KernelPCA<Double>(kernel: .linear, components: 3, removeZeroEigenvalues: true).fit(x)
        #expect(removed.outputFeatures == 1)
    }

    @Test("a linear kernel reproduces PCA's projections; Float works")
    func linearIsPCA() throws {
        let x = try Fixtures.matrix("pca/x", as: Double.self).rows(0..<80)
        let kpca = try KernelPCA<Double>(kernel: .linear, components: 4).fit(x)
        let pca = try PCA<Double>(components: 4).fit(x)
        #expect(errorUpToSign(try kpca.transform(x), try pca.transform(x)) < 1e-8)
        // Eigenvalues of the centred Gram are the squared singular values.
        #expect(relativeDifference(kpca.eigenvalues, pca.singularValues.map { $0 * $0 }) < 1e-10)
        let xf = try Fixtures.matrix("pca/xk", as: Float.self)
        let floatModel = try KernelPCA<Float>(kernel: .rbf(gamma: 0.2), components: 4).fit(xf)
        #expect(relativeDifference(floatModel.eigenvalues, try Fixtures.vector("pca/kpca_rbf_eigenvalues", as: Float.self)) < 1e-4)
        #expect(relativeError(try floatModel.transform(try Fixtures.matrix("pca/xk_new", as: Float.self)),
                              try Fixtures.matrix("pca/kpca_rbf_new", as: Float.self)) < 1e-3)
    }

    @Test("bad input throws clear errors")
    func badInput() throws {
        let x = try Fixtures.matrix("pca/xk", as: Double.self)
        #expect(throws: EstimatorError.tooFewSamples(method: "KernelPCA", samples: 3, needed: 4)) {
            try KernelPCA<Double>(kernel: .rbf(), components: 4).fit(x.rows(0..<3))
        }
        var bad = x
        bad[2, 1] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "KernelPCA", row: 2, column: 1)) { try KernelPCA<Double>(components: 2).fit(bad) }
        let model = try KernelPCA<Double>(kernel: .cosine, components: 2).fit(x)
        #expect(throws: EstimatorError.featureMismatch(method: "KernelPCA", expected: 5, got: 4)) { try model.transform(x.columns(0..<4)) }
        let data = try JSONEncoder().encode(model)
        #expect(try JSONDecoder().decode(KernelPCAModel<Double>.self, from: data) == model)
    }
}
