import Foundation
import Testing
import LatentCore
import LatentNN
import LatentText
import LatentTestSupport
@testable import LatentModels

@Suite("Transformer parts: BERT masking, KV cache, sampling, gradients")
struct TransformerPartsTests {
    @Test func bertMaskingChoosesFifteenPercentThenEightyTenTen() {
        let specials: Set<Int> = [0, 1, 2, 3]
        let masking = BERTMasking(maskID: 1, vocabularySize: 50, specialIDs: specials)
        var rng = Xoshiro256StarStar(seed: 9)
        var chosen = 0, masked = 0, replaced = 0, kept = 0, ordinary = 0
        for _ in 0..<400 {
            let tokens = [2] + (0..<98).map { _ in 4 + rng.integer(below: 46) } + [3]   // [CLS] … [SEP]
            let (inputs, targets) = masking.apply(tokens, using: &rng)
            #expect(inputs.first == 2 && inputs.last == 3 && targets.first == -100 && targets.last == -100)   // specials never chosen
            for t in tokens.indices where !specials.contains(tokens[t]) {
                ordinary += 1
                if targets[t] == -100 { #expect(inputs[t] == tokens[t]); continue }
                #expect(targets[t] == tokens[t])
                chosen += 1
                if inputs[t] == 1 { masked += 1 } else if inputs[t] != tokens[t] { replaced += 1; #expect(!specials.contains(inputs[t])) } else { kept += 1 }
            }
        }
        // 39 200 ordinary positions: the chosen fraction's standard error is 0.0018
        let rate = Double(chosen) / Double(ordinary)
        #expect(abs(rate - 0.15) < 0.008, "chosen \(rate)")
        // of ~5 900 chosen: mask 0.8 (s.e. 0.005); a random id equals the original 1 time in 46
        #expect(abs(Double(masked) / Double(chosen) - 0.8) < 0.02, "masked \(Double(masked) / Double(chosen))")
        #expect(abs(Double(replaced) / Double(chosen) - 0.1 * 45 / 46) < 0.015, "replaced \(Double(replaced) / Double(chosen))")
        #expect(abs(Double(kept) / Double(chosen) - (0.1 + 0.1 / 46)) < 0.015, "kept \(Double(kept) / Double(chosen))")
        // seeded: the same stream gives the same corruption
        var a = Xoshiro256StarStar(seed: 4), b = Xoshiro256StarStar(seed: 4)
        let tokens = Array(4..<50)
        #expect(masking.apply(tokens, using: &a) == masking.apply(tokens, using: &b))
    }

    private func decoder(normFirst: Bool = true) -> GPTDecoder<Double> {
        GPTDecoder(architecture: TransformerArchitecture(layers: 2, modelSize: 8, heads: 2, context: 12, dropout: 0.1, normFirst: normFirst),
                   vocabularySize: 11, seed: 5)
    }

    @Test(arguments: [true, false]) func keyValueCacheEqualsRecomputingThePrefix(normFirst: Bool) {
        let gpt = decoder(normFirst: normFirst)
        gpt.eval()
        let ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
        let full = withoutGradient { gpt(IndexTensor(shape: [1, ids.count], storage: ids)) }             // (1, 10, V)
        let caches = gpt.makeCaches()
        var pieces: [Double] = []
        for range in [0..<4, 4..<5, 5..<8, 8..<9, 9..<10] {                                               // prompt, then steps
            pieces += gpt.step(IndexTensor(shape: [1, range.count], storage: Array(ids[range])), caches: caches).storage
        }
        #expect(caches[0].length == ids.count)
        let worst = zip(full.storage, pieces).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-12, "cached logits differ from the full pass by \(worst)")
    }

    @Test func greedyGenerationWithTheCacheEqualsRecomputingEveryPrefix() {
        let gpt = decoder()
        gpt.eval()
        let generated = gpt.generate(prompt: [7, 2], count: 9)
        var sequence = [7, 2]
        for _ in 0..<9 {
            let logits = withoutGradient { gpt(IndexTensor(shape: [1, sequence.count], storage: sequence)) }
            let v = gpt.vocabularySize, last = Array(logits.storage.suffix(v))
            sequence.append(last.indices.max { last[$0] < last[$1] }!)
        }
        #expect(generated == Array(sequence.dropFirst(2)))
        // past the context of 12 the window slides instead of failing
        #expect(gpt.generate(prompt: [1], count: 30, sampling: TokenSampling(temperature: 1), seed: 3).count == 30)
    }

    @Test func topPKeepsTheSmallestNucleusAndTopKTheLargest() {
        let logits = [0.5, 0.3, 0.15, 0.05].map { Foundation.log($0) }
        let nucleus = TokenSampling(temperature: 1, topP: 0.7).probabilities(logits)
        expectClose(nucleus, [0.625, 0.375, 0, 0], tolerance: 1e-12)
        expectClose(TokenSampling(temperature: 1, topP: 0.4).probabilities(logits), [1, 0, 0, 0], tolerance: 1e-12)
        expectClose(TokenSampling(temperature: 1, topP: 0.9).probabilities(logits), [0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0], tolerance: 1e-12)
        expectClose(TokenSampling(temperature: 1, topK: 2, topP: 0.9).probabilities(logits), [0.625, 0.375, 0, 0], tolerance: 1e-12)
        expectClose(TokenSampling(temperature: 1).probabilities(logits), [0.5, 0.3, 0.15, 0.05], tolerance: 1e-12)
        // temperature 0.5 squares the odds: 25 : 9 : 2.25 : 0.25
        expectClose(TokenSampling(temperature: 0.5).probabilities(logits), [25, 9, 2.25, 0.25].map { $0 / 36.5 }, tolerance: 1e-12)

        // draws follow the nucleus: 20 000 draws, s.e. of a frequency ≤ 0.0035
        var rng = Xoshiro256StarStar(seed: 2)
        var counts = [0, 0, 0, 0]
        for _ in 0..<20_000 { counts[TokenSampling(temperature: 1, topP: 0.7).next(logits, using: &rng)] += 1 }
        #expect(counts[2] == 0 && counts[3] == 0)
        #expect(abs(Double(counts[0]) / 20_000 - 0.625) < 0.015, "\(counts)")
        #expect(TokenSampling.greedy.next(logits, using: &rng) == 0)
    }

    @Test func samplingIsReproducibleFromItsSeed() {
        let gpt = decoder()
        gpt.eval()
        let sampling = TokenSampling(temperature: 1.5, topK: 6, topP: 0.95)
        let a = gpt.generate(prompt: [1, 2, 3], count: 8, sampling: sampling, seed: 42)
        #expect(a == gpt.generate(prompt: [1, 2, 3], count: 8, sampling: sampling, seed: 42))
        let others = (43..<48).map { gpt.generate(prompt: [1, 2, 3], count: 8, sampling: sampling, seed: UInt64($0)) }
        #expect(others.contains { $0 != a })
    }

    @Test func bertAndGPTGradientsPassTheFiniteDifferenceCheck() throws {
        let a = TransformerArchitecture(layers: 1, modelSize: 4, heads: 2, context: 6, dropout: 0.2, normFirst: false)
        let bert = BERTEncoder<Double>(architecture: a, vocabularySize: 9, seed: 3)
        let batch = LanguageModelBatch(rows: [([2, 1, 5, 6, 1, 3], [-100, 4, -100, -100, 7, -100]),
                                              ([2, 8, 1, 5, 4, 3], [-100, -100, 6, 5, -100, -100])])
        let mlm = MaskedLanguageModelTask(bert)
        let named = bert.namedParameters
        let result = GradientCheck.check(named.map(\.tensor)) { _ in
            bert.seedRandomStreams(11)
            return mlm.loss(batch)
        }
        for (i, (name, _)) in named.enumerated() where !name.hasSuffix("attention.key.bias") {
            #expect(result.relativeErrors[i] < 1e-6, "BERT \(name): relative error \(result.relativeErrors[i])")
        }

        let gpt = GPTDecoder<Double>(architecture: TransformerArchitecture(layers: 1, modelSize: 4, heads: 2, context: 6, dropout: 0.2, normFirst: true),
                                     vocabularySize: 9, seed: 4)
        let clm = CausalLanguageModelTask(gpt)
        let next = LanguageModelBatch(rows: [([1, 5, 6, 1, 3], [5, 6, 1, 3, 2]), ([8, 1, 5, 4, 3], [1, 5, -100, 3, 7])])
        let gNamed = gpt.namedParameters
        let g = GradientCheck.check(gNamed.map(\.tensor)) { _ in
            gpt.seedRandomStreams(12)
            return clm.loss(next)
        }
        for (i, (name, _)) in gNamed.enumerated() where !name.hasSuffix("attention.key.bias") {
            #expect(g.relativeErrors[i] < 1e-6, "GPT \(name): relative error \(g.relativeErrors[i])")
        }
    }

    @Test func substitutionTasksHoldOutHalfTheFamilyAndTargetTheAnswers() {
        let family = SubstitutionTasks(alphabet: 6, wordLength: 2)
        var rng = Xoshiro256StarStar(seed: 1)
        var heldOut = Set<[Int]>(), training = Set<[Int]>()
        for _ in 0..<300 {
            heldOut.insert(family.task(heldOut: true, using: &rng))
            training.insert(family.task(heldOut: false, using: &rng))
        }
        #expect(heldOut.isDisjoint(with: training) && heldOut.count > 100 && training.count > 100)
        let row = family.trainingRow(demonstrations: 3, using: &rng)
        #expect(row.inputs.count == family.sequenceLength(demonstrations: 3) - 1)
        // every demonstration: word (2), arrow, two targets, then the separator
        for d in 0...3 {
            let s = d * family.demonstrationLength
            #expect(row.inputs[s + 2] == family.arrow)
            #expect(row.targets[s + 2] >= 0 && row.targets[s + 3] >= 0 && row.targets[s] == -100 && row.targets[s + 1] == -100)
            if d < 3 { #expect(row.inputs[s + 5] == family.separator) }
        }
        // next-token placement: the sequence is the inputs plus the last target; every target is the
        // token one position later, an output symbol (the first one is the target of the arrow)
        let sequence = row.inputs + [row.targets.last!]
        var targeted = 0
        for (i, t) in row.targets.enumerated() where t != LanguageModelBatch.ignoreIndex {
            let offset = (i + 1) % family.demonstrationLength
            #expect(t == sequence[i + 1] && (3...4).contains(offset), "target \(t) at \(i): next token \(sequence[i + 1]), offset \(offset)")
            targeted += 1
        }
        #expect(targeted == 4 * family.wordLength && row.targets.filter { $0 != -100 }.allSatisfy { (0..<6).contains($0) })
        // an ideal learner: k = 0 guesses (1/6), many demonstrations see every symbol
        let task = family.task(heldOut: true, using: &rng)
        let zero = family.sequence(task: task, demonstrations: 0, using: &rng)
        #expect(abs(family.idealAccuracy(task: task, tokens: zero.tokens, demonstrations: 0) - 1.0 / 6) < 1e-12)
        #expect(zero.tokens[zero.answer].elementsEqual(zero.tokens[0..<2].map { task[$0] }))
    }

    @Test func substitutionTasksWithACipherAlphabetAnswerInItsOwnSymbols() {
        // 4 plain symbols (tokens 0…3) → 10 cipher symbols (tokens 4…13), then > and ;
        let family = SubstitutionTasks(alphabet: 4, cipherSymbols: 10, wordLength: 1)
        #expect(family.outputCount == 10 && family.arrow == 14 && family.separator == 15 && family.vocabularySize == 16)
        var rng = Xoshiro256StarStar(seed: 2)
        var heldOut = Set<[Int]>(), training = Set<[Int]>()
        for _ in 0..<300 {
            heldOut.insert(family.task(heldOut: true, using: &rng))
            training.insert(family.task(heldOut: false, using: &rng))
        }
        #expect(heldOut.isDisjoint(with: training) && heldOut.count > 100 && training.count > 100)
        #expect(heldOut.allSatisfy { $0.count == 4 && Set($0).count == 4 && $0.allSatisfy { (0..<10).contains($0) } })
        let row = family.trainingRow(demonstrations: 5, using: &rng)
        let targets = row.targets.filter { $0 != LanguageModelBatch.ignoreIndex }
        #expect(targets.count == 6 && targets.allSatisfy { (4..<14).contains($0) } && row.inputs.allSatisfy { $0 < 16 })
        // a prompt: each demonstration is `x > π(x) ;`; the answer is the query's cipher token
        let task = family.task(heldOut: true, using: &rng)
        let (tokens, answer) = family.sequence(task: task, demonstrations: 3, using: &rng)
        for d in 0...3 {
            let s = d * family.demonstrationLength
            #expect(tokens[s + 1] == family.arrow && tokens[s + 2] == 4 + task[tokens[s]])
        }
        #expect(answer == 14..<15 && tokens[14] == 4 + task[tokens[12]])
        // ideal learner: a shown plain symbol is copied, another is guessed among the 10 − |shown| unused
        let shown = Set([tokens[0], tokens[4], tokens[8]])
        let expected = shown.contains(tokens[12]) ? 1 : 1 / Double(10 - shown.count)
        #expect(abs(family.idealAccuracy(task: task, tokens: tokens, demonstrations: 3) - expected) < 1e-12)
        #expect(abs(family.idealAccuracy(task: task, tokens: tokens, demonstrations: 0) - 0.1) < 1e-12)
        // plain pairs `x₁x₂ y₁y₂`, no markers: output symbol j is the target of the token before it
        let pairs = SubstitutionTasks(alphabet: 4, cipherSymbols: 10, wordLength: 2, markers: false)
        #expect(pairs.demonstrationLength == 4 && pairs.sequenceLength(demonstrations: 2) == 12)
        let pairRow = pairs.trainingRow(demonstrations: 2, using: &rng)
        let pairSequence = pairRow.inputs + [pairRow.targets.last!]
        #expect(pairSequence.count == 12 && pairSequence.allSatisfy { $0 < 14 })
        for (i, t) in pairRow.targets.enumerated() {
            let output = (2...3).contains((i + 1) % 4)
            #expect(output ? t == pairSequence[i + 1] && t >= 4 : t == LanguageModelBatch.ignoreIndex, "target \(t) at \(i)")
        }
        // one cipher per row: a plain symbol (2 before its output) always maps to the same output
        var cipher: [Int: Int] = [:]
        for i in pairSequence.indices where (2...3).contains(i % 4) {
            #expect(cipher[pairSequence[i - 2], default: pairSequence[i]] == pairSequence[i])
            cipher[pairSequence[i - 2]] = pairSequence[i]
        }
        // without a cipher alphabet the tasks are the permutations drawn before it existed
        var a = Xoshiro256StarStar(seed: 3), b = Xoshiro256StarStar(seed: 3)
        let permutation = SubstitutionTasks(alphabet: 8, wordLength: 1).task(heldOut: true, using: &a)
        var expectedPermutation: [Int]
        repeat { expectedPermutation = b.permutation(8) } while !SubstitutionTasks().isHeldOut(expectedPermutation)
        #expect(permutation == expectedPermutation)
    }
}

func expectClose(_ a: [Double], _ b: [Double], tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }, "\(a) vs \(b)", sourceLocation: sourceLocation)
}
