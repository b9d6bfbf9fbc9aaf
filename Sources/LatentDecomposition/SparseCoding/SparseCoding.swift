import LatentCore

/// The batched driver behind `SparseCoder`: one GEMM for the correlations `C = X·Dᵀ` of all samples,
/// then an independent per-sample solver on the Gram matrix `G = D·Dᵀ`, the samples split over
/// threads with `Parallel.forEachChunk` (each chunk owns one preallocated workspace).
enum SparseCoding {
    /// Codes of every row of `x` (n × features) against `dictionary` (atoms × features): n × atoms.
    /// `gram` is `D·Dᵀ`; `lipschitz` its largest eigenvalue (only ISTA/FISTA read it); `initial`
    /// warm-starts the iterative solvers (lasso CD, ISTA, FISTA) and is ignored by the others.
    /// - Complexity: O(n·atoms·features) for the GEMM plus the per-sample solves.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func encode<S: BLASScalar>(_ x: Matrix<S>, dictionary: Matrix<S>, gram: Matrix<S>,
                                      algorithm: SparseCodingAlgorithm, positive: Bool, lipschitz: S,
                                      initial: Matrix<S>? = nil) -> Matrix<S> {
        encodeWithCorrelations(x, dictionary: dictionary, gram: gram, algorithm: algorithm, positive: positive,
                               lipschitz: lipschitz, initial: initial).codes
    }

    /// `encode`, also returning the correlations `C = X·Dᵀ` (n × atoms) it computed on the way.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func encodeWithCorrelations<S: BLASScalar>(_ x: Matrix<S>, dictionary: Matrix<S>, gram: Matrix<S>,
                                                      algorithm: SparseCodingAlgorithm, positive: Bool, lipschitz: S,
                                                      initial: Matrix<S>? = nil) -> (codes: Matrix<S>, correlations: Matrix<S>) {
        let n = x.rows, k = dictionary.rows, d = x.columns
        precondition(dictionary.columns == d, "sparse coding: x is \(x.shapeDescription), dictionary is \(dictionary.shapeDescription)")
        precondition(gram.rows == k && gram.columns == k, "sparse coding: Gram is \(gram.shapeDescription), need \(k)×\(k)")
        let cov = Matrix.gemm(x, dictionary, transposeB: true)            // n × k: row i is D·xᵢ
        if case let .threshold(alpha) = algorithm {
            let a = S(alpha)
            let codes = cov.map { v in
                let m = abs(v) - a
                let s: S = m > 0 ? (v < 0 ? -m : m) : 0
                return positive && s < 0 ? 0 : s
            }
            return (codes, cov)
        }
        var codes: Matrix<S>
        if let initial {
            precondition(initial.rows == n && initial.columns == k, "sparse coding: initial codes are \(initial.shapeDescription), need \(n)×\(k)")
            codes = initial
        } else {
            codes = .zeros(n, k)
        }
        guard n > 0, k > 0 else { return (codes, cov) }
        // ‖xᵢ‖², needed by OMP with a tolerance and by the duality gap of coordinate descent.
        var norms = [S](repeating: 0, count: n)
        x.storage.withUnsafeBufferPointer { px in
            for i in 0..<n {
                var s: S = 0
                let row = px.baseAddress! + i * d
                for j in 0..<d { s += row[j] * row[j] }
                norms[i] = s
            }
        }
        gram.storage.withUnsafeBufferPointer { pg in
            cov.storage.withUnsafeBufferPointer { pc in
                codes.storage.withUnsafeMutableBufferPointer { pz in
                    norms.withUnsafeBufferPointer { pn in
                        let g = pg.baseAddress!, c = pc.baseAddress!, z = pz.baseAddress!, nrm = pn.baseAddress!
                        Parallel.forEachChunk(count: n, minimumPerThread: 8) { range in
                            let ws = SparseCodingWorkspace<S>(atoms: k)
                            defer { ws.deallocate() }
                            for i in range {
                                encodeOne(gram: g, atoms: k, cov: c + i * k, normSquared: nrm[i], features: d,
                                          algorithm: algorithm, positive: positive, lipschitz: lipschitz,
                                          code: z + i * k, workspace: ws)
                            }
                        }
                    }
                }
            }
        }
        return (codes, cov)
    }

    /// Dispatches one sample to its solver.
    @inline(__always)
    static func encodeOne<S: BLASScalar>(gram g: UnsafePointer<S>, atoms k: Int, cov c: UnsafePointer<S>, normSquared: S,
                                         features d: Int, algorithm: SparseCodingAlgorithm, positive: Bool, lipschitz: S,
                                         code z: UnsafeMutablePointer<S>, workspace ws: SparseCodingWorkspace<S>) {
        switch algorithm {
        case let .omp(nonzeros):
            OrthogonalMatchingPursuit.encode(gram: g, atoms: k, cov: c, maxAtoms: nonzeros, squaredResidual: nil,
                                             normSquared: normSquared, code: z, workspace: ws)
        case let .ompTolerance(tol):
            OrthogonalMatchingPursuit.encode(gram: g, atoms: k, cov: c, maxAtoms: k, squaredResidual: S(tol),
                                             normSquared: normSquared, code: z, workspace: ws)
        case let .lars(nonzeros):
            LARS.encode(gram: g, atoms: k, cov: c, lasso: false, alphaMin: 0, maxIterations: nonzeros,
                        positive: positive, scale: S(d), code: z, workspace: ws)
        case let .lassoLARS(alpha, maxIterations):
            LARS.encode(gram: g, atoms: k, cov: c, lasso: true, alphaMin: S(alpha), maxIterations: maxIterations,
                        positive: positive, scale: S(d), code: z, workspace: ws)
        case let .lassoCD(alpha, maxIterations, tolerance):
            LassoCoordinateDescent.encode(gram: g, atoms: k, cov: c, alpha: S(alpha), maxIterations: maxIterations,
                                          tolerance: S(tolerance), positive: positive, normSquared: normSquared,
                                          code: z, workspace: ws)
        case let .ista(alpha, maxIterations, tolerance), let .fista(alpha, maxIterations, tolerance):
            var accelerated = false
            if case .fista = algorithm { accelerated = true }
            ISTA.encode(gram: g, atoms: k, cov: c, alpha: S(alpha), lipschitz: lipschitz, accelerated: accelerated,
                        maxIterations: maxIterations, tolerance: S(tolerance), positive: positive, code: z, workspace: ws)
        case .threshold:
            preconditionFailure("threshold is handled without a per-sample solver")
        }
    }

    /// `½‖X − Z·D‖²_F + alpha·‖Z‖₁`, the dictionary-learning objective (scikit-learn's cost).
    /// - Complexity: one GEMM, O(n·atoms·features).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func objective<S: BLASScalar>(_ x: Matrix<S>, codes: Matrix<S>, dictionary: Matrix<S>, alpha: Double) -> Double {
        var residual = x
        Matrix.gemm(codes, dictionary, into: &residual, alpha: -1, beta: 1)
        var squares = 0.0, l1 = 0.0
        residual.storage.withUnsafeBufferPointer { p in
            for v in p { squares += Double(v * v) }
        }
        codes.storage.withUnsafeBufferPointer { p in
            for v in p { l1 += Double(abs(v)) }
        }
        return 0.5 * squares + alpha * l1
    }
}
