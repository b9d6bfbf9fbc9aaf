import Dispatch
import Foundation
import Synchronization
import Latent

/// Progress on stderr for long fits.
///
/// When stderr is a terminal (`isatty`), step-wise work draws one self-rewriting line with a bar,
/// the percentage and an estimate of the time left, and one-shot work a ticking elapsed-seconds
/// counter. Otherwise (a log file, a pipe, CI) it writes a plain line at most every
/// `plainInterval` seconds (5, or `LATENT_PROGRESS_INTERVAL` from the environment) plus one when
/// a stage ends, so logs stay short. `--quiet` silences all.
final class Progress: Sendable {
    let enabled: Bool
    let isTerminal: Bool
    /// Seconds between plain (non-terminal) lines.
    let plainInterval: Double

    /// Whether a transient line is on screen; held while writing so lines never interleave.
    private let lineOpen = Mutex(false)

    init(quiet: Bool) {
        enabled = !quiet
        isTerminal = isatty(STDERR_FILENO) != 0
        let setting = ProcessInfo.processInfo.environment["LATENT_PROGRESS_INTERVAL"].flatMap(Double.init)
        plainInterval = setting.map { max($0, 0) } ?? 5
    }

    /// A one-line stage message (`latent: loading data.csv`).
    func stage(_ text: String) {
        guard enabled else { return }
        emit(final: "latent: \(text)")
    }

    /// Runs one-shot work under `label`, ticking the elapsed seconds while it runs, then prints
    /// `label: done in 1.23 s`. Returns the body's value and the elapsed seconds.
    func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        var timer: DispatchSourceTimer?
        if enabled {
            let tick = isTerminal ? 0.25 : max(plainInterval, 0.05)
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            source.schedule(deadline: .now() + tick, repeating: tick)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let text = String(format: "latent: %@… %.1f s", label, elapsed())
                if self.isTerminal { self.emit(transient: text) } else { self.emit(final: text) }
            }
            if isTerminal { emit(transient: "latent: \(label)…") } else { emit(final: "latent: \(label)…") }
            source.resume()
            timer = source
        }
        defer { timer?.cancel() }
        let value = try body()
        timer?.cancel()
        let seconds = elapsed()
        if enabled { emit(final: String(format: "latent: %@: done in %.2f s", label, seconds)) }
        return (value, seconds)
    }

    /// A reporter for `total` steps of `label` (mini-batches, epochs).
    func steps(_ label: String, total: Int) -> StepReporter { StepReporter(progress: self, label: label, total: total) }

    /// Writes a line that the next write replaces (terminal only).
    fileprivate func emit(transient text: String) {
        lineOpen.withLock { open in
            StandardError.write("\r\u{1B}[2K" + text)
            open = true
        }
    }

    /// Writes a permanent line, first clearing a transient one.
    fileprivate func emit(final text: String) {
        lineOpen.withLock { open in
            StandardError.write((open ? "\r\u{1B}[2K" : "") + text + "\n")
            open = false
        }
    }
}

/// Step-wise progress: `update(done:)` after each step; `finish()` at the end. May be called from
/// any thread (word2vec's workers report from theirs).
final class StepReporter: Sendable {
    let progress: Progress
    let label: String
    let total: Int
    private let start = DispatchTime.now()
    /// Seconds since `start` of the last line drawn.
    private let lastDraw = Mutex(0.0)

    init(progress: Progress, label: String, total: Int) {
        self.progress = progress
        self.label = label
        self.total = max(total, 1)
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    /// Reports `done` of `total` steps, with an optional detail (`cost 0.123`).
    func update(done: Int, detail: String = "") {
        guard progress.enabled else { return }
        let now = elapsed
        let interval = progress.isTerminal ? 0.1 : progress.plainInterval
        let due = lastDraw.withLock { last in
            guard now - last >= interval || done == total else { return false }
            last = now
            return true
        }
        guard due else { return }
        let fraction = Double(done) / Double(total)
        let eta = done > 0 ? now / Double(done) * Double(total - done) : .nan
        let suffix = detail.isEmpty ? "" : ", \(detail)"
        if progress.isTerminal {
            let width = 24, filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            progress.emit(transient: String(format: "latent: %@ %@ %3.0f%% (%d/%d) ETA %@%@", label, bar, fraction * 100,
                                            done, total, Self.clock(eta), suffix))
        } else if done < total {
            progress.emit(final: String(format: "latent: %@ %.0f%% (%d/%d), %.1f s elapsed, about %@ left%@", label,
                                        fraction * 100, done, total, now, Self.clock(eta), suffix))
        }
    }

    /// A listener for a learner's `fit(_:onEvent:)`: draws every `.step` event, with its cost
    /// (when finite) as `name value`, e.g. `batch cost 0.123`.
    func fitEvents(cost name: String) -> (FitEvent) -> Void {
        { event in
            if case let .step(step, _, _, cost) = event {
                self.update(done: step, detail: cost.flatMap { $0.isFinite ? "\(name) \(Summary.format($0))" : nil } ?? "")
            }
        }
    }

    /// Ends the stage: `label: done in 1.23 s (412 steps)`.
    func finish(steps: Int? = nil, detail: String = "") {
        guard progress.enabled else { return }
        let count = steps.map { " (\($0) steps)" } ?? ""
        let suffix = detail.isEmpty ? "" : ", \(detail)"
        progress.emit(final: String(format: "latent: %@: done in %.2f s%@%@", label, elapsed, count, suffix))
    }

    /// `1:05` or `12 s`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s) s" : String(format: "%d:%02d", s / 60, s % 60)
    }
}
