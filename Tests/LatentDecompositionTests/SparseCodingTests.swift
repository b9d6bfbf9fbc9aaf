import LatentCore
import LatentDecomposition
import LatentTestSupport
import Testing

/// Sparse codes against a fixed dictionary, checked against scikit-learn's `sparse_encode`
/// (fixtures from `scripts/fixtures/sparse.py`).
@Suite("Sparse coding")
struct SparseCodingTests {
    let dictionary: Matrix<Double>
    let x: Matrix<Double>

    init() throws {
        dictionary = try Fixtures.matrix("sparse/dictionary")
        x = try Fixtures.matrix("sparse/x")
    }

    func codes(_ algorithm: SparseCodingAlgorithm, positive: Bool = false) throws -> Matrix<Double> {
        try SparseCoder(dictionary: dictionary, algorithm: algorithm, positive: positive).encode(x)
    }

    /// Per-sample lasso objective `½‖x − zD‖² + alpha‖z‖₁`.
    func lassoObjective(_ z: Matrix<Double>, alpha: Double) -> [Double] {
        let r = x - z * dictionary
        return (0..<x.rows).map { i in
            0.5 * r.row(i).reduce(0) { $0 + $1 * $1 } + alpha * z.row(i).reduce(0) { $0 + abs($1) }
        }
    }

    @Test("OMP with a target sparsity equals orthogonal_mp_gram")
    func omp() throws {
        let z = try codes(.omp(nonzeros: 3))
        #expect(maxAbsDifference(z, try Fixtures.matrix("sparse/omp_3")) < 1e-6)
        for i in 0..<z.rows { #expect(z.row(i).filter { $0 != 0 }.count == 3) }
    }

    @Test("OMP with a residual tolerance equals orthogonal_mp_gram(tol:) and meets the tolerance")
    func ompTolerance() throws {
        let z = try codes(.ompTolerance(squaredResidual: 0.2))
        #expect(maxAbsDifference(z, try Fixtures.matrix("sparse/omp_tol_02")) < 1e-6)
        let r = x - z * dictionary
        for i in 0..<x.rows { #expect(r.row(i).reduce(0) { $0 + $1 * $1 } <= 0.2 + 1e-9) }
    }

    @Test("LARS with a nonzero count equals Lars(n_nonzero_coefs:)")
    func lars() throws {
        let z = try codes(.lars(nonzeros: 4))
        #expect(maxAbsDifference(z, try Fixtures.matrix("sparse/lars_4")) < 1e-6)
    }

    @Test("LARS-lasso and coordinate descent equal scikit-learn's lasso codes", arguments: ["005", "03"])
    func lasso(tag: String) throws {
        let alpha = tag == "005" ? 0.05 : 0.3
        let lassoLARS = try Fixtures.matrix("sparse/lasso_lars_\(tag)", as: Double.self)
        let lassoCD = try Fixtures.matrix("sparse/lasso_cd_\(tag)", as: Double.self)
        let ours = try codes(.lassoLARS(alpha: alpha))
        #expect(maxAbsDifference(ours, lassoLARS) < 1e-6)
        let cd = try codes(.lassoCD(alpha: alpha, maxIterations: 100_000, tolerance: 1e-14))
        #expect(maxAbsDifference(cd, lassoCD) < 1e-6)
        #expect(maxAbsDifference(cd, lassoLARS) < 1e-6)
    }

    @Test("Non-negative lasso codes equal scikit-learn's and are ≥ 0", arguments: ["005", "03"])
    func positiveLasso(tag: String) throws {
        let alpha = tag == "005" ? 0.05 : 0.3
        let reference = try Fixtures.matrix("sparse/lasso_cd_\(tag)_positive", as: Double.self)
        let cd = try codes(.lassoCD(alpha: alpha, maxIterations: 100_000, tolerance: 1e-14), positive: true)
        #expect(maxAbsDifference(cd, reference) < 1e-6)
        let lars = try codes(.lassoLARS(alpha: alpha), positive: true)
        #expect(lars.storage.allSatisfy { $0 >= 0 } && cd.storage.allSatisfy { $0 >= 0 })
        #expect(maxAbsDifference(lars, reference) < 1e-6)
        // scikit-learn's positive LassoLars stops short of the optimum on some samples (it
        // interpolates towards the largest *inactive* correlation); ours is never worse.
        let sklearnLARS = try Fixtures.matrix("sparse/lasso_lars_\(tag)_positive", as: Double.self)
        for (a, b) in zip(lassoObjective(lars, alpha: alpha), lassoObjective(sklearnLARS, alpha: alpha)) { #expect(a <= b + 1e-12) }
    }

    @Test("Soft thresholding equals sparse_encode(algorithm: threshold)")
    func threshold() throws {
        #expect(maxAbsDifference(try codes(.threshold(alpha: 0.3)), try Fixtures.matrix("sparse/threshold_03")) < 1e-12)
        #expect(maxAbsDifference(try codes(.threshold(alpha: 0.3), positive: true),
                                 try Fixtures.matrix("sparse/threshold_03_positive")) < 1e-12)
    }

    @Test("FISTA and ISTA converge to the lasso solution, also non-negative")
    func fista() throws {
        for positive in [false, true] {
            let reference = try codes(.lassoCD(alpha: 0.3, tolerance: 1e-14), positive: positive)
            let fista = try codes(.fista(alpha: 0.3, maxIterations: 20000, tolerance: 1e-12), positive: positive)
            #expect(maxAbsDifference(fista, reference) < 1e-6)
            let ista = try codes(.ista(alpha: 0.3, maxIterations: 50000, tolerance: 1e-13), positive: positive)
            #expect(maxAbsDifference(ista, reference) < 1e-5)
            let gap = zip(lassoObjective(fista, alpha: 0.3), lassoObjective(reference, alpha: 0.3)).map { $0 - $1 }
            #expect(gap.allSatisfy { abs($0) < 1e-9 })
        }
    }

    @Test("Float codes agree with Double codes")
    func float() throws {
        let d = Matrix<Float>(rows: dictionary.rows, columns: dictionary.columns, storage: dictionary.storage.map(Float.init))
        let xf = Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map(Float.init))
        for algorithm in [SparseCodingAlgorithm.omp(nonzeros: 3), .lassoLARS(alpha: 0.3), .lassoCD(alpha: 0.3), .fista(alpha: 0.3)] {
            let zf = try SparseCoder(dictionary: d, algorithm: algorithm).encode(xf)
            let zd = try codes(algorithm)
            #expect(maxAbsDifference(zf.storage.map(Double.init), zd.storage) < 1e-3, "\(algorithm)")
        }
    }

    @Test("Warm-started coordinate descent and a large batch coded in parallel give the same codes")
    func warmStartAndParallel() throws {
        let coder = try SparseCoder(dictionary: dictionary, algorithm: .lassoCD(alpha: 0.3, tolerance: 1e-14))
        let cold = try coder.encode(x)
        let warm = try coder.encode(x, initialCodes: cold + 0.01)
        #expect(maxAbsDifference(warm, cold) < 1e-8)
        let big = Matrix.vstack(Array(repeating: x, count: 40))   // 320 samples: several threads
        let lars = try SparseCoder(dictionary: dictionary, algorithm: .lassoLARS(alpha: 0.3))
        let zBig = try lars.encode(big), z = try lars.encode(x)
        #expect(maxAbsDifference(zBig, Matrix.vstack(Array(repeating: z, count: 40))) == 0)
    }

    @Test("Bad input and parameters throw EstimatorError")
    func errors() throws {
        #expect(throws: EstimatorError.self) { try SparseCoder(dictionary: dictionary, algorithm: .omp(nonzeros: 0)) }
        #expect(throws: EstimatorError.self) { try SparseCoder(dictionary: dictionary, algorithm: .omp(nonzeros: 16)) }
        #expect(throws: EstimatorError.self) { try SparseCoder(dictionary: dictionary, algorithm: .lassoCD(alpha: -1)) }
        #expect(throws: EstimatorError.self) { try SparseCoder(dictionary: dictionary, algorithm: .fista(alpha: .nan)) }
        #expect(throws: EstimatorError.self) { try SparseCoder(dictionary: dictionary, algorithm: .omp(nonzeros: 2), positive: true) }
        #expect(throws: EstimatorError.self) { try SparseCoder(dictionary: dictionary, algorithm: .lars(nonzeros: 2), positive: true) }
        let coder = try SparseCoder(dictionary: dictionary, algorithm: .lassoLARS(alpha: 0.1))
        #expect(throws: EstimatorError.featureMismatch(method: "SparseCoder", expected: 10, got: 9)) {
            try coder.encode(.zeros(3, 9))
        }
        var bad = x
        bad[2, 4] = .nan
        #expect(throws: EstimatorError.nonFinite(method: "SparseCoder", row: 2, column: 4)) { try coder.encode(bad) }
    }
}
