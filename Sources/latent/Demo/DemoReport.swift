import Foundation
import Latent

/// One method's row of the demo: few-shot results for each shot count and the linear probes
/// (1% of the labels; the deep suite adds 10%).
struct DemoResult: Codable {
    let method: String
    let summary: String
    let features: Int
    let fitSeconds: Double
    let fewShot: [FewShotResult]
    let probes: [LinearProbeResult]
}

/// The demo's table, `fewshot.csv` and `fewshot.json`.
struct DemoReport: Codable {
    let results: [DemoResult]
    let episodes: Int
    let trainRows: Int
    let testRows: Int
    /// What the evaluation images are: `test`, or `validation` (held-out training images, `--validation`).
    let evaluationSplit: String

    /// method × shots as "mean ± CI" in percent, the gain over raw pixels at each shot count,
    /// and the linear probes (one column per label fraction).
    func table() -> String {
        guard let first = results.first else { return "no methods run" }
        let shots = first.fewShot.map(\.shots)
        let raw = results.first { $0.method == "raw" }
        var header = ["method".padding(toLength: 13, withPad: " ", startingAt: 0)]
        header += shots.map { "\($0)-shot".leftPadded(14) }
        if raw != nil { header += shots.map { "gain@\($0)".leftPadded(8) } }
        header += first.probes.map { "probe \(Self.percent($0.fraction))%".leftPadded(9) }
        var lines = [header.joined(separator: " ")]
        for r in results {
            var row = [r.method.padding(toLength: 13, withPad: " ", startingAt: 0)]
            row += r.fewShot.map { String(format: "%5.1f ± %4.1f%%", 100 * $0.meanAccuracy, 100 * $0.ci95).leftPadded(14) }
            if let raw {
                row += zip(r.fewShot, raw.fewShot).map { String(format: "%+6.1f", 100 * ($0.meanAccuracy - $1.meanAccuracy)).leftPadded(8) }
            }
            row += r.probes.map { String(format: "%7.1f%%", 100 * $0.accuracy).leftPadded(9) }
            lines.append(row.joined(separator: " "))
        }
        lines.append("Few-shot: nearest class mean of centred, L2-normalised features; mean ± 95% CI over \(episodes) episodes on \(testRows) \(evaluationSplit) images.")
        lines.append("Gains are percentage points over raw pixels; probe: logistic regression on \(first.probes.map { Self.percent($0.fraction) + "%" }.joined(separator: ", ")) of the \(trainRows) training labels.")
        return lines.joined(separator: "\n")
    }

    /// A fraction as a percentage without trailing zeros (0.01 → "1", 0.1 → "10").
    static func percent(_ fraction: Double) -> String {
        let p = (fraction * 1000).rounded() / 10
        return p == p.rounded() ? String(Int(p)) : String(p)
    }

    /// `fewshot.csv` (`method,shots,mean_accuracy,ci95`, accuracy as a fraction) and `fewshot.json`.
    func write(to folder: URL) throws {
        var csv = "method,shots,mean_accuracy,ci95\n"
        for r in results {
            for s in r.fewShot { csv += "\(r.method),\(s.shots),\(s.meanAccuracy),\(s.ci95)\n" }
        }
        try AtomicFile.write(Data(csv.utf8), to: folder.appendingPathComponent("fewshot.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.appendingPathComponent("fewshot.json"))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
