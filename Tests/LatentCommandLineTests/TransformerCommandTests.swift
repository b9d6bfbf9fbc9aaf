import Foundation
import Testing

/// `latent tokenize`, `latent train gpt|bert|in-context` and `latent generate` end to end, with
/// their usage errors (exit 2) and data errors (exit 1, naming the file and position).
@Suite("latent tokenize, train gpt|bert|in-context, generate")
struct TransformerCommandTests {
    static let corpus = String(repeating: "the cat sat on the mat.\nthe dog ran to the park.\na bird sang in the tree.\n", count: 20)

    @Test("tokenize train/encode/decode round trip; errors name the file and position")
    func tokenize() throws {
        let s = try Scratch()
        try s.write("corpus.txt", Self.corpus)
        let train = try s.run("tokenize train corpus.txt --vocab v.json --merges m.txt --vocab-size 300")
        #expect(train.status == 0 && s.files.contains("v.json") && s.files.contains("m.txt"), "\(train.stderr)")
        let encode = try s.run(["tokenize", "encode", "--vocab", "v.json", "--merges", "m.txt", "--text", "the cat ran"])
        #expect(encode.status == 0)
        let ids = encode.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let decode = try s.run(["tokenize", "decode", "--vocab", "v.json", "--merges", "m.txt", "--ids", ids])
        #expect(decode.status == 0 && decode.stdout == "the cat ran\n", "\(decode.stdout)")
        try s.write("ids.txt", "1 2 3\n4 99999 5\n")
        let bad = try s.run("tokenize decode --vocab v.json --merges m.txt ids.txt")
        #expect(bad.status == 1 && bad.stderr.contains("ids.txt:2: token 2 ") && bad.stderr.contains("99999") && bad.stderr.contains("is not an id"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)
        try Data(Array("fine\nab".utf8) + [0xC3, 0x28]).write(to: s.folder.appendingPathComponent("bad.txt"))
        let utf = try s.run("tokenize train bad.txt --vocab w.json --merges n.txt")
        #expect(utf.status == 1 && utf.stderr.contains("bad.txt:2:3: not valid UTF-8"), "\(utf.stderr)")
        for line in ["tokenize train corpus.txt --vocab v.json --merges v.json", "tokenize train corpus.txt --vocab corpus.txt --merges x.txt",
                     "tokenize train corpus.txt --vocab a.json --merges b.txt --vocab-size 100", "tokenize encode --vocab v.json --merges m.txt"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
        }
    }

    @Test("train gpt, resume, generate reproducibly; train bert; bad options exit 2")
    func trainAndGenerate() throws {
        let s = try Scratch()
        try s.write("corpus.txt", Self.corpus)
        let sizes = "--vocab-size 300 --layers 1 --model-size 16 --heads 2 --context 12 --batch-size 4 --steps 5 --eval-windows 4 --held-out 0.2"
        let gpt = try s.run("train gpt corpus.txt -o gpt.safetensors \(sizes) --epochs 2 --seed 3")
        #expect(gpt.status == 0, "\(gpt.stderr)")
        #expect(gpt.stdout.contains("epoch 2/2  step 10") && gpt.stdout.contains("perplexity"), "\(gpt.stdout)")
        let resumed = try s.run("train gpt corpus.txt -o gpt.safetensors \(sizes) --epochs 2 --seed 3 --resume")
        #expect(resumed.status == 0 && !resumed.stdout.contains("epoch"), "\(resumed.stdout)")     // nothing left to do
        let other = try s.run("train gpt corpus.txt -o gpt.safetensors \(sizes) --epochs 2 --seed 4 --resume")
        #expect(other.status == 1 && other.stderr.contains("configuration"), "\(other.stderr)")
        let a = try s.run(["generate", "--checkpoint", "gpt.safetensors", "--prompt", "the cat", "--tokens", "20", "--top-p", "0.9", "--seed", "5"])
        let b = try s.run(["generate", "--checkpoint", "gpt.safetensors", "--prompt", "the cat", "--tokens", "20", "--top-p", "0.9", "--seed", "5"])
        #expect(a.status == 0 && a.stdout == b.stdout && a.stdout.hasPrefix("the cat"), "\(a.stderr)")

        let bert = try s.run("train bert corpus.txt -o bert.safetensors \(sizes)")
        #expect(bert.status == 0 && bert.stdout.contains("MLM accuracy"), "\(bert.stderr)")
        let notGPT = try s.run(["generate", "--checkpoint", "bert.safetensors", "--prompt", "the"])
        #expect(notGPT.status == 1 && notGPT.stderr.contains("bert.safetensors"), "\(notGPT.stderr)")
        for line in ["train gpt corpus.txt -o g.safetensors --heads 3 --model-size 16", "train gpt corpus.txt -o g.safetensors --dropout 1",
                     "train gpt corpus.txt -o corpus.txt", "train bert corpus.txt -o g.safetensors --masking-rate 0",
                     "train gpt corpus.txt -o g.safetensors --learning-rate -1", "train gpt corpus.txt -o g.safetensors --vocab v.json",
                     "train gpt corpus.txt -o g.safetensors --resume",
                     "generate --checkpoint gpt.safetensors --prompt x --top-p 1.5", "generate --checkpoint gpt.safetensors --prompt x --temperature -1"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
        }
        #expect(!s.files.contains("g.safetensors"))
    }

    @Test("train in-context writes the accuracy table, CSV and plot")
    func inContext() throws {
        let s = try Scratch()
        let r = try s.run("train in-context --alphabet 4 --word-length 2 --demonstrations 2 --layers 1 --model-size 16 --heads 2 --epochs 1 --steps 5 --batch-size 4 --queries 10 --csv icl.csv --plot icl.svg")
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: s.folder.appendingPathComponent("icl.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("k,exact_match") && csv.split(separator: "\n").count == 4, "\(csv)")
        #expect(s.files.contains("icl.svg"))
        for line in ["train in-context --resume", "train in-context --alphabet 8 --cipher-symbols 7", "train in-context --cipher-symbols 513"] {
            let bad = try s.run(line)
            #expect(bad.status == 2, "\(line) → \(bad.status): \(bad.stderr)")
        }
    }
}
