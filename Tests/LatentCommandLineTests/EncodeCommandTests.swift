import Foundation
import Testing

/// `latent encode` (BERT sentence embeddings written to .npy or CSV) with its usage errors (exit 2)
/// and data errors (exit 1, naming the file and line); `latent bench transformer` on tiny sizes.
@Suite("latent encode, bench transformer")
struct EncodeCommandTests {
    @Test("train bert, encode lines to .npy and .csv; a line's row does not depend on the others; errors")
    func encode() throws {
        let s = try Scratch()
        try s.write("corpus.txt", TransformerCommandTests.corpus)
        let train = try s.run("train bert corpus.txt -o bert.safetensors --vocab-size 300 --layers 1 --model-size 16 --heads 2 --context 12 --batch-size 4 --steps 5")
        #expect(train.status == 0, "\(train.stderr)")
        let long = String(repeating: "the dog ran to the park. ", count: 5)     // more than 10 tokens: cut
        try s.write("lines.txt", "the cat sat on the mat.\r\n\(long)\na bird\n")
        try s.write("one.txt", "a bird")

        let npy = try s.run("encode --checkpoint bert.safetensors --lines lines.txt -o e.npy")
        #expect(npy.status == 0 && npy.stdout.isEmpty, "\(npy.stderr)")
        #expect(npy.stderr.contains("3 sentences") && npy.stderr.contains("1 cut to 10 tokens"), "\(npy.stderr)")
        let e = try s.readNPY("e.npy")
        #expect(e.rows == 3 && e.columns == 16 && e.storage.allSatisfy(\.isFinite))
        let csv = try s.run("encode --checkpoint bert.safetensors --lines lines.txt -o e.csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = try s.readCSV("e.csv")
        #expect(table.header == (1...16).map { "bert\($0)" })
        #expect(zip(table.values.storage, e.storage).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
        // the same sentence alone in a file: the same row (padding is left out of the mean)
        #expect(try s.run("encode --checkpoint bert.safetensors --lines one.txt -o one.npy").status == 0)
        let one = try s.readNPY("one.npy")
        #expect(one.rows == 1 && zip(one.storage, e.row(2)).allSatisfy { abs($0 - $1) < 1e-5 }, "\(one.storage) vs \(e.row(2))")

        // data errors: exit 1, naming the file and line; nothing written
        try s.write("gap.txt", "one\n\ntwo\n")
        let gap = try s.run("encode --checkpoint bert.safetensors --lines gap.txt -o gap.npy")
        #expect(gap.status == 1 && gap.stderr.contains("gap.txt:2: empty line"), "\(gap.stderr)")
        try Data(Array("fine\nab".utf8) + [0xC3, 0x28]).write(to: s.folder.appendingPathComponent("bad.txt"))
        let utf = try s.run("encode --checkpoint bert.safetensors --lines bad.txt -o bad.npy")
        #expect(utf.status == 1 && utf.stderr.contains("bad.txt:2:3: not valid UTF-8"), "\(utf.stderr)")
        let gpt = try s.run("train gpt corpus.txt -o gpt.safetensors --vocab-size 300 --layers 1 --model-size 16 --heads 2 --context 12 --batch-size 4 --steps 2")
        #expect(gpt.status == 0, "\(gpt.stderr)")
        let notBERT = try s.run("encode --checkpoint gpt.safetensors --lines lines.txt -o g.npy")
        #expect(notBERT.status == 1 && notBERT.stderr.contains("gpt.safetensors") && notBERT.stderr.contains("bert"), "\(notBERT.stderr)")
        let missing = try s.run("encode --checkpoint nothing.safetensors --lines lines.txt -o m.npy")
        #expect(missing.status == 1 && missing.stderr.contains("nothing.safetensors"), "\(missing.stderr)")
        #expect(!s.files.contains("gap.npy") && !s.files.contains("bad.npy") && !s.files.contains("g.npy") && !s.files.contains("m.npy"))

        // usage errors: exit 2 before any work
        for line in ["encode --checkpoint bert.safetensors --lines lines.txt -o lines.txt", "encode --checkpoint bert.safetensors --lines lines.txt -o bert.safetensors",
                     "encode --checkpoint bert.safetensors --lines lines.txt -o e.txt", "encode --checkpoint bert.safetensors -o e.npy",
                     "encode --checkpoint bert.safetensors --lines lines.txt -o nofolder/e.npy"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
        }
        #expect(try s.read("lines.txt").hasPrefix("the cat"))
    }

    @Test("bench transformer times GPT and BERT steps, generation and encoding; bad options exit 2")
    func benchTransformer() throws {
        let s = try Scratch()
        let sizes = "--steps 2 --warmup 1 --layers 1 --model-size 16 --heads 2 --context 20 --batch-size 2 --vocab-size 50 --repeats 1 --json"
        for model in ["gpt", "bert"] {
            let r = try s.run("bench transformer --model \(model) \(sizes)")
            #expect(r.status == 0, "\(r.stderr)")
            let json = try Scratch.json(String(r.stdout.split(separator: "\n").last ?? ""))
            let training = try #require(json["training"] as? [String: Any])
            #expect((training["tokens_per_s"] as? Double ?? 0) > 0 && (training["parameters"] as? Int ?? 0) > 0, "\(json)")
            let rate = json[model == "gpt" ? "generation_tokens_per_s" : "encoding_sentences_per_s"] as? Double ?? 0
            #expect(rate > 0 && rate.isFinite, "\(json)")
        }
        for line in ["bench transformer --model t5", "bench transformer --model gpt --context 20 --generate 5", "bench transformer --heads 3",
                     "bench transformer --steps 0", "bench transformer --model gpt --context 16"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
        }
    }
}
