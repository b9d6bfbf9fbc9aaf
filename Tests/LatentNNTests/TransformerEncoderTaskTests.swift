import Foundation
import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// A 2-layer transformer encoder over token ids with a padding mask: token embedding + learned
/// positions → two pre-LN blocks (dropout inside) → LayerNorm → mean over the real tokens → (B, D).
private final class TinyEncoder<Scalar: BLASScalar>: Module {
    let tokens: Embedding<Scalar>
    let positions: LearnedPositionalEmbedding<Scalar>
    let blocks: [TransformerBlock<Scalar>]
    let norm: LayerNorm<Scalar>

    init(vocabulary: Int, size: Int, heads: Int, maximumLength: Int, dropout: Double, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        tokens = Embedding(count: vocabulary, dimension: size, using: &rng)
        positions = LearnedPositionalEmbedding(maximumLength: maximumLength, dimension: size, using: &rng)
        blocks = (0..<2).map { _ in TransformerBlock(modelSize: size, heads: heads, dropout: dropout, using: &rng) }
        norm = LayerNorm(size)
        seedRandomStreams(seed)               // each block's dropout its own stream
    }

    /// `(B, D)`: the mean of the final states over each sequence's real tokens.
    func callAsFunction(_ batch: TokenBatch) -> Tensor<Scalar> {
        let (b, t) = batch.shape
        var h = positions(tokens(batch.tokens))                                     // (B, T, D)
        for block in blocks { h = block(h, keyPadding: batch.keyPadding) }
        let keep = 1 - batch.paddingMask(as: Scalar.self).reshaped([b, t, 1])        // (B, T, 1)
        let lengths = Tensor<Scalar>(shape: [b, 1], storage: batch.lengths.map { Scalar($0) })
        return (norm(h) * keep).sum(alongAxis: 1) / lengths                         // (B, D)
    }
}

/// SimCLR-style contrastive task on two views of each token sequence (NT-Xent, Chen et al. 2020).
private final class ContrastiveTokens<Scalar: BLASScalar>: TrainingTask {
    let encoder: TinyEncoder<Scalar>
    var model: any Module<Scalar> { encoder }
    init(_ encoder: TinyEncoder<Scalar>) { self.encoder = encoder }

    func loss(_ views: (TokenBatch, TokenBatch)) -> Tensor<Scalar> {
        Loss.ntXent(encoder(views.0), encoder(views.1), temperature: 0.5)
    }

    func metrics(_ views: (TokenBatch, TokenBatch)) -> Metrics {
        let a = encoder(views.0), b = encoder(views.1)
        let n = views.0.lengths.count
        let similarity = Tensor.cosineSimilarity(a, b).storage.reduce(0) { $0 + Double($1) }
        return Metrics(["loss": Double(Loss.ntXent(a, b, temperature: 0.5).item) * Double(n), "similarity": similarity], count: n)
    }
}

/// 40 token sequences of 3…8 ids from a vocabulary of 12 (id 0 is padding).
private let corpus: [[Int]] = {
    var rng = Xoshiro256StarStar(seed: 77)
    return (0..<40).map { _ in (0..<(3 + rng.integer(below: 6))).map { _ in 1 + rng.integer(below: 11) } }
}()

/// Two augmented views per sequence: each token dropped with probability 0.2 (at least two kept).
private func views(seed: UInt64, threads: Int, prefetch: Int, batchSize: Int = 8, count: Int = 40) -> DataPipeline<[[Int]], (TokenBatch, TokenBatch)> {
    DataPipeline(count: count, batchSize: batchSize, dropLast: true, seed: seed, threads: threads, prefetch: prefetch,
                 sample: DataPipeline<[[Int]], (TokenBatch, TokenBatch)>.views(2) { i, rng in
                     let kept = corpus[i].filter { _ in rng.uniform() >= 0.2 }
                     return kept.count >= 2 ? kept : Array(corpus[i].prefix(2))
                 },
                 collate: { pairs in (TokenBatch(pairs.map { $0[0] }), TokenBatch(pairs.map { $0[1] })) })
}

@Suite("A transformer encoder trained by a TrainingTask on two-view token batches")
struct TransformerEncoderTaskTests {
    private func trainer(_ encoder: TinyEncoder<Float>, checkpoint: URL?) -> Trainer<ContrastiveTokens<Float>> {
        let optimizer = Adam.adamW(groups: encoder.parameterGroups(weightDecay: 0.1), learningRate: 3e-3)
        return Trainer(task: ContrastiveTokens(encoder), optimizer: optimizer, seed: 5,
                       schedule: .cosine(base: 3e-3, totalSteps: 20, warmupSteps: 2), checkpoint: checkpoint)
    }

    private func encoder(seed: UInt64) -> TinyEncoder<Float> {
        TinyEncoder(vocabulary: 12, size: 16, heads: 2, maximumLength: 8, dropout: 0.1, seed: seed)
    }

    @Test func trainsAndResumesBitForBit() throws {
        let data = views(seed: 5, threads: 2, prefetch: 2)
        let straight = encoder(seed: 3)
        let reports = try trainer(straight, checkpoint: nil).fit(data, evaluation: views(seed: 6, threads: 1, prefetch: 0), epochs: 4)
        #expect(reports.map(\.step) == [5, 10, 15, 20])
        #expect(reports.allSatisfy { $0.trainingLoss.isFinite && ($0.evaluation?["similarity"].map { $0 > -1 && $0 < 1 } ?? false) })
        #expect(reports.last!.trainingLoss < reports.first!.trainingLoss)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-encoder-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let first = encoder(seed: 3)
        try trainer(first, checkpoint: url).fit(views(seed: 5, threads: 1, prefetch: 0), epochs: 2)   // other threads: same batches
        #expect(try SafeTensors.read(url).metadata["generator.model.blocks.1.dropout"] != nil)
        let resumed = encoder(seed: 99)                     // other weights and dropout streams until resumed
        let t = trainer(resumed, checkpoint: url)
        try t.resume()
        try t.fit(data, epochs: 4)
        for (a, b) in zip(straight.namedTensors(), resumed.namedTensors()) {
            #expect(a.name == b.name)
            #expect(a.tensor.storage.map(\.bitPattern) == b.tensor.storage.map(\.bitPattern), "\(a.name) differs after resuming")
        }
        #expect(straight.stochasticModules().map(\.module.generator) == resumed.stochasticModules().map(\.module.generator))
    }

    @Test func gradientsOfTheWholeModelPassTheFiniteDifferenceCheck() throws {
        let model = TinyEncoder<Double>(vocabulary: 12, size: 4, heads: 2, maximumLength: 8, dropout: 0.2, seed: 4)
        var batch: (TokenBatch, TokenBatch)?
        try views(seed: 8, threads: 1, prefetch: 0, batchSize: 3, count: 6).forEachBatch(epoch: 0) { if batch == nil { batch = $0 } }
        #expect(batch!.0.lengths.contains { $0 < batch!.0.shape.length })     // some padding to mask
        let task = ContrastiveTokens(model)
        let named = model.namedParameters
        #expect(named.count == 2 + 2 * 16 + 2)          // embeddings, 2 × (2 norms, 4 projections, MLP), final norm
        let result = GradientCheck.check(named.map(\.tensor)) { _ in
            model.seedRandomStreams(11)                    // the same dropout masks in every evaluation
            return task.loss(batch!)
        }
        for (i, (name, _)) in named.enumerated() {
            if name.hasSuffix("attention.key.bias") {
                // softmax ignores a shift shared by all keys, so q·b_k cancels: the gradient is 0 in
                // both (relative error is meaningless there)
                #expect((result.analytic[i] + result.numeric[i]).allSatisfy { Swift.abs($0) < 1e-8 }, "\(name)")
            } else {
                #expect(result.relativeErrors[i] < 1e-6, "\(name): relative error \(result.relativeErrors[i])")
            }
        }
    }
}
