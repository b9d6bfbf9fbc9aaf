import Foundation
import LatentCore
import LatentDecomposition
import LatentIO
@testable import LatentExperiments

/// A fresh folder under the system's temporary folder, removed when the value is released.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-experiments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Writes a matrix as `.npy` and returns its path.
    @discardableResult
    func write(_ name: String, _ m: Matrix<Double>) throws -> String {
        try NPY.write(m, to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// A seeded 40 × 5 data matrix with a few dominant directions and a label column of 0/1/2 as column 5.
    func writeToyData(_ name: String = "toy.npy", rows: Int = 40) throws -> String {
        let z = Matrix<Double>.randomNormal(rows, 2, seed: 11)
        let mixing = Matrix<Double>([[3, 1, 0, 0.5, 0], [0, 2, 1, 0, 0.2]])
        let noise = Matrix<Double>.randomNormal(rows, 5, standardDeviation: 0.1, seed: 12)
        let x = Matrix.gemm(z, mixing) + noise
        let labels = Matrix<Double>(rows: rows, columns: 1) { i, _ in Double(i % 3) }
        return try write(name, Matrix.hstack([x, labels]))
    }
}

/// Test methods with predictable behaviour, for runner tests.
enum ToyMethods {
    /// `toy`: the identity map scaled by `scale`; metrics echo the seed; `fail: true` throws;
    /// optional hook runs inside fit (e.g. to set a stop flag).
    static func toy(hook: (@Sendable (UInt64) -> Void)? = nil) -> MethodDescriptor {
        MethodDescriptor(name: "toy", summary: "scaled identity (tests only)",
                   parameters: [.double("scale", default: 1, min: 0), .bool("fail", default: false),
                                .choice("mode", ["a", "b"], default: "a"), .int("width", default: 1, min: 1, max: 9)],
                   canReconstruct: true) { x, p, seed in
            hook?(seed)
            if p.bool("fail") {
                throw EstimatorError.invalidParameter(method: "toy", name: "fail", reason: "asked to fail")
            }
            let s = p.double("scale")
            return FittedModel(outputFeatures: x.columns,
                               transform: { $0 },
                               reconstruct: { $0 * s },
                               metrics: ["seed-echo": Double(seed), "scale-echo": s],
                               artifacts: ["scaled": x.rows(0..<2) * s])
        }
    }

    /// `encoder-only`: a method without reconstruction.
    static let encoderOnly = MethodDescriptor(name: "encoder-only", summary: "no decoder", parameters: [], canReconstruct: false) { x, _, _ in
        FittedModel(outputFeatures: x.columns, transform: { $0 })
    }

    /// The standard catalog plus the toy methods and a label-requiring evaluation.
    static func catalog(hook: (@Sendable (UInt64) -> Void)? = nil) -> ExperimentCatalog {
        var c = ExperimentCatalog.standard
        c.methods.register(toy(hook: hook))
        c.methods.register(encoderOnly)
        c.evaluations.register(EvaluationSpec(name: "label-count", summary: "number of distinct labels", requirements: [.labels]) { d, _ in
            ["label-count": Double(Set(d.labels ?? []).count)]
        })
        return c
    }
}
