import Foundation
import LatentCore

/// Seeded mutation of byte strings, for fuzzing the readers (`FuzzTests`, `latent bench fuzz`):
/// the same seed gives the same damaged inputs.
public enum ByteMutator {
    /// Bytes that tend to matter to the formats: NUL, 0xFF, sign bits, quotes, commas, line
    /// breaks, digits, the gzip magic.
    public static let interesting: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x22, 0x2C, 0x0A, 0x0D, 0x2E, 0x2D, 0x65, 0x30, 0x39, 0x20, 0x1F, 0x8B, 0x08, 0x0E]

    /// One to three random edits of `seed`: bit flips, truncation, insertion of random bytes, an
    /// interesting byte, a random header, a duplicated or deleted range.
    public static func mutate(_ seed: Data, _ rng: inout Xoshiro256StarStar) -> Data {
        var b = [UInt8](seed)
        for _ in 0...rng.integer(below: 3) {
            let position = b.isEmpty ? 0 : rng.integer(below: b.count)
            switch rng.integer(below: 7) {
            case 0:
                for _ in 0...rng.integer(below: 8) where !b.isEmpty {
                    b[rng.integer(below: b.count)] ^= UInt8(1) << UInt8(rng.integer(below: 8))
                }
            case 1:
                b = Array(b.prefix(rng.integer(below: b.count + 1)))
            case 2:
                let n = 1 + rng.integer(below: 16)
                b.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: position)
            case 3:
                if !b.isEmpty { b[position] = interesting[rng.integer(below: interesting.count)] }
            case 4:
                for k in 0..<min(b.count, 1 + rng.integer(below: 32)) where rng.bernoulli(0.5) {
                    b[k] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 5:
                let n = min(b.count - position, 1 + rng.integer(below: 64))
                b.insert(contentsOf: b[position..<position + n], at: position)
            default:
                let n = min(b.count - position, 1 + rng.integer(below: 64))
                b.removeSubrange(position..<position + n)
            }
        }
        return Data(b)
    }

    /// Text-aware edits on top of `mutate`: a token from `alphabet` inserted or replacing a byte
    /// (keeps text formats parseable often enough to reach deep checks).
    public static func mutateText(_ seed: Data, alphabet: [String], _ rng: inout Xoshiro256StarStar) -> Data {
        var b = [UInt8](rng.bernoulli(0.5) ? mutate(seed, &rng) : seed)
        for _ in 0...rng.integer(below: 3) {
            let token = Array(alphabet[rng.integer(below: alphabet.count)].utf8)
            let position = b.isEmpty ? 0 : rng.integer(below: b.count)
            if rng.bernoulli(0.5) || b.isEmpty { b.insert(contentsOf: token, at: position) } else { b.replaceSubrange(position...position, with: token) }
        }
        return Data(b)
    }
}
