/// Mean and spread of one metric over a group of runs.
public struct MetricSummary: Sendable, Equatable, Codable {
    /// Runs in the group that have the metric.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Sample standard deviation (divisor n − 1); `nil` for a single run.
    public let standardDeviation: Double?

    /// Summarises `values` (at least one). - Complexity: O(n), two passes.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "MetricSummary: no values")
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        if values.count > 1 {
            let m = mean
            standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case count = "n", mean, standardDeviation = "std"
    }
}

/// One line of `latent runs compare`: a (experiment, dataset, method, parameters) group of done
/// runs that differ only in their seed, with each metric's mean ± std over the seeds.
public struct ComparisonRow: Sendable, Equatable {
    /// The experiment's name.
    public let experiment: String
    /// The dataset's name.
    public let dataset: String
    /// The method's name.
    public let method: String
    /// The parameters as canonical JSON.
    public let parameters: String
    /// The seeds of the group's runs, ascending.
    public let seeds: [UInt64]
    /// Summaries by metric name (only metrics that some run of the group has).
    public let metrics: [String: MetricSummary]
}

/// Groups runs for comparison.
public enum Comparison {
    /// Groups the `done` runs among `runs` by (experiment, dataset, method, parameters) and
    /// summarises `metrics` (all metrics found when `nil`) over each group's seeds. Groups come
    /// in the order of their first run. - Complexity: O(runs · metrics).
    public static func aggregate(_ runs: [RunDetails], metrics: [String]? = nil) -> [ComparisonRow] {
        struct GroupKey: Hashable { let experiment, dataset, method, parameters: String }
        var order = [GroupKey]()
        var groups = [GroupKey: [RunDetails]]()
        for r in runs where r.run.status == .done {
            let key = GroupKey(experiment: r.experiment, dataset: r.run.dataset, method: r.run.method, parameters: r.run.parameters)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        return order.map { key in
            let members = groups[key]!
            let names = metrics ?? Array(Set(members.flatMap { $0.metrics.keys })).sorted()
            var summaries = [String: MetricSummary]()
            for name in names {
                let values = members.compactMap { $0.metrics[name] }
                if !values.isEmpty { summaries[name] = MetricSummary(values) }
            }
            return ComparisonRow(experiment: key.experiment, dataset: key.dataset, method: key.method, parameters: key.parameters,
                                 seeds: members.map { UInt64(bitPattern: $0.run.seed) }.sorted(), metrics: summaries)
        }
    }

    /// The metric names found in `runs`, sorted.
    public static func metricNames(_ runs: [RunDetails]) -> [String] {
        Array(Set(runs.flatMap { $0.metrics.keys })).sorted()
    }
}
