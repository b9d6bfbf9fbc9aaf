import LatentCore
import LatentNN

/// What a language-model step consumes: input ids `(B, T)` and the id each position should
/// predict `(B, T)`, `ignoreIndex` where nothing is predicted (BERT's unchosen positions, padding,
/// the prompt part of an in-context sequence).
public struct LanguageModelBatch: Sendable, Equatable {
    /// Input token ids `(B, T)`.
    public let inputs: IndexTensor
    /// Target ids `(B, T)`, `ignoreIndex` where there is no target.
    public let targets: IndexTensor
    /// The target value that means "no target" (PyTorch's −100).
    public static let ignoreIndex = -100

    public init(inputs: IndexTensor, targets: IndexTensor) {
        precondition(inputs.rank == 2 && inputs.shape == targets.shape,
                     "LanguageModelBatch: inputs \(inputs.shape) and targets \(targets.shape) must be the same (B, T)")
        self.inputs = inputs
        self.targets = targets
    }

    /// Stacks equally long `(input, target)` rows.
    public init(rows: [(inputs: [Int], targets: [Int])]) {
        let t = rows.first?.inputs.count ?? 0
        precondition(rows.allSatisfy { $0.inputs.count == t && $0.targets.count == t }, "LanguageModelBatch: rows must have one length")
        self.init(inputs: IndexTensor(shape: [rows.count, t], storage: rows.flatMap(\.inputs)),
                  targets: IndexTensor(shape: [rows.count, t], storage: rows.flatMap(\.targets)))
    }

    /// `(B, T)`.
    public var shape: (batch: Int, length: Int) { (inputs.shape[0], inputs.shape[1]) }

    /// The number of positions with a target.
    public var targetCount: Int { targets.storage.reduce(0) { $0 + ($1 == Self.ignoreIndex ? 0 : 1) } }
}

/// Batch sources over one long stream of token ids (documents joined by an end-of-text token).
public enum TokenWindows {
    /// Training batches: each sample is the window of `length` ids at a random offset, drawn by
    /// the sample's own generator (seeded by `(seed, epoch, index)`), then turned into a row by
    /// `row` with that generator (e.g. BERT's masking). `stepsPerEpoch` batches of `batchSize`
    /// per epoch; the batches of an epoch depend only on `(seed, epoch)`.
    /// - Precondition: `tokens.count ≥ length`.
    public static func random(_ tokens: [Int], length: Int, batchSize: Int, stepsPerEpoch: Int, seed: UInt64,
                              row: @escaping @Sendable ([Int], inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]))
        -> DataPipeline<(inputs: [Int], targets: [Int]), LanguageModelBatch> {
        precondition(tokens.count >= length, "TokenWindows.random: \(tokens.count) tokens, a window needs \(length)")
        return DataPipeline(count: stepsPerEpoch * batchSize, batchSize: batchSize, shuffle: false, seed: seed,
                            sample: { _, rng in
                                let start = rng.integer(below: tokens.count - length + 1)
                                return row(Array(tokens[start..<(start + length)]), &rng)
                            },
                            collate: { LanguageModelBatch(rows: $0) })
    }

    /// Held-out batches: the consecutive windows `tokens[i·length ..< (i+1)·length]` for
    /// `i < count` (fewer when the tokens run out), each turned into a row by `row` with the
    /// generator of `(seed, epoch 0, i)` — the trainer evaluates epoch 0, so masks are fixed.
    public static func consecutive(_ tokens: [Int], length: Int, count: Int, batchSize: Int, seed: UInt64,
                                   row: @escaping @Sendable ([Int], inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]))
        -> DataPipeline<(inputs: [Int], targets: [Int]), LanguageModelBatch> {
        let n = Swift.min(count, tokens.count / length)
        return DataPipeline(count: n, batchSize: batchSize, shuffle: false, seed: seed,
                            sample: { i, rng in row(Array(tokens[(i * length)..<((i + 1) * length)]), &rng) },
                            collate: { LanguageModelBatch(rows: $0) })
    }

    /// GPT's row: inputs are the first `T` ids of a `T + 1` window, targets the last `T`.
    @Sendable public static func nextToken(_ window: [Int], _ rng: inout Xoshiro256StarStar) -> (inputs: [Int], targets: [Int]) {
        (Array(window.dropLast()), Array(window.dropFirst()))
    }
}
