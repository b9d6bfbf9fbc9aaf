import ArgumentParser
import Foundation
import Latent
import LatentExperiments

/// `latent runs list|show|compare`: the results of `latent batch`, as aligned tables, CSV or JSON.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Show the runs and metrics recorded by `latent batch`.",
        subcommands: [List.self, Show.self, Compare.self],
        defaultSubcommand: List.self)

    /// Options shared by the subcommands.
    struct Source: ParsableArguments {
        @Option(help: "The results database written by `latent batch`.")
        var db: String = "results.sqlite"

        @Option(help: "Only runs of this experiment.")
        var experiment: String?

        func open() throws -> RunStore {
            do {
                return try RunStore(readingFrom: db)
            } catch let error as RunStoreError {
                StandardError.line(error.description)
                throw ExitCode.failure
            }
        }
    }

    /// Text, CSV or JSON.
    enum Format: String, EnumerableFlag {
        case text, csv, json

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .text: return "Aligned columns (default)."
            case .csv: return "Comma-separated values with a header line."
            case .json: return "A JSON array."
            }
        }
    }

    // MARK: - list

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per run: identity, status, duration and metrics.")

        @OptionGroup var source: Source

        @Option(help: "Only runs with this status (pending, running, done, failed, interrupted).")
        var status: String?

        @Option(name: .customLong("metric"), help: "A metric column to show (repeat; default: all).")
        var metrics: [String] = []

        @Flag var format: Format = .text

        func validate() throws {
            if let status, RunStatus(rawValue: status) == nil {
                throw ValidationError("--status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")), got '\(status)'")
            }
        }

        func run() throws {
            let runs = try source.open().runs(experiment: source.experiment, status: status.flatMap(RunStatus.init))
            try Compare.requireKnown(metrics, in: runs, db: source.db)
            if format == .json { print(RunJSON.render(runs), terminator: ""); return }
            let names = metrics.isEmpty ? Comparison.metricNames(runs) : metrics
            let showErrors = runs.contains { $0.run.error != nil }
            var table = TextTable(headers: ["id", "experiment", "dataset", "method", "parameters", "seed", "status", "seconds"]
                                  + names + (showErrors ? ["error"] : []))
            for r in runs {
                var row = ["\(r.id)", r.experiment, r.run.dataset, r.run.method, r.run.parameterValues.summary,
                           "\(UInt64(bitPattern: r.run.seed))", r.run.status.rawValue,
                           r.run.duration.map { String(format: "%.3f", $0) } ?? "-"]
                row += names.map { r.metrics[$0].map(MetricFormat.number) ?? "-" }
                if showErrors {
                    let error = r.run.error ?? ""
                    row.append(format == .text && error.count > 60 ? String(error.prefix(59)) + "…" : error)
                }
                table.append(row)
            }
            print(format == .csv ? table.renderCSV() : table.renderText(), terminator: "")
        }
    }

    // MARK: - show

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything recorded about one run.")

        @Argument(help: "The run's id (first column of `latent runs list`).")
        var runID: Int64

        @Option(help: "The results database written by `latent batch`.")
        var db: String = "results.sqlite"

        @Flag var format: Format = .text

        func run() throws {
            let store = try Source.parse(["--db", db]).open()
            guard let r = try store.run(id: runID) else {
                StandardError.line("\(db): no run with id \(runID)")
                throw ExitCode.failure
            }
            if format == .json { print(RunJSON.render(r), terminator: ""); return }
            let dates = ISO8601DateFormatter()
            var table = TextTable(headers: ["field", "value"])
            table.append(["id", "\(r.id)"])
            table.append(["experiment", r.experiment])
            table.append(["dataset", r.run.dataset])
            table.append(["method", r.run.method])
            table.append(["parameters", r.run.parameters])
            table.append(["seed", "\(UInt64(bitPattern: r.run.seed))"])
            table.append(["status", r.run.status.rawValue])
            table.append(["created", dates.string(from: r.run.createdAt)])
            table.append(["started", r.run.startedAt.map(dates.string) ?? "-"])
            table.append(["ended", r.run.endedAt.map(dates.string) ?? "-"])
            table.append(["seconds", r.run.duration.map { String(format: "%.3f", $0) } ?? "-"])
            table.append(["code version", r.run.codeVersion])
            if let error = r.run.error { table.append(["error", error]) }
            for name in r.metrics.keys.sorted() { table.append(["metric \(name)", MetricFormat.number(r.metrics[name]!)]) }
            for a in r.artifacts { table.append(["artifact \(a.name)", a.path]) }
            print(format == .csv ? table.renderCSV() : table.renderText(), terminator: "")
        }
    }

    // MARK: - compare

    struct Compare: ParsableCommand {
        /// `--metric NAME` that no run recorded is a mistake (a typo), not a column of dashes.
        static func requireKnown(_ asked: [String], in runs: [RunDetails], db: String) throws {
            guard !asked.isEmpty, !runs.isEmpty else { return }
            let known = Comparison.metricNames(runs)
            if let unknown = asked.first(where: { !known.contains($0) }) {
                throw UsageError("--metric \(MessageText.quoted(unknown)): no run in \(db) recorded it; recorded: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
            }
        }

        static let configuration = CommandConfiguration(
            abstract: "Methods side by side: mean ± std of metrics over seeds (done runs, grouped by dataset, method and parameters).")

        @OptionGroup var source: Source

        @Option(name: .customLong("metric"), help: "A metric to compare (repeat; default: all).")
        var metrics: [String] = []

        @Flag var format: Format = .text

        func run() throws {
            let runs = try source.open().runs(experiment: source.experiment, status: .done)
            let names = metrics.isEmpty ? Comparison.metricNames(runs) : metrics
            try Self.requireKnown(metrics, in: runs, db: source.db)
            let rows = Comparison.aggregate(runs, metrics: names)
            if format == .json { print(RunJSON.render(rows), terminator: ""); return }
            let experiments = Set(rows.map(\.experiment)).count > 1
            let leading = (experiments ? ["experiment"] : []) + ["dataset", "method", "parameters", "seeds"]
            let metricHeaders = format == .csv ? names.flatMap { ["\($0) mean", "\($0) std"] } : names
            var table = TextTable(headers: leading + metricHeaders)
            for row in rows {
                let parameters = ((try? Parameters.fromCanonicalJSON(row.parameters)) ?? [:]).summary
                var cells = (experiments ? [row.experiment] : []) + [row.dataset, row.method, parameters, "\(row.seeds.count)"]
                for name in names {
                    let s = row.metrics[name]
                    if format == .csv {
                        cells += [s.map { "\($0.mean)" } ?? "", s?.standardDeviation.map { "\($0)" } ?? ""]
                    } else {
                        cells.append(s.map(MetricFormat.summary) ?? "-")
                    }
                }
                table.append(cells)
            }
            print(format == .csv ? table.renderCSV() : table.renderText(), terminator: "")
        }
    }
}
