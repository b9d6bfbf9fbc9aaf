import Testing
import LatentCore
import LatentDecomposition
import LatentTestSupport

/// n samples near a 3-dimensional subspace of R^10 (standard deviations 3, 2, 1.5 along it, 0.1
/// isotropic noise, offset mean): a clear gap between the 3rd and 4th variance (2.25 vs 0.01).
private func lowRankData<S: BLASScalar>(_ n: Int = 400, seed: UInt64 = 1, as: S.Type = S.self) throws -> Matrix<S> {
    var rng = Xoshiro256StarStar(seed: seed)
    let basis = try Matrix<S>.randomNormal(10, 3, using: &rng).qr().q          // 10 × 3, orthonormal columns
    let latent = Matrix<S>.randomNormal(n, 3, using: &rng).multiplying(row: [3, 2, 1.5])
    let noise = Matrix<S>.randomNormal(n, 10, standardDeviation: 0.1, using: &rng)
    let offset = (0..<10).map { S($0) - 4 }
    return (latent.matmul(basis, transposeB: true) + noise).adding(row: offset)
}

/// The principal subspace of `x`: the top-k right singular vectors of the centred data (d × k).
private func principalBasis<S: BLASScalar>(_ x: Matrix<S>, _ k: Int) throws -> Matrix<S> {
    try x.centered().centered.svd().vt.rows(0..<k).transposed
}

/// The largest principal angle (radians) between the column spans of `a` and `b` (both d × k):
/// `acos` of the smallest singular value of Q_aᵀ Q_b, with Q from QR.
private func largestPrincipalAngle<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) throws -> Double {
    let cosines = try a.qr().q.matmul(b.qr().q, transposeSelf: true).singularValues()
    return Double.acos(Swift.min(1, Double(cosines.min()!)))
}

@Suite struct LinearAutoencoderTests {
    @Test func gradientDescentFindsThePrincipalSubspace() throws {
        let x: Matrix<Double> = try lowRankData()
        // Default optimizer: full-batch momentum descent. The encoder converges more slowly than the
        // decoder: its components along the noise directions only feel the small noise variance.
        let model = try LinearAutoencoder<Double>(components: 3, epochs: 8000, tolerance: 0, seed: 2).fit(x)
        let pca = try principalBasis(x, 3)
        let decoderAngle = try largestPrincipalAngle(model.decoder, pca)
        let encoderAngle = try largestPrincipalAngle(model.encoder.transposed, pca)
        #expect(decoderAngle < 1e-2, "decoder angle \(decoderAngle)")
        #expect(encoderAngle < 1e-2, "encoder angle \(encoderAngle)")

        let loss = model.report.objective
        #expect(loss.count == 8000)
        #expect(zip(loss.dropFirst(100), loss.dropFirst(101)).allSatisfy { $1 <= $0 }, "loss keeps falling after the first 100 epochs")
        #expect(loss.last! < 0.01 * loss.first!)
        // The optimum is the energy outside the top 3 directions: Σ_{i>3} σᵢ² / n.
        let s = try x.centered().centered.singularValues()
        let optimum = s[3...].reduce(0) { $0 + $1 * $1 } / Double(x.rows)
        #expect(Swift.abs(try model.reconstructionError(x) - optimum) < 1e-3 * optimum + 1e-6)
    }

    @Test func closedFormIsTheSVDSolution() throws {
        let x: Matrix<Double> = try lowRankData(seed: 3)
        let model = try LinearAutoencoder<Double>(components: 3, method: .closedForm).fit(x)
        let pca = try principalBasis(x, 3)
        #expect(try largestPrincipalAngle(model.decoder, pca) < 1e-7)
        #expect(maxAbsDifference(model.encoder, model.decoder.transposed) == 0)
        #expect(maxAbsDifference(model.encoder.matmul(model.encoder, transposeB: true), .identity(3)) < 1e-12)
        #expect(maxAbsDifference(model.mean, x.mean(over: .rows)) < 1e-12)
        let s = try x.centered().centered.singularValues()
        let optimum = s[3...].reduce(0) { $0 + $1 * $1 } / Double(x.rows)
        #expect(Swift.abs(model.report.objective[0] - optimum) < 1e-9 * optimum)
        // transform then inverseTransform is the projection onto the mean-shifted subspace.
        let xHat = try model.inverseTransform(model.transform(x))
        let reconstructionLoss = (x - xHat).frobeniusNorm() * (x - xHat).frobeniusNorm() / Double(x.rows)
        #expect(Swift.abs(reconstructionLoss - optimum) < 1e-9 * optimum)
    }

    @Test func singlePrecisionMiniBatchTraining() throws {
        let x: Matrix<Float> = try lowRankData(seed: 4)
        let closed = try LinearAutoencoder<Float>(components: 3, method: .closedForm).fit(x)
        let model = try LinearAutoencoder<Float>(components: 3, optimizer: .adam(learningRate: 0.003), epochs: 300,
                                                 batchSize: 50, tolerance: 0, seed: 5).fit(x)
        #expect(try largestPrincipalAngle(model.decoder, closed.decoder) < 2e-2)
        #expect(model.report.objective.last! < 0.02 * model.report.objective.first!)
    }

    @Test func adamFindsTheDecoderSubspace() throws {
        let x: Matrix<Double> = try lowRankData(seed: 6)
        let model = try LinearAutoencoder<Double>(components: 3, optimizer: .adam(learningRate: 0.01), epochs: 3000,
                                                  tolerance: 0, seed: 7).fit(x)
        #expect(try largestPrincipalAngle(model.decoder, try principalBasis(x, 3)) < 1e-2)
    }

    @Test func toleranceStopsEarlyAndSaysSo() throws {
        let x: Matrix<Double> = try lowRankData(seed: 8)
        let model = try LinearAutoencoder<Double>(components: 3, epochs: 5000, tolerance: 1e-6, seed: 1).fit(x)
        #expect(model.report.converged && model.report.iterations < 5000)
        #expect(model.report.finalChange < 1e-6 && model.report.objective.count == model.report.iterations)
        let never = try LinearAutoencoder<Double>(components: 3, epochs: 10, tolerance: 1e-6, seed: 1).fit(x)
        #expect(!never.report.converged && never.report.iterations == 10)
    }

    @Test func scaleOfTheDataDoesNotMatter() throws {
        // The momentum step is learningRate / λ₁: scaling the data by 1000 gives the same weights.
        let x: Matrix<Double> = try lowRankData(100, seed: 10)
        let options = LinearAutoencoder<Double>(components: 2, epochs: 200, seed: 3)
        let (small, large) = (try options.fit(x), try options.fit(x * 1000))
        #expect(maxAbsDifference(small.decoder, large.decoder) < 1e-6)
    }

    @Test func sameSeedGivesIdenticalWeights() throws {
        let x: Matrix<Double> = try lowRankData(100)
        let options = LinearAutoencoder<Double>(components: 2, epochs: 20, batchSize: 30, seed: 9)
        let (a, b) = (try options.fit(x), try options.fit(x))
        #expect(a.encoder == b.encoder && a.decoder == b.decoder && a.report == b.report)
    }

    @Test func rejectsBadInput() throws {
        var x: Matrix<Double> = try lowRankData(20)
        #expect(throws: EstimatorError.invalidParameter(method: "LinearAutoencoder", name: "components",
                                                        reason: "11 exceeds the 10 features")) {
            try LinearAutoencoder<Double>(components: 11).fit(x)
        }
        #expect(throws: EstimatorError.self) { try LinearAutoencoder<Double>(components: 2, optimizer: .adam(learningRate: 0)).fit(x) }
        #expect(throws: EstimatorError.self) {
            try LinearAutoencoder<Double>(components: 2, optimizer: .momentum(learningRate: 10), epochs: 200).fit(x)
        }
        let model = try LinearAutoencoder<Double>(components: 2, method: .closedForm).fit(x)
        #expect(throws: EstimatorError.featureMismatch(method: "LinearAutoencoder", expected: 10, got: 3)) {
            try model.transform(.zeros(1, 3))
        }
        x[4, 5] = .infinity
        #expect(throws: EstimatorError.nonFinite(method: "LinearAutoencoder", row: 4, column: 5)) {
            try LinearAutoencoder<Double>(components: 2).fit(x)
        }
    }
}
