import LatentCore
#if canImport(Glibc)
import Glibc
#endif

/// Conditional affinities `p_{j|i} = exp(−β_i·d_ij) / Σ_k exp(−β_i·d_ik)` over given squared
/// distances, with each precision `β_i = 1/(2σ_i²)` found by binary search so that the row's
/// perplexity `2^H(P_i)` equals the target (van der Maaten & Hinton 2008, §2).
///
/// Follows scikit-learn's `_binary_search_perplexity` step for step (natural-log entropy, start
/// β = 1, doubling/halving until bracketed then bisection, at most 100 steps, stop when
/// |H − log(perplexity)| ≤ 1e-5, a zero row sum replaced by 1e-8), in Double.
public enum PerplexityCalibration {
    /// The result for a set of rows: conditional probabilities (same layout as the distances) and β per row.
    public struct Result: Sendable {
        /// Conditional probabilities, `rows × width` row-major; each row sums to 1.
        public var probabilities: [Double]
        /// The calibrated precision β_i of each row (σ_i = √(1/(2β_i))).
        public var betas: [Double]
    }

    /// Calibrates every row of `squaredDistances` (`rows × width`, row-major) to `perplexity`.
    /// - Parameter skipDiagonal: when the rows are a full square distance matrix, entry (i, i) is
    ///   left out (probability 0), as in exact t-SNE.
    /// - Complexity: O(rows · width · steps), rows in parallel; each row is independent.
    public static func calibrate(squaredDistances: [Double], rows: Int, width: Int, perplexity: Double,
                                 skipDiagonal: Bool = false) -> Result {
        precondition(squaredDistances.count == rows * width,
                     "PerplexityCalibration: \(squaredDistances.count) distances for \(rows)×\(width)")
        var probabilities = [Double](repeating: 0, count: rows * width)
        var betas = [Double](repeating: 0, count: rows)
        let desiredEntropy = log(perplexity)
        squaredDistances.withUnsafeBufferPointer { dist in
            probabilities.withUnsafeMutableBufferPointer { prob in
                betas.withUnsafeMutableBufferPointer { beta in
                    let (dist, prob, beta) = (dist, prob, beta)
                    Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, 32768 / Swift.max(1, width))) { range in
                        for i in range {
                            let d = dist.baseAddress! + i * width
                            let p = prob.baseAddress! + i * width
                            beta[i] = calibrateRow(d, p, width: width, skip: skipDiagonal ? i : -1, desiredEntropy: desiredEntropy)
                        }
                    }
                }
            }
        }
        return Result(probabilities: probabilities, betas: betas)
    }

    @inline(__always)
    static func calibrateRow(_ d: UnsafePointer<Double>, _ p: UnsafeMutablePointer<Double>, width: Int, skip: Int,
                             desiredEntropy: Double) -> Double {
        var beta = 1.0, betaMin = -Double.infinity, betaMax = Double.infinity
        for _ in 0..<100 {
            var sum = 0.0
            for j in 0..<width where j != skip {
                p[j] = exp(-d[j] * beta)
                sum += p[j]
            }
            if sum == 0 { sum = 1e-8 }
            var weighted = 0.0
            for j in 0..<width where j != skip {
                p[j] /= sum
                weighted += d[j] * p[j]
            }
            let entropy = log(sum) + beta * weighted
            let diff = entropy - desiredEntropy
            if Swift.abs(diff) <= 1e-5 { break }
            if diff > 0 {
                betaMin = beta
                beta = betaMax == .infinity ? beta * 2 : (beta + betaMax) / 2
            } else {
                betaMax = beta
                beta = betaMin == -.infinity ? beta / 2 : (beta + betaMin) / 2
            }
        }
        return beta
    }
}

