import ArgumentParser
import Foundation
import Latent

/// `latent generate --checkpoint model.safetensors --prompt "…"`: text from a trained GPT model.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a GPT model trained by `latent train gpt` (key/value-cached decoding).",
        discussion: """
        Greedy with --temperature 0; otherwise a draw from softmax(logits / temperature), cut to the
        --top-k most likely tokens and then to the --top-p nucleus. The same --seed gives the same text.
        Prints the prompt and its continuation on stdout; tokens/s on stderr.
        """)

    @Option(help: "A model file or checkpoint written by `latent train gpt`.")
    var checkpoint: String
    @Option(help: "The text to continue.")
    var prompt: String
    @Option(parsing: .unconditional, help: "Most tokens to generate (1…1000000); stops early at <|endoftext|>.")
    var tokens = 50
    @Option(parsing: .unconditional, help: "Softmax temperature (0 = greedy, ≤ 100).")
    var temperature = 1.0
    @Option(parsing: .unconditional, help: "Keep only the k most likely tokens (≥ 1).")
    var topK: Int?
    @Option(parsing: .unconditional, help: "Keep the smallest set of most likely tokens with this much probability, in (0, 1].")
    var topP: Double?
    @Option(parsing: .unconditional, help: "Independent samples to print (1…1000), seeds --seed, --seed + 1, …")
    var samples = 1
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try OptionRange.check("--tokens", tokens, 1...1_000_000)
        try OptionRange.check("--temperature", temperature, atLeast: 0, atMost: 100)
        try OptionRange.check("--top-k", topK, OptionRange.count)
        try OptionRange.check("--top-p", topP, above: 0, atMost: 1)
        try OptionRange.check("--samples", samples, 1...1000)
        if prompt.isEmpty { throw ValidationError("--prompt needs at least one character") }
    }

    func run() throws {
        global.apply()
        try Failures.guarded {
            let model = try FittedGPT<Float>.load(from: URL(fileURLWithPath: checkpoint))
            let sampling = TokenSampling(temperature: temperature, topK: topK, topP: topP)
            let promptIDs = model.tokenizer.encode(prompt)
            for s in 0..<samples {
                let start = Date()
                let ids = model.generate(ids: promptIDs, count: tokens, sampling: sampling, seed: global.seed &+ UInt64(s))
                let seconds = Date().timeIntervalSince(start)
                print(model.tokenizer.decode(promptIDs + ids))
                if samples > 1 { print("---") }
                stderr("latent: \(ids.count) tokens in \(formatted(seconds, 3)) s (\(formatted(Double(ids.count) / Swift.max(seconds, 1e-9), 1)) tokens/s)")
            }
        }
    }
}
