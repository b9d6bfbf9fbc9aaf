import ArgumentParser
import Foundation
import Latent

/// `latent disentanglement`: scores a VAE trained on dSprites with the disentanglement_lib metrics.
struct DisentanglementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disentanglement",
        abstract: "Score a dSprites VAE: MIG, SAP, DCI, FactorVAE and β-VAE scores of its posterior means.",
        discussion: """
        MIG, SAP and DCI use --samples random dSprites images (SAP and DCI: 80% to fit their classifiers,
        20% to test); FactorVAE and β-VAE draw their own batches. Codes are the posterior means. All five
        factors count as discrete classes, as in disentanglement_lib's study: SAP is its discrete variant
        (linear SVMs on single codes), DCI uses gradient-boosted trees (--importance logistic: a cheaper
        logistic-regression importance model, not comparable with papers; see docs/autoencoders.md).
        """)

    enum Importance: String, ExpressibleByArgument, CaseIterable { case trees, logistic }

    @Option(help: "A VAE model file trained on dSprites (64 × 64 inputs).")
    var model: String
    @Option(parsing: .unconditional, help: "Images for MIG, SAP and DCI.")
    var samples: Int = 10_000
    @Option(parsing: .unconditional, help: "Votes (FactorVAE) and examples (β-VAE) for training; half as many for evaluation.")
    var votes: Int = 10_000
    @Option(parsing: .unconditional, help: "Images per vote or example.")
    var batchSize: Int = 64
    @Option(help: "DCI's importance model: trees (gradient-boosted, disentanglement_lib's) or logistic.")
    var importance: Importance = .trees
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        if samples < 10 { throw ValidationError("--samples must be at least 10, got \(samples)") }
        if votes < 2 { throw ValidationError("--votes must be at least 2, got \(votes)") }
        if batchSize < 2 { throw ValidationError("--batch-size must be at least 2, got \(batchSize)") }
    }

    func run() throws {
        global.apply()
        try Failures.guarded {
            let vae = try FittedVariationalAutoencoder<Float>.load(from: URL(fileURLWithPath: model))
            guard vae.inputSize == DSprites.imageSize * DSprites.imageSize else {
                throw Failure("\(model) takes \(vae.inputSize) features, not dSprites' 64 × 64 images")
            }
            guard vae.codeSize >= 2 else { throw Failure("\(model) has a \(vae.codeSize)-dimensional code; the metrics need at least 2") }
            let indices = DSprites.sample(samples, seed: global.seed)
            let truth = GroundTruth<Float>(factorSizes: DSprites.factorSizes) { rows in vae.encode(DSprites.images(rows.map(DSprites.index(of:)))) }
            // dSprites' shape factor is categorical and the others ordinal; all are class indices here
            let scores = try DisentanglementScores.compute(codes: vae.encode(DSprites.images(indices)), factors: indices.map { DSprites.factors(of: $0) },
                                                           truth: truth, votes: votes, batchSize: batchSize,
                                                           importance: importance == .trees ? .gradientBoostedTrees() : .logisticRegression(C: 1),
                                                           seed: global.seed).named
            for (name, value) in scores {
                guard value.isFinite else { throw Failure("\(name) is not finite") }
                print("\(name): \(format(value, 4))")
            }
        }
    }
}
