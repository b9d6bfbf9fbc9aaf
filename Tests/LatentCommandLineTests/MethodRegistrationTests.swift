import ArgumentParser
import Foundation
import LatentCore
import LatentExperiments
import LatentIO
import Testing
@testable import latent

/// A method defined here, in the test target, with one descriptor: `scale-by` multiplies every
/// feature by `factor` (and reconstructs exactly). Registered in the command line's registry, it is fitted by `latent fit`,
/// saved in a model file, embedded and inspected from that file, and run by a batch file — with
/// no other code anywhere.
private struct ScaledModel: Codable, Sendable {
    let factor: Double
    let features: Int
}

private let scaleBy = MethodDescriptor(
    name: "scale-by", summary: "every feature times a factor (a test's method)",
    parameters: [.double("factor", default: 2, min: 0.001, help: "the factor")],
    canReconstruct: true,
    format: .codable(ScaledModel.self, validate: { m in
        try ModelCheck.number("model.factor", m.factor)
        try ModelCheck.count("model.features", m.features, 1...1_000_000)
    }, wrap: fitted),
    columnPrefix: "s"
) { x, p, _ in fitted(ScaledModel(factor: p.double("factor"), features: x.columns)) }

private let fitted: @Sendable (ScaledModel) -> FittedModel = { m in
    var d = ModelDescription()
    d.field("factor", "factor", .number(m.factor))
    return FittedModel(inputFeatures: m.features, outputFeatures: m.features, transform: { $0 * m.factor }, reconstruct: { $0 },
                       description: d, state: m)
}

@Suite("A method registered from a test: one descriptor gives the CLI, model files, inspect and batches")
struct MethodRegistrationTests {
    static var registry: MethodRegistry {
        var r = MethodRegistry.standard
        r.register(scaleBy)
        return r
    }

    /// Parses `arguments` as the `latent` command line and runs the command in this process.
    func latent(_ arguments: [String]) throws {
        var command = try LatentCommand.parseAsRoot(arguments)
        try command.run()
    }

    @Test("latent fit, --save-model, embed, inspect and a batch all know the new method")
    func registeredEverywhere() throws {
        let s = try Scratch()
        let x = Matrix<Double>(rows: 6, columns: 3) { i, j in Double(i) - 0.5 * Double(j) }
        try NPY.write(x, to: URL(fileURLWithPath: s.path("x.npy")))
        try Methods.$registry.withValue(Self.registry) {
            // The CLI: flags from the descriptor, range-checked at parse time.
            #expect(FitMethodCommand.configuration.discussion.contains("--factor (number ≥ 0.001, default 2.0): the factor"))
            #expect(throws: (any Error).self) { try LatentCommand.parseAsRoot(["fit", "scale-by", s.path("x.npy"), "--factor", "-1"]) }
            try latent(["fit", "scale-by", s.path("x.npy"), "--factor", "3", "-o", s.path("z.npy"), "--save-model", s.path("m.json"), "-q"])
            let z: Matrix<Double> = try NPY.read(URL(fileURLWithPath: s.path("z.npy")))
            #expect(z == x * 3)

            // The model file: written by the method's format, read back, embedded, described.
            let file = try ModelFile.read(s.path("m.json"))
            #expect(file.method == "scale-by" && file.inputFeatures == 3 && [.int(3), .number(3)].contains(file.options["factor"]))
            #expect(try file.model.transform(x) == x * 3)
            try latent(["embed", "--model", s.path("m.json"), s.path("x.npy"), "-o", s.path("e.csv"), "-q"])
            #expect(try s.read("e.csv").hasPrefix("s1,s2,s3\n"))
            let summary = try InspectCommand.summary(of: s.path("m.json"))
            #expect(summary.fields["method"] == .string("scale-by") && summary.fields["factor"] == .number(3))

            // A batch file naming it, checked and run against the command line's catalog.
            let batch = try BatchFile.parse(yaml: """
                name: registered
                datasets:
                  - name: x
                    path: \(s.path("x.npy"))
                methods:
                  - method: scale-by
                    factor: [0.5, 4]
                evaluations: [explained-variance]
                """, path: s.path("b.yaml"), catalog: DistributedBatch.catalog)
            let store = try RunStore(path: s.path("runs.sqlite"))
            let result = try BatchRunner(store: store, catalog: DistributedBatch.catalog).run(batch)
            #expect(result.done == 2 && result.failed == 0)
            let runs = try store.runs()
            #expect(runs.map { $0.run.parameterValues.double("factor") }.sorted() == [0.5, 4])
            #expect(runs.allSatisfy { $0.metrics["explained-variance"] == 1 })
        }
        // Outside the scope the standard registry is back: the method is unknown again.
        #expect(Methods.registry["scale-by"] == nil)
    }
}
