import LatentText

/// A corpus's lines as `latent train gpt|bert` and the `gpt`/`bert` batch methods train on them.
public enum LanguageModelCorpus {
    /// The training and held-out token streams: the last `heldOut` fraction of `lines` (rounded)
    /// is held out, and each part is joined with newlines (a final one included) and encoded as
    /// one stream; the held-out stream is empty when no line is held out. O(characters).
    public static func tokens(_ lines: [String], heldOut: Double, tokenizer: BPETokenizer) -> (train: [Int], heldOut: [Int]) {
        let cut = lines.count - Int((Double(lines.count) * heldOut).rounded())
        let train = tokenizer.encode(lines[..<cut].joined(separator: "\n") + "\n")
        return (train, cut < lines.count ? tokenizer.encode(lines[cut...].joined(separator: "\n") + "\n") : [])
    }
}
