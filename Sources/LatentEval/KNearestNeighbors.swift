import LatentCore

/// k-nearest-neighbour classification by cosine similarity, the monitor of contrastive training.
///
/// Train and query rows are L2-normalised (zero rows stay zero), similarities are `Q·Xᵀ` computed
/// by GEMM on chunks of `chunkSize` query rows (so memory is `chunkSize × n_train`, never
/// `n_query × n_train`), and the `k` most similar training rows vote for their class:
/// - `.uniform`: one vote each;
/// - `.temperature(τ)`: weight `exp(sᵢⱼ / τ)`, summed per class (Wu et al., "Unsupervised Feature
///   Learning via Non-Parametric Instance Discrimination", CVPR 2018; the DINO kNN monitor of
///   Caron et al. 2021 uses τ = 0.07, k = 20).
///
/// Equal similarities are ordered by training index; equal votes go to the smaller label.
/// - Complexity: O(n_query · n_train · d) for the GEMMs plus O(n_query · n_train · log k) for
///   the selection, parallel over query rows.
public struct KNearestNeighbors: Sendable, Equatable, Codable {
    /// How neighbours' votes are weighted.
    public enum Weighting: Sendable, Equatable, Codable {
        /// One vote per neighbour.
        case uniform
        /// `exp(similarity / τ)` per neighbour, `τ > 0`.
        case temperature(Double)
    }

    /// Neighbours per query (default 20).
    public var k: Int
    /// Vote weighting (default `.temperature(0.07)`, as DINO).
    public var weighting: Weighting
    /// Query rows per similarity block (default 1024).
    public var chunkSize: Int

    /// A classifier with the given neighbour count and weighting.
    public init(k: Int = 20, weighting: Weighting = .temperature(0.07), chunkSize: Int = 1024) {
        self.k = k
        self.weighting = weighting
        self.chunkSize = chunkSize
    }

    /// The predicted label of each query row.
    /// - Parameters:
    ///   - trainFeatures: n_train × d reference rows; `trainLabels`: their n_train labels.
    ///   - queries: n_query × d rows to classify.
    /// - Throws: `EstimatorError` when `k` is not in `1...n_train`, `τ ≤ 0`, or data is non-finite.
    public func predict<Scalar: BLASScalar>(trainFeatures: Matrix<Scalar>, trainLabels: [Int], queries: Matrix<Scalar>) throws -> [Int] {
        let method = "KNearestNeighbors"
        precondition(trainFeatures.rows == trainLabels.count, "\(method): \(trainFeatures.rows) training rows, \(trainLabels.count) labels")
        precondition(trainFeatures.columns == queries.columns, "\(method): train \(trainFeatures.shapeDescription), queries \(queries.shapeDescription)")
        guard k >= 1 && k <= trainFeatures.rows else {
            throw EstimatorError.invalidParameter(method: method, name: "k", reason: "must be in 1...\(trainFeatures.rows), got \(k)")
        }
        guard chunkSize >= 1 else { throw EstimatorError.invalidParameter(method: method, name: "chunkSize", reason: "must be positive, got \(chunkSize)") }
        if case let .temperature(tau) = weighting, !(tau > 0) {
            throw EstimatorError.invalidParameter(method: method, name: "temperature", reason: "must be positive, got \(tau)")
        }
        try trainFeatures.requireFiniteInput(for: method)
        try queries.requireFiniteInput(for: method)
        let index = ClassIndex(trainLabels)
        let target = try index.indices(of: trainLabels, method: method)
        let classCount = index.classes.count
        let train = trainFeatures.rowNormalized()
        let normalised = queries.rowNormalized()
        let n = train.rows
        var predictions = [Int](repeating: 0, count: queries.rows)
        var start = 0
        while start < queries.rows {
            let end = Swift.min(queries.rows, start + chunkSize)
            let block = Matrix.gemm(normalised.rows(start..<end), train, transposeB: true)   // (chunk × n_train)
            block.storage.withUnsafeBufferPointer { s in
                predictions.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(count: end - start, minimumPerThread: 16) { rows in
                        var top = SmallestK<Scalar>(capacity: k)   // similarities, negated
                        var votes = [Double](repeating: 0, count: classCount)
                        for r in rows {
                            top.removeAll()
                            for j in 0..<n { top.offer(-s[r * n + j], index: j) }
                            for c in 0..<classCount { votes[c] = 0 }
                            for (negated, j) in top.sorted() {
                                switch weighting {
                                case .uniform: votes[target[j]] += 1
                                case let .temperature(tau): votes[target[j]] += Double.exp(-Double(negated) / tau)
                                }
                            }
                            var best = 0
                            for c in 1..<Swift.max(1, classCount) where votes[c] > votes[best] { best = c }
                            out[start + r] = index.classes[best]
                        }
                    }
                }
            }
            start = end
        }
        return predictions
    }

    /// The fraction of query rows whose predicted label equals `queryLabels`.
    public func accuracy<Scalar: BLASScalar>(trainFeatures: Matrix<Scalar>, trainLabels: [Int], queries: Matrix<Scalar>,
                                             queryLabels: [Int]) throws -> Double {
        precondition(queries.rows == queryLabels.count, "KNearestNeighbors: \(queries.rows) queries, \(queryLabels.count) labels")
        let predicted = try predict(trainFeatures: trainFeatures, trainLabels: trainLabels, queries: queries)
        guard !predicted.isEmpty else { return 0 }
        return Double(zip(predicted, queryLabels).filter { $0 == $1 }.count) / Double(predicted.count)
    }
}
