import Foundation
import Testing
import LatentCore
import LatentNN
import LatentText
@testable import LatentModels

/// `FittedBERT.encode`: mean pooling of the encoder's final states over `[CLS] text [SEP]`.
@Suite("BERT sentence embeddings")
struct BERTSentenceEmbeddingTests {
    static let texts = ["the cat sat on the mat.", "a bird", "",
                        // longer than the context: cut to its first context − 2 tokens
                        String(repeating: "the dog ran to the park and back again. ", count: 6)]
    static let tokenizer = BPETrainer(vocabularySize: 300).train(texts)

    /// An untrained encoder in Double, with dropout (`encode` must switch it off).
    static func model() -> FittedBERT<Double> {
        let architecture = TransformerArchitecture(layers: 2, modelSize: 16, heads: 2, context: 12, dropout: 0.3, normFirst: false)
        let bert = BERT<Double>(architecture: architecture)
        return FittedBERT(configuration: bert, encoder: BERTEncoder(architecture: architecture, vocabularySize: tokenizer.vocabularySize, seed: 5),
                          tokenizer: tokenizer, history: [])
    }

    @Test func poolingIsTheMeanOfTheEncodersTokenStates() {
        let model = Self.model()
        let e = model.encode(Self.texts)
        #expect(e.rows == Self.texts.count && e.columns == 16)
        #expect(Self.tokenizer.encode(Self.texts[3]).count > model.sentenceTokenLimit && model.sentenceTokenLimit == 10)
        let (cls, sep) = (Self.tokenizer.id(of: "[CLS]")!, Self.tokenizer.id(of: "[SEP]")!)
        for (row, text) in Self.texts.enumerated() {
            // each text alone, framed and cut by hand, through the encoder's token states (1, T, 16)
            let ids = [cls] + Self.tokenizer.encode(text).prefix(10) + [sep]
            let h = withoutGradient { model.encoder.hiddenStates(IndexTensor(shape: [1, ids.count], storage: ids)) }
            for d in 0..<16 {
                let mean = (0..<ids.count).map { h.storage[$0 * 16 + d] }.reduce(0, +) / Double(ids.count)
                #expect(abs(e[row, d] - mean) < 1e-12, "text \(row), dimension \(d): \(e[row, d]) vs \(mean)")
            }
        }
        // evaluation mode: no dropout, the same numbers every time
        #expect(model.encode(Self.texts).storage == e.storage)
    }

    @Test func paddingDoesNotChangeASentencesEmbedding() {
        let model = Self.model()
        let together = model.encode(Self.texts)                  // padded to the longest (12 tokens)
        for (row, text) in Self.texts.enumerated() {
            let alone = model.encode([text])                     // no padding
            #expect(zip(alone.storage, together.row(row)).allSatisfy { abs($0 - $1) < 1e-12 }, "text \(row)")
        }
        // ids given directly are cut the same way as texts
        let ids = Self.texts.map { Self.tokenizer.encode($0) }
        #expect(model.encode(ids: ids).storage == together.storage)
    }
}
