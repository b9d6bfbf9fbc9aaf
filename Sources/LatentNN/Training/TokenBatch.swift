import LatentCore

/// A batch of variable-length token sequences padded to one length, with its mask: what a
/// BERT- or GPT-style model consumes.
public struct TokenBatch: Sendable, Equatable {
    /// Token ids `(B, T)`, padding positions holding `padding`.
    public let tokens: IndexTensor
    /// Each sequence's real length (≤ T).
    public let lengths: [Int]
    /// The id used for padding.
    public let padding: Int

    /// Pads (and, beyond `maximumLength`, truncates) `sequences` to the longest one.
    public init(_ sequences: [[Int]], padding: Int = 0, maximumLength: Int? = nil) {
        let cut: [[Int]] = sequences.map { s in maximumLength.map { Array(s.prefix($0)) } ?? s }
        let t = cut.map(\.count).max() ?? 0
        tokens = IndexTensor(shape: [cut.count, t], storage: cut.flatMap { $0 + Array(repeating: padding, count: t - $0.count) })
        lengths = cut.map(\.count)
        self.padding = padding
    }

    /// `(B, T)`.
    public var shape: (batch: Int, length: Int) { (tokens.shape[0], tokens.shape[1]) }

    /// `keyPadding[b][t]` is `true` where position `t` of sequence `b` is padding (what
    /// `MultiHeadAttention` hides).
    public var keyPadding: [[Bool]] {
        lengths.map { l in (0..<shape.length).map { $0 >= l } }
    }

    /// The padding mask as a `(B, T)` tensor: 1 at padding, 0 at real tokens.
    public func paddingMask<S: BLASScalar>(as: S.Type = S.self) -> Tensor<S> {
        Tensor(shape: [shape.batch, shape.length], storage: keyPadding.flatMap { $0.map { $0 ? 1 : 0 } })
    }

    /// The tokens with padding replaced by `ignoreIndex` (targets for `Loss.crossEntropy(_:_:ignoreIndex:)`).
    public func targets(ignoreIndex: Int = -100) -> IndexTensor {
        IndexTensor(shape: tokens.shape, storage: zip(tokens.storage, keyPadding.flatMap { $0 }).map { $1 ? ignoreIndex : $0 })
    }
}
