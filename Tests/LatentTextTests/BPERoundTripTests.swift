import Foundation
import Testing
import LatentCore
@testable import LatentText

/// Exact round trips for any byte string, special tokens, and the byte-level alphabet.
@Suite struct BPERoundTripTests {
    static let corpus = [
        "the cat sat on the mat", "the dog sat on the log", "don't stop, the cat's mat",
        "Café naïve 東京 😀 12345", "[MASK] is special <|endoftext|>",
    ]
    static let tokenizer = BPETrainer(vocabularySize: 320).train(corpus)

    @Test func byteAlphabetIsGPT2s() {
        let chars = ByteLevelAlphabet.characters
        #expect(Set(chars).count == 256)
        #expect(chars[0x20] == "Ġ" && chars[0x0A] == "Ċ" && chars[0x00] == "Ā" && chars[0x41] == "A")
        #expect(chars[0xAD] == "\u{143}" && chars[0xFF] == "ÿ")
        #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(0...255)) == Array(0...255))
    }

    @Test func randomBytesRoundTripExactly() {
        var rng = Xoshiro256StarStar(seed: 13)
        for _ in 0..<300 {
            let count = rng.integer(below: 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let ids = Self.tokenizer.encode(bytes: bytes)
            #expect(Self.tokenizer.decodeBytes(ids) == bytes, "\(bytes)")
        }
    }

    @Test func malformedUTF8AndMixedTextRoundTripExactly() {
        var rng = Xoshiro256StarStar(seed: 7)
        let malformed: [[UInt8]] = [
            [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF, 0xFE],
            [0xE6, 0x9D], [0x80, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xC3],
        ]
        let pieces: [[UInt8]] = malformed + Self.corpus.map { Array($0.utf8) } + [Array("  \n\t ".utf8), Array("'s'll".utf8)]
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + rng.integer(below: 6)) { bytes += pieces[rng.integer(below: pieces.count)] }
            let ids = Self.tokenizer.encode(bytes: bytes)
            #expect(Self.tokenizer.decodeBytes(ids) == bytes, "\(bytes)")
            let ranges = GPT2PreTokenizer.split(bytes)
            #expect(ranges.first?.lowerBound ?? 0 == 0 && ranges.last?.upperBound ?? 0 == bytes.count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$0.isEmpty })
        }
    }

    @Test func specialTokensAreNeverSplitNorProducedByMerges() {
        let t = Self.tokenizer
        #expect(t.specialIDs == [0, 1, 2, 3, 4])
        #expect(Array(t.tokens[0..<5]) == BPETokenizer.defaultSpecialTokens)
        let ids = t.encode("a[PAD]b[MASK][CLS]x[SEP]<|endoftext|>[PAD")
        for (special, id) in zip(BPETokenizer.defaultSpecialTokens, t.specialIDs) {
            #expect(ids.filter { $0 == id }.count == 1, "\(special)")
        }
        #expect(t.decode(ids) == "a[PAD]b[MASK][CLS]x[SEP]<|endoftext|>[PAD")
        // No merge's join is a special token, and no merge involves one.
        let specials = Set(t.specialIDs)
        for merge in t.merges {
            #expect(!specials.contains(merge.left) && !specials.contains(merge.right))
            #expect(!BPETokenizer.defaultSpecialTokens.contains(t.tokens[merge.left] + t.tokens[merge.right]))
        }
        // A custom special token is cut out of the training text: no merge spells it, and it encodes whole.
        let custom = BPETrainer(vocabularySize: 300, specialTokens: ["ab"]).train(["ab ab ab abc cab"])
        #expect(!custom.merges.contains { custom.tokens[$0.left] + custom.tokens[$0.right] == "ab" })
        #expect(custom.encode("xabx") == [custom.id(of: "x")!, 0, custom.id(of: "x")!])
        // A special token written in byte-level characters ("Ġx" spells the bytes " x") is never a merge's join.
        let lookalike = BPETrainer(vocabularySize: 300, specialTokens: ["Ġx"]).train(["x x x x xy"])
        #expect(!lookalike.merges.contains { lookalike.tokens[$0.left] + lookalike.tokens[$0.right] == "Ġx" })
        #expect(lookalike.merges.contains { lookalike.tokens[$0.left] == "Ġ" })   // " x" still merges, further on
        #expect(lookalike.decode(lookalike.encode(" x Ġx")) == " x Ġx")
    }

    @Test func trainingIsDeterministicAndStopsAtTheVocabularySize() {
        let a = BPETrainer(vocabularySize: 300).train(Self.corpus)
        let b = BPETrainer(vocabularySize: 300).train(Self.corpus)
        #expect(a == b)
        #expect(a.vocabularySize == 300 && a.merges.count == 300 - 5 - 256)
    }

    @Test func mostFrequentPairWinsAndTiesGoToTheSmallerIds() {
        func firstMerge(_ documents: [String]) -> String {
            let t = BPETrainer(vocabularySize: 257, specialTokens: []).train(documents)
            return t.tokens[256]
        }
        #expect(firstMerge(["zw", "xy", "xy"]) == "xy")   // count 2 beats count 1
        #expect(firstMerge(["ba", "ab"]) == "ab")          // tie: left id of "a" < "b"
        #expect(firstMerge(["ac", "ab"]) == "ab")          // tie, same left: right id of "b" < "c"
        // "aaa" holds (a, a) twice; joining goes left to right.
        let t = BPETrainer(vocabularySize: 257, specialTokens: []).train(["aaa"])
        #expect(t.encode("aaa") == [256, t.id(of: "a")!])
        #expect(t.encode("aaaa") == [256, 256])
    }
}
